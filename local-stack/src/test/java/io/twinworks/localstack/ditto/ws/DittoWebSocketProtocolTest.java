package io.twinworks.localstack.ditto.ws;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Ditto Protocol on {@code /ws/2} frame by frame, with a plain Vert.x WebSocket client: refusals,
 * malformed frames, event subscriptions (filters, namespaces, READ enforcement, partial events),
 * live message timeouts and acknowledgements.
 */
@ExtendWith(VertxExtension.class)
class DittoWebSocketProtocolTest {

    private static final Map<String, String> USERS = Map.of(
            "ditto", "ditto", "operator", "operator-secret", "sensor", "sensor-secret", "stranger", "stranger-secret");
    private static final String THING = "plant.a:pump-7";
    private static final String TOPIC = "plant.a/pump-7/things/twin/commands/";

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private SimpleMeterRegistry metrics;
    private DittoTwinServer server;
    private HttpClient http;
    private int port;

    /** A connected WebSocket with its received text frames. */
    private record Session(WebSocket socket, LinkedBlockingQueue<String> frames) {

        void send(String frame) throws Exception {
            socket.writeTextMessage(frame).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 s").isNotNull();
            return frame;
        }

        JsonObject nextJson() throws InterruptedException {
            return new JsonObject(next());
        }

        void expectNothingFor(long millis) throws InterruptedException {
            assertThat(frames.poll(millis, TimeUnit.MILLISECONDS)).as("no frame expected").isNull();
        }
    }

    @BeforeEach
    void startServer(Vertx vertx) throws Exception {
        this.vertx = vertx;
        metrics = new SimpleMeterRegistry();
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS), metrics);
        port = await(server.start());
        http = vertx.createHttpClient();
        createPolicyAndThing();
    }

    @AfterEach
    void stopServer() throws Exception {
        await(http.close());
        await(server.stop());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Session connect(String user) throws Exception {
        return connect(user, "/ws/2");
    }

    private Session connect(String user, String uri) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
        if (user != null) {
            options.addHeader("Authorization", basic(user, USERS.get(user)));
        }
        WebSocket socket = await(http.webSocket(options));
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        socket.textMessageHandler(frames::add);
        return new Session(socket, frames);
    }

    private void createPolicyAndThing() throws Exception {
        Session owner = connect("ditto");
        owner.send(command("plant.a/pump-7/policies/commands/create", "create-policy", "/", """
                {"policyId":"plant.a:pump-7","entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"test"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "message:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "OPERATOR":{"subjects":{"nginx:operator":{"type":"test"}},
                           "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                        "message:/":{"grant":["READ"],"revoke":[]}}},
                  "SENSOR":{"subjects":{"nginx:sensor":{"type":"test"}},
                           "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]}}}}}"""));
        JsonObject policyCreated = owner.nextJson();
        assertThat(policyCreated.getInteger("status")).as(policyCreated.encode()).isEqualTo(201);
        owner.send(command(TOPIC + "create", "create-thing", "/", """
                {"policyId":"plant.a:pump-7","attributes":{"site":"plant-a"},
                 "features":{"vibration":{"properties":{"rms":0.2}},"temperature":{"properties":{"c":40}}}}"""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(201);
        owner.socket().close();
    }

    private static String command(String topic, String correlationId, String path, String value) {
        JsonObject message = new JsonObject().put("topic", topic)
                .put("headers", new JsonObject().put("correlation-id", correlationId))
                .put("path", path);
        if (value != null) {
            message.put("value", io.vertx.core.json.Json.decodeValue(value));
        }
        return message.encode();
    }

    private static String merge(String correlationId, String path, Object value) {
        return new JsonObject().put("topic", TOPIC + "merge")
                .put("headers", new JsonObject().put("correlation-id", correlationId)
                        .put("content-type", "application/merge-patch+json"))
                .put("path", path).put("value", value).encode();
    }

    private static void subscribe(Session session, String control) throws Exception {
        session.send(control);
        assertThat(session.next()).isEqualTo(control.split("\\?")[0] + ":ACK");
    }

    private static void assertError(JsonObject frame, int status, String error, String correlationId) {
        assertThat(frame.getString("topic")).as(frame.encode()).endsWith("/errors");
        assertThat(frame.getInteger("status")).as(frame.encode()).isEqualTo(status);
        assertThat(frame.getJsonObject("value").getString("error")).as(frame.encode()).isEqualTo(error);
        assertThat(frame.getJsonObject("value").getString("message")).isNotBlank();
        if (correlationId != null) {
            assertThat(frame.getJsonObject("headers").getString("correlation-id")).isEqualTo(correlationId);
        }
    }

    private double counter(String name) {
        return metrics.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    // ---------------------------------------------------------------- upgrade refusals

    @Test
    void upgradeWithoutCredentialsIsRefusedWith401() {
        assertThatThrownBy(() -> connect(null))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(UpgradeRejectedException.class,
                        rejected -> assertThat(rejected.getStatus()).isEqualTo(401));
        assertThat(counter("twinworks.ditto.ws.upgrades.refused")).isEqualTo(1);
    }

    @Test
    void upgradeWithWrongPasswordIsRefusedWith401() {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws/2").addHeader("Authorization", basic("ditto", "wrong"));
        assertThatThrownBy(() -> await(http.webSocket(options)))
                .cause().isInstanceOfSatisfying(UpgradeRejectedException.class,
                        rejected -> assertThat(rejected.getStatus()).isEqualTo(401));
    }

    @Test
    void plainHttpRequestToWs2IsRefusedWithDittoError() throws Exception {
        HttpResponse<Buffer> response = await(WebClient.create(vertx).get(port, "127.0.0.1", "/ws/2")
                .putHeader("Authorization", basic("ditto", "ditto")).send());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(400);
    }

    @Test
    void declaringABuiltInAcknowledgementLabelIsRefused() {
        assertThatThrownBy(() -> connect("ditto", "/ws/2?declared-acks=twin-persisted"))
                .cause().isInstanceOfSatisfying(UpgradeRejectedException.class,
                        rejected -> assertThat(rejected.getStatus()).isEqualTo(400));
    }

    // ---------------------------------------------------------------- malformed frames

    @Test
    void malformedJsonGets400AndTheSessionStaysUsable() throws Exception {
        Session session = connect("ditto");

        session.send("{\"topic\": not json");
        assertError(session.nextJson(), 400, "json.invalid", null);

        session.send(command(TOPIC + "retrieve", "after-garbage", "/attributes/site", null));
        JsonObject response = session.nextJson();
        assertThat(response.getInteger("status")).isEqualTo(200);
        assertThat(response.getString("value")).isEqualTo("plant-a");
        assertThat(response.getJsonObject("headers").getString("correlation-id")).isEqualTo("after-garbage");
        assertThat(counter("twinworks.ditto.ws.frames.malformed")).isEqualTo(1);
    }

    @Test
    void jsonThatIsNoObjectGets400() throws Exception {
        Session session = connect("ditto");
        session.send("[1,2,3]");
        // Ditto's DittoJsonException for well-formed JSON of the wrong shape
        assertError(session.nextJson(), 400, "json.format.invalid", null);
    }

    @Test
    void unknownTopicGets400WithTheSameCorrelationId() throws Exception {
        Session session = connect("ditto");
        session.send(command("plant.a/pump-7/things/twin/commands/fly", "bad-topic", "/", null));
        JsonObject error = session.nextJson();
        assertThat(error.getInteger("status")).isEqualTo(400);
        assertThat(error.getJsonObject("headers").getString("correlation-id")).isEqualTo("bad-topic");
    }

    @Test
    void missingTopicGets400() throws Exception {
        Session session = connect("ditto");
        session.send("{\"headers\":{\"correlation-id\":\"no-topic\"},\"path\":\"/\"}");
        JsonObject error = session.nextJson();
        assertThat(error.getInteger("status")).isEqualTo(400);
        assertThat(error.getJsonObject("headers").getString("correlation-id")).isEqualTo("no-topic");
    }

    @Test
    void invalidRqlFilterIsAnsweredWith400InsteadOfAnAck() throws Exception {
        Session session = connect("ditto");
        session.send("START-SEND-EVENTS?filter=gt(features/vibration/properties/rms");
        JsonObject error = session.nextJson();
        assertThat(error.getInteger("status")).isEqualTo(400);
        assertThat(error.getJsonObject("value").getString("error")).isEqualTo("rql.expression.invalid");
    }

    @Test
    void clientCannotRaiseItsAuthorizationWithHeaders() throws Exception {
        Session stranger = connect("stranger");
        stranger.send(new JsonObject().put("topic", TOPIC + "retrieve")
                .put("headers", new JsonObject().put("correlation-id", "sneaky")
                        .put("ditto-auth-context", "{\"type\":\"x\",\"subjects\":[\"nginx:ditto\"]}"))
                .put("path", "/").encode());
        assertError(stranger.nextJson(), 404, "things:thing.notfound", "sneaky");
    }

    // ---------------------------------------------------------------- twin commands

    @Test
    void twinCommandWithoutResponseRequiredGetsNoResponse() throws Exception {
        Session session = connect("ditto");
        session.send(new JsonObject().put("topic", TOPIC + "modify")
                .put("headers", new JsonObject().put("correlation-id", "quiet").put("response-required", false))
                .put("path", "/attributes/site").put("value", "plant-q").encode());
        session.expectNothingFor(500);
        session.send(command(TOPIC + "retrieve", "check", "/attributes/site", null));
        assertThat(session.nextJson().getString("value")).isEqualTo("plant-q");
    }

    @Test
    void forbiddenFeatureMergeGets403ErrorResponseWithCorrelationId() throws Exception {
        Session operator = connect("operator");
        operator.send(merge("op-merge", "/features/vibration/properties", new JsonObject().put("rms", 3.0)));
        JsonObject error = operator.nextJson();
        assertThat(error.getString("topic")).isEqualTo("plant.a/pump-7/things/twin/errors");
        assertThat(error.getInteger("status")).isEqualTo(403);
        assertThat(error.getJsonObject("headers").getString("correlation-id")).isEqualTo("op-merge");
    }

    @Test
    void acknowledgementsWithResponseRequiredFalseAreRefused() throws Exception {
        Session session = connect("ditto");
        session.send(new JsonObject().put("topic", TOPIC + "modify")
                .put("headers", new JsonObject().put("correlation-id", "acks-quiet").put("response-required", false)
                        .put("requested-acks", new JsonArray().add("twin-persisted")))
                .put("path", "/attributes/site").put("value", "x").encode());
        assertError(session.nextJson(), 400, "header.invalid", "acks-quiet");
    }

    // ---------------------------------------------------------------- events

    @Test
    void eventIsDeliveredToReaderButNotToSubjectWithoutRead() throws Exception {
        Session stranger = connect("stranger");
        subscribe(stranger, "START-SEND-EVENTS");
        Session operator = connect("operator");
        subscribe(operator, "START-SEND-EVENTS");
        Session owner = connect("ditto");

        owner.send(merge("m1", "/features/vibration/properties", new JsonObject().put("rms", 1.2)));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);

        JsonObject event = operator.nextJson();
        assertThat(event.getString("topic")).isEqualTo("plant.a/pump-7/things/twin/events/merged");
        assertThat(event.getString("path")).isEqualTo("/features/vibration/properties");
        assertThat(event.getJsonObject("value").getDouble("rms")).isEqualTo(1.2);
        assertThat(event.getJsonObject("headers").getString("correlation-id")).isEqualTo("m1");
        assertThat(event.getJsonObject("headers").containsKey("ditto-auth-context")).isFalse();
        stranger.expectNothingFor(500);
    }

    @Test
    void partialReaderGetsOnlyTheReadablePartOfAnEvent() throws Exception {
        Session sensor = connect("sensor");
        subscribe(sensor, "START-SEND-EVENTS");
        Session owner = connect("ditto");

        owner.send(merge("m2", "/", new JsonObject()
                .put("attributes", new JsonObject().put("site", "plant-b"))
                .put("features", new JsonObject()
                        .put("vibration", new JsonObject().put("properties", new JsonObject().put("rms", 0.7)))
                        .put("temperature", new JsonObject().put("properties", new JsonObject().put("c", 90))))));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);

        JsonObject event = sensor.nextJson();
        assertThat(event.getString("path")).isEqualTo("/");
        assertThat(event.getJsonObject("value").encode())
                .isEqualTo("{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.7}}}}");
    }

    @Test
    void aReadRevokedByAPolicyChangeStopsTheVeryNextEvent() throws Exception {
        Session operator = connect("operator");
        subscribe(operator, "START-SEND-EVENTS");
        Session owner = connect("ditto");
        owner.send(merge("before", "/features/vibration/properties", new JsonObject().put("rms", 0.3)));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        assertThat(operator.nextJson().getJsonObject("headers").getString("correlation-id")).isEqualTo("before");

        owner.send(command("plant.a/pump-7/policies/commands/modify", "revoke", "/entries/OPERATOR", """
                {"subjects":{"nginx:operator":{"type":"test"}},
                 "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                              "thing:/features/vibration":{"grant":[],"revoke":["READ"]},
                              "message:/":{"grant":["READ"],"revoke":[]}}}"""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        owner.send(merge("revoked", "/features/vibration/properties", new JsonObject().put("rms", 0.4)));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        owner.send(merge("still-readable", "/features/temperature/properties", new JsonObject().put("c", 41)));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);

        // events leave in commit order: the next frame is the readable change, the revoked one was never sent
        assertThat(operator.nextJson().getJsonObject("headers").getString("correlation-id"))
                .isEqualTo("still-readable");
        operator.expectNothingFor(300);
    }

    @Test
    void eventOfAnUnreadablePathIsNotDeliveredToAPartialReader() throws Exception {
        Session sensor = connect("sensor");
        subscribe(sensor, "START-SEND-EVENTS");
        Session owner = connect("ditto");
        owner.send(command(TOPIC + "modify", "attr", "/attributes/site", "\"plant-c\""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        sensor.expectNothingFor(500);
    }

    @Test
    void filterThatDoesNotMatchDeliversNothingWhileAMatchingOneDelivers() throws Exception {
        Session notMatching = connect("operator");
        subscribe(notMatching, "START-SEND-EVENTS?filter=" + java.net.URLEncoder.encode(
                "gt(features/vibration/properties/rms,5)", StandardCharsets.UTF_8));
        Session matching = connect("ditto");
        subscribe(matching, "START-SEND-EVENTS?filter=gt(features/vibration/properties/rms,1)");
        Session sensor = connect("sensor");

        sensor.send(merge("m3", "/features/vibration/properties", new JsonObject().put("rms", 2.5)));
        assertThat(sensor.nextJson().getInteger("status")).isEqualTo(204);

        assertThat(matching.nextJson().getJsonObject("value").getDouble("rms")).isEqualTo(2.5);
        notMatching.expectNothingFor(500);
    }

    @Test
    void filterIsEvaluatedOnTheEventNotOnTheWholeTwinUnlessExtraFieldsAddIt() throws Exception {
        // like Ditto: an attribute change does not carry the vibration value, so the filter does not match ...
        Session eventOnly = connect("operator");
        subscribe(eventOnly, "START-SEND-EVENTS?filter=eq(attributes/site,\"plant-z\")");
        // ... unless extraFields bring the rest of the twin into the evaluated thing
        Session withExtra = connect("ditto");
        subscribe(withExtra, "START-SEND-EVENTS?filter=lt(features/vibration/properties/rms,1)"
                + "&extraFields=features/vibration/properties/rms");
        Session owner = connect("ditto");

        owner.send(command(TOPIC + "modify", "site-z", "/attributes/site", "\"plant-z\""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);

        assertThat(eventOnly.nextJson().getString("value")).isEqualTo("plant-z");
        JsonObject enriched = withExtra.nextJson();
        assertThat(enriched.getString("value")).isEqualTo("plant-z");
        assertThat(enriched.getJsonObject("extra").encode())
                .isEqualTo("{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.2}}}}");
    }

    @Test
    void otherNamespacesAreNotDelivered() throws Exception {
        Session session = connect("operator");
        subscribe(session, "START-SEND-EVENTS?namespaces=plant.b,plant.c");
        Session owner = connect("ditto");
        owner.send(command(TOPIC + "modify", "ns", "/attributes/site", "\"x\""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        session.expectNothingFor(500);
    }

    @Test
    void aSessionDoesNotReceiveEventsOfItsOwnCommands() throws Exception {
        Session owner = connect("ditto");
        subscribe(owner, "START-SEND-EVENTS");
        owner.send(command(TOPIC + "modify", "own", "/attributes/site", "\"own\""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        owner.expectNothingFor(500);
    }

    @Test
    void stopSendEventsEndsDelivery() throws Exception {
        Session operator = connect("operator");
        subscribe(operator, "START-SEND-EVENTS");
        subscribe(operator, "STOP-SEND-EVENTS");
        Session owner = connect("ditto");
        owner.send(command(TOPIC + "modify", "after-stop", "/attributes/site", "\"y\""));
        assertThat(owner.nextJson().getInteger("status")).isEqualTo(204);
        operator.expectNothingFor(500);
    }

    // ---------------------------------------------------------------- live messages

    @Test
    void liveMessageWithoutRecipientTimesOutWith408() throws Exception {
        Session owner = connect("ditto");
        owner.send(new JsonObject().put("topic", "plant.a/pump-7/things/live/messages/diagnose")
                .put("headers", new JsonObject().put("correlation-id", "nobody-there").put("timeout", "1s")
                        .put("content-type", "text/plain"))
                .put("path", "/inbox/messages/diagnose").put("value", "hello?").encode());
        JsonObject error = owner.nextJson();
        assertThat(error.getInteger("status")).isEqualTo(408);
        assertThat(error.getJsonObject("value").getString("error")).isEqualTo("gateway:command.timeout");
        assertThat(error.getJsonObject("headers").getString("correlation-id")).isEqualTo("nobody-there");
    }

    @Test
    void liveMessageIsNotDeliveredToSubjectWithoutReadOnMessages() throws Exception {
        Session sensor = connect("sensor");
        subscribe(sensor, "START-SEND-MESSAGES");
        Session operator = connect("operator");
        subscribe(operator, "START-SEND-MESSAGES");
        Session owner = connect("ditto");
        owner.send(new JsonObject().put("topic", "plant.a/pump-7/things/live/messages/diagnose")
                .put("headers", new JsonObject().put("correlation-id", "to-readers").put("timeout", "2s")
                        .put("content-type", "text/plain"))
                .put("path", "/features/vibration/inbox/messages/diagnose").put("value", "check").encode());

        JsonObject message = operator.nextJson();
        assertThat(message.getString("path")).isEqualTo("/features/vibration/inbox/messages/diagnose");
        sensor.expectNothingFor(300);

        operator.send(new JsonObject().put("topic", "plant.a/pump-7/things/live/messages/diagnose")
                .put("headers", new JsonObject().put("correlation-id", "to-readers").put("content-type", "text/plain"))
                .put("path", "/features/vibration/outbox/messages/diagnose").put("value", "fine")
                .put("status", 200).encode());
        JsonObject response = owner.nextJson();
        assertThat(response.getInteger("status")).isEqualTo(200);
        assertThat(response.getString("value")).isEqualTo("fine");
    }

    @Test
    void liveResponseNobodyWaitsForIsDropped() throws Exception {
        Session operator = connect("operator");
        operator.send(new JsonObject().put("topic", "plant.a/pump-7/things/live/messages/diagnose")
                .put("headers", new JsonObject().put("correlation-id", "unknown").put("content-type", "text/plain"))
                .put("path", "/outbox/messages/diagnose").put("value", "late").put("status", 200).encode());
        operator.expectNothingFor(300);
        assertThat(counter("twinworks.ditto.ws.live.dropped")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- acknowledgements

    @Test
    void twinPersistedAndCustomAcknowledgementsAreAggregated() throws Exception {
        Session checker = connect("operator", "/ws/2?declared-acks=quality:checked");
        subscribe(checker, "START-SEND-EVENTS");
        Session owner = connect("ditto");

        owner.send(new JsonObject().put("topic", TOPIC + "modify")
                .put("headers", new JsonObject().put("correlation-id", "with-acks").put("timeout", "5s")
                        .put("requested-acks", new JsonArray().add("twin-persisted").add("quality:checked")))
                .put("path", "/attributes/site").put("value", "plant-ack").encode());

        JsonObject event = checker.nextJson();
        assertThat(event.getJsonObject("headers").getJsonArray("requested-acks")).containsExactly("quality:checked");
        checker.send(new JsonObject().put("topic", "plant.a/pump-7/things/twin/acks/quality:checked")
                .put("headers", new JsonObject().put("correlation-id", "with-acks"))
                .put("path", "/").put("value", new JsonObject().put("ok", true)).put("status", 200).encode());

        JsonObject acks = owner.nextJson();
        assertThat(acks.getString("topic")).isEqualTo("plant.a/pump-7/things/twin/acks");
        assertThat(acks.getInteger("status")).isEqualTo(200);
        assertThat(acks.getJsonObject("value").getJsonObject("twin-persisted").getInteger("status")).isEqualTo(204);
        assertThat(acks.getJsonObject("value").getJsonObject("quality:checked").getInteger("status")).isEqualTo(200);
    }

    @Test
    void onlyTwinPersistedRequestedGetsThePlainResponse() throws Exception {
        Session owner = connect("ditto");
        owner.send(new JsonObject().put("topic", TOPIC + "modify")
                .put("headers", new JsonObject().put("correlation-id", "tp")
                        .put("requested-acks", new JsonArray().add("twin-persisted")))
                .put("path", "/attributes/site").put("value", "tp").encode());
        JsonObject response = owner.nextJson();
        assertThat(response.getString("topic")).isEqualTo(TOPIC + "modify");
        assertThat(response.getInteger("status")).isEqualTo(204);
    }

    @Test
    void missingCustomAcknowledgementTimesOutWith408InsideA424Aggregate() throws Exception {
        Session owner = connect("ditto");
        owner.send(new JsonObject().put("topic", TOPIC + "modify")
                .put("headers", new JsonObject().put("correlation-id", "lonely").put("timeout", "1s")
                        .put("requested-acks", new JsonArray().add("twin-persisted").add("nobody:acks")))
                .put("path", "/attributes/site").put("value", "lonely").encode());
        JsonObject acks = owner.nextJson();
        assertThat(acks.getInteger("status")).isEqualTo(424);
        assertThat(acks.getJsonObject("value").getJsonObject("nobody:acks").getInteger("status")).isEqualTo(408);
        assertThat(acks.getJsonObject("value").getJsonObject("twin-persisted").getInteger("status")).isEqualTo(204);
    }

    @Test
    void acknowledgementWithAnUndeclaredLabelIsRefused() throws Exception {
        Session session = connect("operator");
        session.send(new JsonObject().put("topic", "plant.a/pump-7/things/twin/acks/quality:checked")
                .put("headers", new JsonObject().put("correlation-id", "undeclared"))
                .put("path", "/").put("status", 200).encode());
        JsonObject error = session.nextJson();
        assertThat(error.getInteger("status")).isEqualTo(400);
        assertThat(error.getJsonObject("value").getString("error")).isEqualTo("acknowledgement:label.not.declared");
    }

    @Test
    void filteredOutSubscriberAnswersItsDeclaredLabelWithAWeakAcknowledgement() throws Exception {
        Session checker = connect("operator", "/ws/2?declared-acks=quality:checked");
        subscribe(checker, "START-SEND-EVENTS?namespaces=plant.b");
        Session owner = connect("ditto");
        owner.send(new JsonObject().put("topic", TOPIC + "modify")
                .put("headers", new JsonObject().put("correlation-id", "weak").put("timeout", "5s")
                        .put("requested-acks", new JsonArray().add("quality:checked")))
                .put("path", "/attributes/site").put("value", "weak").encode());
        JsonObject acks = owner.nextJson();
        assertThat(acks.getString("topic")).as(acks.encode()).contains("/things/twin/acks");
        assertThat(acks.encode()).contains("quality:checked");
        checker.expectNothingFor(200);
    }
}
