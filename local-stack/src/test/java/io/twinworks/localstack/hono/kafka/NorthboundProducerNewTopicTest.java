package io.twinworks.localstack.hono.kafka;

import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first records of a tenant's topic: the producer creates the topic when the first record comes and
 * must not write before every partition is served. Writing in the gap between "metadata names a leader"
 * and "the leader serves the partition" left a partition's first batch unanswered until the delivery
 * timeout (10 s) in about one of six new topics on a loaded machine: those readings were refused.
 */
class NorthboundProducerNewTopicTest {

    private static final int TOPICS = 30;
    private static final int RECORDS_PER_TOPIC = 400;
    private static final int DEVICES = 200;

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;
    private Vertx vertx;
    private NorthboundProducer producer;

    @BeforeEach
    void start() {
        broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0);
        broker.start();
        vertx = Vertx.vertx();
        producer = new NorthboundProducer(vertx, broker.bootstrapServers(), 10_000, NorthboundProducer.Batching.DEFAULT);
    }

    @AfterEach
    void stop() throws Exception {
        producer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        broker.close();
    }

    @Test
    void everyRecordSentRightAfterItsTopicIsCreatedIsAcknowledged() throws Exception {
        Queue<String> failures = new ConcurrentLinkedQueue<>();

        for (int round = 0; round < TOPICS; round++) {
            String topic = "hono.telemetry.tenant-" + round;
            CompletableFuture<Void> written = new CompletableFuture<>();
            // a burst from many devices at once, as a fleet of gateways sends its first readings
            vertx.runOnContext(v -> {
                List<Future<?>> sends = new ArrayList<>();
                for (int i = 0; i < RECORDS_PER_TOPIC; i++) {
                    String device = "device-" + (i % DEVICES);
                    sends.add(producer.send(new ProducerRecord<>(topic, device, new byte[100]))
                            .onFailure(e -> failures.add(topic + " " + device + ": " + e)));
                }
                Future.join(sends).onComplete(done -> written.complete(null));
            });
            written.get(60, TimeUnit.SECONDS);
        }

        assertThat(failures).isEmpty();
    }
}
