package io.twinworks.localstack;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands from Ditto to a device on the whole local stack: a live message (HTTP messages API, or Ditto's own
 * Java client over {@code /ws/2}) becomes a Hono command on {@code hono.command.<tenant>}, reaches a device
 * subscribed over MQTT ({@code command///req/#}, Vert.x's MQTT client as the device), and the device's answer on
 * {@code command///res/<req-id>/<status>} comes back to the caller with its status, content type and payload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HonoCommandsEndToEndTest {

    private static final String TENANT = "plant.a";
    private static final String PUMP = "plant.a:pump-1";
    /** Registered with Hono, never connected. */
    private static final String IDLE_PUMP = "plant.a:pump-2";
    private static final Map<String, String> USERS = Map.of("ditto", "ditto", "reader", "reader-secret");
    private static final String POLICY = """
            {"entries":{
              "OWNER":{"subjects":{"nginx:ditto":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "policy:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "message:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "DEVICE":{"subjects":{"pre-authenticated:hono-connection":{"type":"hono"}},
                       "resources":{"thing:/features":{"grant":["READ","WRITE"],"revoke":[]},
                                    "message:/inbox/messages/setSpeed":{"grant":["READ"],"revoke":[]},
                                    "message:/inbox/messages/explode":{"grant":["READ"],"revoke":[]},
                                    "message:/inbox/messages/ignore":{"grant":["READ"],"revoke":[]}}},
              "READER":{"subjects":{"nginx:reader":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}}""";

    @TempDir
    static Path stateDir;

    private Vertx vertx;
    private LocalStack stack;
    private LocalStackEndpoints endpoints;
    private WebClient http;
    private MqttClient device;
    private DittoClient dittoClient;
    /** What the device received: "topic payload". */
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startStackAndDevice() throws Exception {
        vertx = Vertx.vertx();
        LocalStackConfig config = LocalStackConfig.defaults().withStateDir(stateDir)
                .withPorts(0, 0, 0)
                .withDitto(0, USERS);
        stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        endpoints = await(stack.start());
        http = WebClient.create(vertx);
        String registry = endpoints.registryUrl();
        expectStatus(http.postAbs(registry + "/v1/tenants/" + TENANT), null, 201);
        for (String deviceId : List.of(PUMP, IDLE_PUMP)) {
            expectStatus(http.postAbs(registry + "/v1/devices/" + TENANT + "/" + deviceId), null, 201);
        }
        expectStatus(http.putAbs(registry + "/v1/credentials/" + TENANT + "/" + PUMP),
                "[{\"type\":\"hashed-password\",\"auth-id\":\"pump-1\",\"secrets\":[{\"pwd-plain\":\"pump-secret\"}]}]",
                204);
        for (String thingId : List.of(PUMP, IDLE_PUMP)) {
            expectStatus(as("ditto", http.putAbs(endpoints.dittoUrl() + "/api/2/policies/" + thingId)), POLICY, 201);
            expectStatus(as("ditto", http.putAbs(endpoints.dittoUrl() + "/api/2/things/" + thingId)),
                    "{\"policyId\":\"" + thingId + "\"}", 201);
        }
        device = MqttClient.create(vertx, new MqttClientOptions().setClientId("pump-1")
                .setUsername("pump-1@" + TENANT).setPassword("pump-secret").setAutoKeepAlive(true));
        device.publishHandler(message -> {
            String topic = message.topicName();
            String payload = message.payload().toString(StandardCharsets.UTF_8);
            received.add(topic + " " + payload);
            // command///req/<req-id>/<name>; an empty req-id means one-way
            String[] segments = topic.split("/", -1);
            String requestId = segments[4];
            String name = segments[5];
            if (requestId.isEmpty() || name.equals("ignore")) {
                return;
            }
            // MQTT 3.1.1 has no content type property: the answer names its content type in Hono's property bag,
            // an answer without one is application/octet-stream (Hono's default)
            String responseTopic = name.equals("setSpeed")
                    ? "command///res/" + requestId + "/200/?content-type=application%2Fjson"
                    : "command///res/" + requestId + "/404";
            String answer = name.equals("setSpeed")
                    ? "{\"accepted\":true,\"request\":" + payload + "}"
                    : "{\"error\":\"unknown command " + name + "\"}";
            device.publish(responseTopic, Buffer.buffer(answer), MqttQoS.AT_LEAST_ONCE, false, false);
        });
        URI mqtt = URI.create(endpoints.mqttUri());
        await(device.connect(mqtt.getPort(), mqtt.getHost()));
        await(device.subscribe("command///req/#", MqttQoS.AT_LEAST_ONCE.value()));
        dittoClient = DittoClients.newInstance(MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(endpoints.dittoUrl().replace("http://", "ws://"))
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username("ditto").password("ditto").build())))
                .connect().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (dittoClient != null) {
            dittoClient.destroy();
        }
        if (device != null && device.isConnected()) {
            await(device.disconnect());
        }
        if (stack != null) {
            await(stack.stop());
        }
        await(vertx.close());
    }

    @Test
    void httpMessageReachesTheDeviceAsHonoCommandAndItsResponseIsTheAnswer() throws Exception {
        HttpResponse<Buffer> response = post("ditto", PUMP, "setSpeed?timeout=10", "application/json", "{\"rpm\":1500}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyAsJsonObject().getBoolean("accepted")).isTrue();
        assertThat(response.bodyAsJsonObject().getJsonObject("request").getInteger("rpm")).isEqualTo(1500);
        // the device saw the bare message payload, not a Ditto Protocol envelope
        assertThat(received).anyMatch(line -> line.matches("command///req/[^/]+/setSpeed \\{\"rpm\":1500}"));
    }

    @Test
    void theHonoCommandRecordCarriesDeviceSubjectCorrelationIdAndContentType() throws Exception {
        HttpResponse<Buffer> response = await(as("ditto", http.postAbs(messageUrl(PUMP, "setSpeed?timeout=10")))
                .putHeader("Content-Type", "application/json")
                .putHeader("correlation-id", "record-check-1")
                .sendBuffer(Buffer.buffer("{\"rpm\":900}")));
        assertThat(response.statusCode()).isEqualTo(200);

        ConsumerRecord<String, byte[]> command = commandRecord("record-check-1");
        assertThat(command.key()).isEqualTo(PUMP);
        assertThat(header(command, "device_id")).isEqualTo(PUMP);
        assertThat(header(command, "subject")).isEqualTo("setSpeed");
        assertThat(header(command, "response-required")).isEqualTo("true");
        assertThat(header(command, "content-type")).isEqualTo("application/json");
        assertThat(new String(command.value(), StandardCharsets.UTF_8)).isEqualTo("{\"rpm\":900}");
    }

    @Test
    void theDevicesErrorStatusIsPassedThrough() throws Exception {
        HttpResponse<Buffer> response = post("ditto", PUMP, "explode?timeout=10", "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        // no content type from the device: Hono's octet-stream, and Ditto answers the bytes as they are
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"unknown command explode\"}");
    }

    @Test
    void timeoutZeroSendsAOneWayCommandAndAnswers202() throws Exception {
        HttpResponse<Buffer> response = post("ditto", PUMP, "setSpeed?timeout=0", "application/json", "{\"rpm\":77}");

        assertThat(response.statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(received).contains("command///req//setSpeed {\"rpm\":77}"));
    }

    @Test
    void aDeviceThatIsNotSubscribedIsAnsweredWithHonos503() throws Exception {
        HttpResponse<Buffer> response = post("ditto", IDLE_PUMP, "setSpeed?timeout=10", "application/json", "{\"rpm\":1}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.bodyAsJsonObject().getString("error")).contains("not connected");
    }

    @Test
    void aDeviceThatDoesNotAnswerInTimeGivesDittosTimeout408() throws Exception {
        HttpResponse<Buffer> response = post("ditto", PUMP, "ignore?timeout=1", "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("gateway:command.timeout");
    }

    @Test
    void anUnknownThingIsAnswered404() throws Exception {
        HttpResponse<Buffer> response = post("ditto", "plant.a:pump-99", "setSpeed?timeout=5", "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("things:thing.notfound");
    }

    @Test
    void aSenderWithoutWriteOnTheMessageIsRefused403AndNothingReachesTheDevice() throws Exception {
        int before = received.size();

        HttpResponse<Buffer> response = post("reader", PUMP, "setSpeed?timeout=5", "application/json", "{\"rpm\":3}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("messages:send.notallowed");
        assertThat(received.subList(before, received.size())).noneMatch(line -> line.endsWith("{\"rpm\":3}"));
    }

    @Test
    void aMessageTheConnectionMayNotReadIsNotForwardedToHono() throws Exception {
        int before = received.size();

        // the policy grants the Hono connection READ on a few subjects only: this one times out
        HttpResponse<Buffer> response = post("ditto", PUMP, "selfDestruct?timeout=1", "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(received.subList(before, received.size())).noneMatch(line -> line.contains("selfDestruct"));
    }

    @Test
    void dittoClientSendsAMessageOverTheWebSocketAndGetsTheDevicesResponse() throws Exception {
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        dittoClient.live().forId(ThingId.of(PUMP)).message().to().subject("setSpeed")
                .payload("{\"rpm\":1200}").contentType("application/json")
                .send(org.eclipse.ditto.json.JsonObject.class, (reply, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(new Object[]{reply.getHttpStatus().orElse(null), reply.getPayload().orElse(null)});
                    }
                });

        Object[] reply = answer.get(20, TimeUnit.SECONDS);
        assertThat(reply[0]).isEqualTo(HttpStatus.OK);
        assertThat(((org.eclipse.ditto.json.JsonObject) reply[1]).getValue("request/rpm"))
                .contains(org.eclipse.ditto.json.JsonValue.of(1200));
    }

    // ------------------------------------------------------------------ helpers

    private ConsumerRecord<String, byte[]> commandRecord(String correlationId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("hono.command." + TENANT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (correlationId.equals(header(record, "correlation-id"))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no command record with correlation-id " + correlationId);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private String messageUrl(String thingId, String subjectAndQuery) {
        return endpoints.dittoUrl() + "/api/2/things/" + thingId + "/inbox/messages/" + subjectAndQuery;
    }

    private HttpResponse<Buffer> post(String user, String thingId, String subjectAndQuery, String contentType,
                                      String body) throws Exception {
        return await(as(user, http.postAbs(messageUrl(thingId, subjectAndQuery)))
                .putHeader("Content-Type", contentType)
                .sendBuffer(Buffer.buffer(body)));
    }

    private static HttpRequest<Buffer> as(String user, HttpRequest<Buffer> request) {
        return request.basicAuthentication(user, USERS.get(user));
    }

    private void expectStatus(HttpRequest<Buffer> request, String json, int... statuses) throws Exception {
        HttpResponse<Buffer> response = json == null ? await(request.send())
                : await(request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
        assertThat(statuses).as("%s answered %s", request.uri(), response.bodyAsString())
                .contains(response.statusCode());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

}
