package io.twinworks.localstack.hono.kafka;

import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The producer hands each context its write outcomes in batches: every outcome still reaches the context that
 * sent the record, in the order of the partition's writes, failures included, and one failing handler (Vert.x reports
 * it to the context) does not hold back the outcomes after it.
 */
class NorthboundProducerOutcomesTest {

    private static final int RECORDS = 3_000;

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

    /** What one context saw: per record (in send order) the offset and whether it completed on that context. */
    private record Seen(List<Long> offsets, List<Boolean> onSendingContext, List<String> failures) {
    }

    private CompletableFuture<Seen> sendFrom(Context context, String key, int throwingRecord) {
        CompletableFuture<Seen> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            Long[] offsets = new Long[RECORDS];
            Boolean[] onContext = new Boolean[RECORDS];
            List<String> failures = new ArrayList<>();
            int[] completed = {0};
            for (int i = 0; i < RECORDS; i++) {
                int index = i;
                producer.send(new ProducerRecord<>("hono.telemetry.outcomes", key, new byte[50]))
                        .onComplete(ar -> {
                            onContext[index] = Vertx.currentContext() == context;
                            if (ar.succeeded()) {
                                offsets[index] = ar.result().offset();
                            } else {
                                failures.add(ar.cause().toString());
                            }
                            if (++completed[0] == RECORDS) {
                                done.complete(new Seen(List.of(offsets), List.of(onContext), failures));
                            }
                        })
                        .onComplete(ar -> {
                            if (index == throwingRecord) {
                                throw new IllegalStateException("a caller's handler fails");
                            }
                        });
            }
        });
        return done;
    }

    private Context contextOfNewThread() throws InterruptedException {
        Context[] context = new Context[1];
        Thread thread = new Thread(() -> context[0] = vertx.getOrCreateContext());
        thread.start();
        thread.join();
        return context[0];
    }

    @Test
    void aProducerWithoutRoomForOneQueuedRecordIsRefused() {
        assertThatThrownBy(() -> new NorthboundProducer(vertx, broker.bootstrapServers(), 0,
                NorthboundProducer.Batching.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBurstBeyondTheQueueLimitIsRefusedAsBusyAndTheRestIsWrittenInOrder() throws Exception {
        NorthboundProducer small = new NorthboundProducer(vertx, broker.bootstrapServers(), 3,
                NorthboundProducer.Batching.DEFAULT);
        try {
            Context context = vertx.getOrCreateContext();
            int burst = 500;
            CompletableFuture<List<String>> outcomes = new CompletableFuture<>();
            context.runOnContext(v -> {
                String[] each = new String[burst];
                int[] completed = {0};
                // one task: the send thread cannot take them as fast as they come
                for (int i = 0; i < burst; i++) {
                    int index = i;
                    small.send(new ProducerRecord<>("hono.telemetry.busy", "device", new byte[10])).onComplete(ar -> {
                        each[index] = ar.succeeded() ? "offset " + ar.result().offset() : ar.cause().getMessage();
                        if (++completed[0] == burst) {
                            outcomes.complete(List.of(each));
                        }
                    });
                }
            });
            List<String> all = outcomes.get(60, TimeUnit.SECONDS);
            List<String> refused = all.stream().filter(o -> !o.startsWith("offset ")).toList();
            List<Long> written = all.stream().filter(o -> o.startsWith("offset "))
                    .map(o -> Long.parseLong(o.substring("offset ".length()))).toList();
            assertThat(refused).isNotEmpty().containsOnly("Kafka write queue is full (3 records waiting)");
            assertThat(written).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates();
        } finally {
            small.close();
        }
    }

    @Test
    void afterCloseEveryRecordIsRefusedOnTheSendingContext() throws Exception {
        producer.close();
        Context context = vertx.getOrCreateContext();
        CompletableFuture<List<String>> outcome = new CompletableFuture<>();
        context.runOnContext(v -> producer.send(new ProducerRecord<>("hono.telemetry.outcomes", "k", new byte[1]))
                .onComplete(ar -> outcome.complete(List.of(String.valueOf(Vertx.currentContext() == context),
                        ar.failed() ? ar.cause().getClass().getSimpleName() : "written"))));
        assertThat(outcome.get(10, TimeUnit.SECONDS)).containsExactly("true", "NorthboundUnavailableException");
    }

    @Test
    void outcomesOfTwoContextsReachTheirOwnContextInWriteOrderPastAFailingHandler() throws Exception {
        // two contexts, as two event loops would send (Vert.x keeps one context per non-Vert.x thread)
        Context first = contextOfNewThread();
        Context second = contextOfNewThread();
        assertThat(first).isNotSameAs(second);

        CompletableFuture<Seen> fromFirst = sendFrom(first, "device-a", RECORDS / 2);
        CompletableFuture<Seen> fromSecond = sendFrom(second, "device-b", -1);

        for (Seen seen : List.of(fromFirst.get(60, TimeUnit.SECONDS), fromSecond.get(60, TimeUnit.SECONDS))) {
            assertThat(seen.failures()).isEmpty();
            assertThat(seen.onSendingContext()).hasSize(RECORDS).containsOnly(true);
            // one key, one partition: offsets grow in send order
            assertThat(seen.offsets()).doesNotContainNull().isSorted().doesNotHaveDuplicates();
        }
    }
}
