package io.twinworks.localstack.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsWrittenBeforeARestartAreReadAfterIt() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0)) {
            broker.start();
            try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
                ProducerRecord<String, String> record = new ProducerRecord<>("hono.telemetry.plant", "plant:pump-1", "{\"rms\":0.3}");
                record.headers().add("device_id", "plant:pump-1".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0)) {
            broker.start();
            List<ConsumerRecord<String, String>> received = readAll(broker.bootstrapServers(), "hono.telemetry.plant", 1);
            assertThat(received).hasSize(1);
            assertThat(received.get(0).key()).isEqualTo("plant:pump-1");
            assertThat(new String(received.get(0).headers().lastHeader("device_id").value(), StandardCharsets.UTF_8))
                    .isEqualTo("plant:pump-1");
        }
    }

    @Test
    void anOverrideKafkaRefusesStopsTheStartNamingTheProperty() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0, Map.of("num.io.threads", 0));

        assertThatThrownBy(broker::start).isInstanceOf(ConfigException.class).hasMessageContaining("num.io.threads");
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(broker::bootstrapServers);
    }

    @Test
    void theBrokerRunsFewRequestThreadsAndASmallCleanerBufferAndOverridesWinOverItsDefaults() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0)) {
            broker.start();
            Config config = brokerConfig(broker);
            assertThat(config.get("num.network.threads").value()).isEqualTo("1");
            assertThat(Integer.parseInt(config.get("num.io.threads").value())).isBetween(2, 8);
            assertThat(config.get("log.cleaner.dedupe.buffer.size").value()).isEqualTo(String.valueOf(16L << 20));
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0,
                Map.of("num.io.threads", 3, "num.network.threads", "2"))) {
            broker.start();
            Config config = brokerConfig(broker);
            assertThat(config.get("num.io.threads").value()).isEqualTo("3");
            assertThat(config.get("num.network.threads").value()).isEqualTo("2");
        }
    }

    private static Config brokerConfig(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            return admin.describeConfigs(List.of(node)).all().get().get(node);
        }
    }

    @Test
    void bootstrapServersBeforeStartIsRefused() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, "127.0.0.1", 0);
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(broker::bootstrapServers);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
