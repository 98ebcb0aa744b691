package io.twinworks.localstack.hono.mqtt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running MQTT endpoint for tests: a real in-JVM Kafka broker, the endpoint on a free port, the
 * registry test double, and helpers to read/write Kafka and to run the mosquitto clients.
 */
final class MqttEndpointTestSupport implements AutoCloseable {

    static final String SENSOR_AUTH_ID = "sensor1";
    static final String SENSOR_DEVICE_ID = "plant.a:pump-7";
    static final String SENSOR_PASSWORD = "hono-secret";
    static final String GATEWAY_AUTH_ID = "gw";
    static final String GATEWAY_DEVICE_ID = "gw-1";
    static final String GATEWAY_PASSWORD = "gw-secret";
    static final String DEVICE_BEHIND_GATEWAY = "plant.a:valve-3";
    static final String DEVICE_NOT_BEHIND_GATEWAY = "plant.a:valve-9";
    static final String DISABLED_AUTH_ID = "disabled1";
    static final String DISABLED_PASSWORD = "disabled-secret";

    private static final AtomicInteger TENANTS = new AtomicInteger();

    final Path stateDir;
    final EmbeddedKafkaBroker broker;
    final Vertx vertx;
    final InMemoryDeviceRegistryTestDouble registry = new InMemoryDeviceRegistryTestDouble();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final HonoMqttEndpoint endpoint;
    final int mqttPort;

    MqttEndpointTestSupport(long commandTimeoutMillis) throws Exception {
        stateDir = Files.createTempDirectory("twinworks-mqtt-test");
        broker = new EmbeddedKafkaBroker(stateDir.resolve("kafka"), "127.0.0.1", 0);
        broker.start();
        vertx = Vertx.vertx();
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of(
                "TWINWORKS_STATE_DIR", stateDir.toString(),
                "TWINWORKS_KAFKA_PORT", "0",
                "TWINWORKS_HONO_MQTT_PORT", "0",
                "TWINWORKS_HONO_REGISTRY_PORT", "0",
                "TWINWORKS_HONO_COMMAND_TIMEOUT_MS", Long.toString(commandTimeoutMillis)));
        endpoint = new HonoMqttEndpoint(vertx, config, registry, broker.bootstrapServers(), meters);
        mqttPort = endpoint.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Provisions a fresh tenant with a sensor, a gateway, devices behind/not behind it and a disabled device. */
    String newTenant() {
        String tenant = "tenant-" + TENANTS.incrementAndGet();
        registry.addTenant(tenant, true);
        registry.addDevice(tenant, SENSOR_DEVICE_ID, true, Set.of());
        registry.addCredentials(tenant, SENSOR_AUTH_ID, SENSOR_DEVICE_ID, SENSOR_PASSWORD);
        registry.addDevice(tenant, GATEWAY_DEVICE_ID, true, Set.of());
        registry.addCredentials(tenant, GATEWAY_AUTH_ID, GATEWAY_DEVICE_ID, GATEWAY_PASSWORD);
        registry.addDevice(tenant, DEVICE_BEHIND_GATEWAY, true, Set.of(GATEWAY_DEVICE_ID));
        registry.addDevice(tenant, DEVICE_NOT_BEHIND_GATEWAY, true, Set.of("another-gateway"));
        registry.addDevice(tenant, "disabled-device", false, Set.of());
        registry.addCredentials(tenant, DISABLED_AUTH_ID, "disabled-device", DISABLED_PASSWORD);
        return tenant;
    }

    double counter(String name, String... tags) {
        var search = meters.find("twinworks.hono.mqtt." + name);
        if (tags.length > 0) {
            search = search.tags(tags);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    // ---------------------------------------------------------------- Kafka helpers

    /** Waits until the topic holds at least {@code count} records and returns all of them. */
    List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, int count, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = newConsumer()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
                if (infos != null) {
                    partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                } else {
                    sleep(100);
                }
            }
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The number of records in a topic right now (sum of end offsets; 0 if it does not exist). */
    long recordCount(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = newConsumer()) {
            List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
            if (infos == null) {
                return 0;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    void writeRecord(ProducerRecord<String, byte[]> record) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- mosquitto helpers

    record ProcessResult(int exitCode, String stdout, String stderr) {
    }

    /** The mosquitto client binary; fails the test loudly when it is not installed (never skips). */
    static String mosquittoBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not installed: install Debian's mosquitto-clients "
                + "(apt-get install mosquitto-clients); these tests must not be skipped");
    }

    /** Runs mosquitto_pub against the endpoint and waits for it to exit. */
    ProcessResult mosquittoPub(String version, String username, String password, String topic, int qos,
                               String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(mosquittoBinary("mosquitto_pub"),
                "-h", "127.0.0.1", "-p", Integer.toString(mqttPort), "-V", version,
                "-t", topic, "-q", Integer.toString(qos), "-i", "test-pub-" + System.nanoTime()));
        if (username != null) {
            command.addAll(List.of("-u", username));
        }
        if (password != null) {
            command.addAll(List.of("-P", password));
        }
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not exit within 30 s: " + command);
        }
        return new ProcessResult(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Runs {@code mosquitto_pub -l} (one message per line, one connection) and waits for it to exit. */
    ProcessResult mosquittoPubLines(String version, String username, String password, String topic, int qos,
                                    List<String> lines) throws Exception {
        List<String> command = List.of(mosquittoBinary("mosquitto_pub"),
                "-h", "127.0.0.1", "-p", Integer.toString(mqttPort), "-V", version, "-t", topic,
                "-q", Integer.toString(qos), "-i", "test-pub-" + System.nanoTime(), "-u", username, "-P", password, "-l");
        Process process = new ProcessBuilder(command).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not exit within 30 s: " + command);
        }
        return new ProcessResult(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** A running mosquitto_sub whose output lines are collected. */
    static final class Subscriber implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Subscriber(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            }, "mosquitto_sub-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next output line containing {@code text}, or {@code null} after the timeout. */
        String awaitLine(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
            return null;
        }

        /** The next output line starting with {@code prefix} (a received message with -v), or {@code null}. */
        String awaitMessageLine(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
            return null;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /** Starts mosquitto_sub with debug output (so that SUBACK shows) and verbose message lines. */
    Subscriber mosquittoSub(String version, String username, String password, String topicFilter, int qos)
            throws IOException {
        // stdbuf: mosquitto_sub's debug lines (SUBACK) are block-buffered when stdout is a pipe
        return new Subscriber(List.of(mosquittoBinary("stdbuf"), "-oL", mosquittoBinary("mosquitto_sub"), "-h", "127.0.0.1",
                "-p", Integer.toString(mqttPort), "-V", version, "-u", username, "-P", password,
                "-t", topicFilter, "-q", Integer.toString(qos), "-v", "-d", "-i", "test-sub-" + System.nanoTime()));
    }

    @Override
    public void close() throws Exception {
        try {
            endpoint.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            broker.close();
        }
    }
}
