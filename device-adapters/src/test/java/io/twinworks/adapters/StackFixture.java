package io.twinworks.adapters;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.hono.HonoSettings;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A local stack on fixed free ports (so it can be stopped and started again under the same
 * addresses, keeping its state), provisioned with a gateway, devices acting through it, a device
 * not registered for the gateway, and a standalone device; with twins for the devices.
 */
public final class StackFixture implements AutoCloseable {

    public static final String TENANT = "plant.a";
    public static final String GATEWAY = "plant.a:gw-1";
    public static final String GATEWAY_AUTH = "gw-1";
    public static final String GATEWAY_PASSWORD = "gw-secret";
    public static final String SOLO = "plant.a:solo";
    public static final String SOLO_AUTH = "solo";
    public static final String SOLO_PASSWORD = "solo-secret";
    /** Registered, but its registry entry does not name the gateway in {@code via}. */
    public static final String STRAY = "plant.a:stray";
    public static final String OPERATOR = "ditto";
    public static final String OPERATOR_PASSWORD = "ditto";

    public final Vertx vertx = Vertx.vertx();
    private final Path stateDir;
    private final LocalStackConfig config;
    private final List<String> gatewayDevices;
    private LocalStack stack;
    private LocalStackEndpoints endpoints;

    /** Starts the stack with the given devices behind the gateway. */
    public StackFixture(Path stateDir, List<String> gatewayDevices) throws Exception {
        this.stateDir = stateDir;
        this.gatewayDevices = List.copyOf(gatewayDevices);
        // fixed ports (not 0) so that stop() and start() bring the stack back where the adapters expect it; a port
        // found free can be taken by another socket's ephemeral port before the stack binds it: try fresh ones then
        LocalStackConfig chosen = null;
        for (int attempt = 1; chosen == null; attempt++) {
            LocalStackConfig candidate = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4",
                            "TWINWORKS_HONO_COMMAND_TIMEOUT_MS", "5000"))
                    .withStateDir(stateDir.resolve("stack-" + attempt))
                    .withPorts(freePort(), freePort(), freePort())
                    .withDitto(freePort(), Map.of(OPERATOR, OPERATOR_PASSWORD));
            stack = new LocalStack(vertx, candidate, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            try {
                endpoints = await(stack.start());
                chosen = candidate;
            } catch (RuntimeException e) {
                if (attempt >= 3 || !portTaken(e)) {
                    throw e;
                }
                try {
                    await(stack.stop());
                } catch (RuntimeException ignored) {
                    // partly started: what did start is released as far as it goes
                }
            }
        }
        config = chosen;
        Path provisioning = stateDir.resolve("provisioning.json");
        Files.writeString(provisioning, provisioning().encode());
        await(stack.provision(provisioning));
        for (String device : gatewayDevices) {
            createTwin(device);
        }
        createTwin(SOLO);
    }

    private static boolean portTaken(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** Starts the stack (again). */
    public void start() {
        stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        endpoints = await(stack.start());
    }

    /** Stops the stack; its state is kept for {@link #start()}. */
    public void stop() {
        await(stack.stop());
    }

    public String mqttUri() {
        return endpoints.mqttUri();
    }

    public String dittoUrl() {
        return endpoints.dittoUrl();
    }

    public String kafkaBootstrapServers() {
        return endpoints.kafkaBootstrapServers();
    }

    /** Adapter settings acting as the gateway. */
    public HonoSettings gatewaySettings(HonoSettings.MqttProtocol protocol) {
        return new HonoSettings(mqttUri(), TENANT, GATEWAY_AUTH, GATEWAY_PASSWORD, protocol, GATEWAY, true, 1,
                "adapter-" + UUID.randomUUID(), 100);
    }

    /** Adapter settings acting as the standalone device. */
    public HonoSettings soloSettings(HonoSettings.MqttProtocol protocol) {
        return new HonoSettings(mqttUri(), TENANT, SOLO_AUTH, SOLO_PASSWORD, protocol, SOLO, false, 1,
                "adapter-" + UUID.randomUUID(), 100);
    }

    private JsonObject provisioning() {
        JsonObject devices = new JsonObject()
                .put(GATEWAY, new JsonObject().put("enabled", true))
                .put(SOLO, new JsonObject().put("enabled", true))
                .put(STRAY, new JsonObject().put("enabled", true));
        for (String device : gatewayDevices) {
            devices.put(device, new JsonObject().put("enabled", true).put("via", new JsonArray().add(GATEWAY)));
        }
        JsonObject credentials = new JsonObject()
                .put(GATEWAY, credential(GATEWAY_AUTH, GATEWAY_PASSWORD))
                .put(SOLO, credential(SOLO_AUTH, SOLO_PASSWORD));
        return new JsonObject()
                .put("tenants", new JsonObject().put(TENANT, new JsonObject().put("enabled", true)))
                .put("devices", new JsonObject().put(TENANT, devices))
                .put("credentials", new JsonObject().put(TENANT, credentials));
    }

    private static JsonArray credential(String authId, String password) {
        return new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", authId)
                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", password))));
    }

    /** Creates the twin of a device: a policy for the operator and the Hono connection, and an empty thing. */
    public void createTwin(String thingId) {
        WebClient http = WebClient.create(vertx);
        try {
            JsonObject deviceSubjects = new JsonObject();
            config.dittoHonoSubjects().forEach(s -> deviceSubjects.put(s, new JsonObject().put("type", "hono")));
            JsonObject policy = new JsonObject().put("entries", new JsonObject()
                    .put("OPERATOR", new JsonObject()
                            .put("subjects", new JsonObject().put("nginx:" + OPERATOR, new JsonObject().put("type", "operator")))
                            .put("resources", new JsonObject()
                                    .put("thing:/", grant()).put("policy:/", grant()).put("message:/", grant())))
                    .put("DEVICE", new JsonObject().put("subjects", deviceSubjects)
                            .put("resources", new JsonObject().put("thing:/features", grant())
                                    // the Hono connection receives the thing's inbox messages: commands to the device
                                    .put("message:/inbox/messages", new JsonObject()
                                            .put("grant", new JsonArray().add("READ")).put("revoke", new JsonArray())))));
            put(http, "/api/2/policies/" + thingId, policy);
            put(http, "/api/2/things/" + thingId, new JsonObject().put("policyId", thingId).put("features", new JsonObject()));
        } finally {
            http.close();
        }
    }

    private static JsonObject grant() {
        return new JsonObject().put("grant", new JsonArray().add("READ").add("WRITE")).put("revoke", new JsonArray());
    }

    private void put(WebClient http, String path, JsonObject body) {
        var response = await(http.putAbs(dittoUrl() + path).basicAuthentication(OPERATOR, OPERATOR_PASSWORD)
                .sendJsonObject(body));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + path + ": " + response.statusCode() + " " + response.bodyAsString());
        }
    }

    /** The twin as Ditto's HTTP API returns it. */
    public JsonObject thing(String thingId) {
        WebClient http = WebClient.create(vertx);
        try {
            var response = await(http.getAbs(dittoUrl() + "/api/2/things/" + thingId)
                    .basicAuthentication(OPERATOR, OPERATOR_PASSWORD).send());
            return response.statusCode() == 200 ? response.bodyAsJsonObject() : new JsonObject();
        } finally {
            http.close();
        }
    }

    /** A property of a twin's feature, {@code null} while the twin, feature or property is absent. */
    public Object property(String thingId, String feature, String property) {
        JsonObject features = thing(thingId).getJsonObject("features", new JsonObject());
        return features.getJsonObject(feature, new JsonObject()).getJsonObject("properties", new JsonObject())
                .getValue(property);
    }

    /**
     * Reads Hono's telemetry and event topics from the beginning until {@code expectedPerDevice}
     * sequence numbers per device were seen or the timeout passed.
     *
     * @return device → the distinct sequence numbers seen, and the record count (duplicates included)
     */
    public KafkaTally readNorthbound(Map<String, Integer> expectedPerDevice, Duration timeout) {
        return readNorthbound(expectedPerDevice, timeout, false);
    }

    /**
     * As {@link #readNorthbound(Map, Duration)}; with {@code byNumber} it waits for distinct values of
     * the property {@code n} (the reading number a test device sends) instead of sequence numbers.
     */
    public KafkaTally readNorthbound(Map<String, Integer> expectedPerDevice, Duration timeout, boolean byNumber) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "tally-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, TreeSet<Long>> seen = new HashMap<>();
        Map<String, TreeSet<Long>> numbers = new HashMap<>();
        Map<String, List<Long>> telemetryArrivals = new HashMap<>();
        long records = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("hono.telemetry." + TENANT, "hono.event." + TENANT));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !(byNumber ? complete(numbers, expectedPerDevice)
                    : complete(seen, expectedPerDevice))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    JsonObject merge = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
                    JsonObject features = merge.getJsonObject("value");
                    for (String feature : features.fieldNames()) {
                        JsonObject values = features.getJsonObject(feature).getJsonObject("properties");
                        Long seq = values.getLong("seq");
                        if (seq != null) {
                            seen.computeIfAbsent(record.key(), k -> new TreeSet<>()).add(seq);
                            if (record.topic().startsWith("hono.telemetry.")) {
                                // one partition per device (key): Kafka keeps this order
                                telemetryArrivals.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(seq);
                            }
                        }
                        if (values.getValue("n") instanceof Number n) {
                            numbers.computeIfAbsent(record.key(), k -> new TreeSet<>()).add(n.longValue());
                        }
                    }
                }
            }
        }
        return new KafkaTally(seen, numbers, telemetryArrivals, records);
    }

    private static boolean complete(Map<String, TreeSet<Long>> seen, Map<String, Integer> expected) {
        return expected.entrySet().stream()
                .allMatch(e -> seen.getOrDefault(e.getKey(), new TreeSet<>()).size() >= e.getValue());
    }

    /** What the northbound topics held. */
    public record KafkaTally(Map<String, TreeSet<Long>> seqsByDevice, Map<String, TreeSet<Long>> numbersByDevice,
                             Map<String, List<Long>> telemetryArrivalsByDevice, long records) {
        /** The distinct sequence numbers seen for the device, sorted (says nothing about arrival order). */
        public TreeSet<Long> seqs(String device) {
            return seqsByDevice.getOrDefault(device, new TreeSet<>());
        }

        /**
         * The device's telemetry sequence numbers in the order Kafka holds them (its partition's order),
         * each at its first arrival: a resend after a lost PUBACK repeats a number, it does not reorder.
         */
        public List<Long> telemetryArrivalOrder(String device) {
            return telemetryArrivalsByDevice.getOrDefault(device, List.of()).stream().distinct().toList();
        }

        /** The distinct values of property {@code n} seen for the device. */
        public TreeSet<Long> numbers(String device) {
            return numbersByDevice.getOrDefault(device, new TreeSet<>());
        }
    }

    /** A command response read from {@code hono.command_response.<tenant>}. */
    public record CommandResponse(int status, String payload) {
    }

    /**
     * Sends a request/response command through Hono's Kafka command API, as a business application
     * does, and waits for the device's response. Sent once: a command without a response is a failure.
     */
    public CommandResponse sendCommand(String deviceId, String name, String payload, Duration timeout) {
        return awaitCommandResponse(produceCommand(deviceId, name, payload), timeout);
    }

    /**
     * Writes one request/response command to {@code hono.command.<tenant>} and returns its correlation ID
     * once Kafka acknowledged it.
     */
    public String produceCommand(String deviceId, String name, String payload) {
        String correlationId = "corr-" + UUID.randomUUID();
        Properties producerProperties = new Properties();
        producerProperties.put("bootstrap.servers", kafkaBootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(producerProperties,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var record = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>("hono.command." + TENANT,
                    deviceId, payload.getBytes(StandardCharsets.UTF_8));
            record.headers().add("device_id", deviceId.getBytes(StandardCharsets.UTF_8))
                    .add("subject", name.getBytes(StandardCharsets.UTF_8))
                    .add("correlation-id", correlationId.getBytes(StandardCharsets.UTF_8))
                    .add("response-required", "true".getBytes(StandardCharsets.UTF_8))
                    .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
            return correlationId;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code hono.command_response.<tenant>} from its beginning until the response with this correlation ID. */
    public CommandResponse awaitCommandResponse(String correlationId, Duration timeout) {
        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "responses-" + UUID.randomUUID());
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("hono.command_response." + TENANT));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> response : consumer.poll(Duration.ofMillis(300))) {
                    var correlation = response.headers().lastHeader("correlation-id");
                    if (correlation != null && correlationId.equals(new String(correlation.value(), StandardCharsets.UTF_8))) {
                        var status = response.headers().lastHeader("status");
                        return new CommandResponse(Integer.parseInt(new String(status.value(), StandardCharsets.UTF_8)),
                                response.value() == null ? "" : new String(response.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            throw new AssertionError("no response to command " + correlationId + " within " + timeout);
        }
    }

    /** A free TCP port (closed again right away). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static <T> T await(Future<T> future) {
        // bounded: a future that never completes fails the test (a CompletionException with a TimeoutException)
        // instead of parking the build until CI's limit
        return future.toCompletionStage().toCompletableFuture().orTimeout(2, java.util.concurrent.TimeUnit.MINUTES).join();
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            await(vertx.close());
        }
    }
}
