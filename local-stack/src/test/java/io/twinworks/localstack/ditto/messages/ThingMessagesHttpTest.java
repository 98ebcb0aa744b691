package io.twinworks.localstack.ditto.messages;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.live.messages.RepliableMessage;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ditto's HTTP messages API on the local stack, answered by Eclipse Ditto's own Java client (2.4.0) in a
 * WebSocket session — as a device or a service like the simulation service answers in a real deployment.
 */
@ExtendWith(VertxExtension.class)
class ThingMessagesHttpTest {

    private static final Map<String, String> USERS = Map.of("ditto", "ditto", "responder", "responder-secret",
            "reader", "reader-secret", "stranger", "stranger-secret");
    private static final String THING = "plant.a:pump-7";

    /** ditto owns everything; responder reads the thing and its messages; reader reads the thing, nothing more. */
    private static final String POLICY_JSON = """
            {"entries":{
              "OWNER":{"subjects":{"nginx:ditto":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "policy:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "message:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "RESPONDER":{"subjects":{"nginx:responder":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                    "message:/":{"grant":["READ"],"revoke":[]}}},
              "READER":{"subjects":{"nginx:reader":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}}""";

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private WebClient http;
    private int port;
    private final List<DittoClient> clients = new ArrayList<>();

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        port = await(server.start());
        http = WebClient.create(vertx);
        assertThat(await(as("ditto", http.put(port, "127.0.0.1", "/api/2/policies/" + THING))
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(POLICY_JSON))).statusCode())
                .isEqualTo(201);
        assertThat(await(as("ditto", http.put(port, "127.0.0.1", "/api/2/things/" + THING))
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"policyId\":\"" + THING + "\"}"))).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(DittoClient::destroy);
        await(server.stop());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static HttpRequest<Buffer> as(String user, HttpRequest<Buffer> request) {
        return request.basicAuthentication(user, USERS.get(user));
    }

    private DittoClient connect(String user) throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + port)
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(user).password(USERS.get(user)).build()));
        DittoClient client = get(DittoClients.newInstance(messaging).connect());
        clients.add(client);
        return client;
    }

    /** A responder session answering {@code simulate} with a fixed JSON document; returns what it received. */
    private List<String> respondToSimulate(String answerJson) throws Exception {
        DittoClient responder = connect("responder");
        List<String> received = new CopyOnWriteArrayList<>();
        responder.live().registerForMessage("simulate", "simulate", String.class,
                (RepliableMessage<String, String> message) -> {
                    received.add(message.getPayload().orElse(""));
                    message.reply().httpStatus(HttpStatus.OK).payload(answerJson).contentType("application/json").send();
                });
        get(responder.live().startConsumption());
        return received;
    }

    private HttpResponse<Buffer> post(String user, String pathAndQuery, String contentType, String body) throws Exception {
        HttpRequest<Buffer> request = as(user, http.post(port, "127.0.0.1", pathAndQuery));
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    @Test
    void messageIsDeliveredToASubscribedSessionAndItsAnswerIsTheHttpResponse() throws Exception {
        List<String> received = respondToSimulate("{\"timeToThresholdHours\":42.5,\"trajectory\":[]}");

        HttpResponse<Buffer> response = post("ditto", "/api/2/things/" + THING + "/inbox/messages/simulate?timeout=10",
                "application/json", "{\"horizonHours\":168}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyAsJsonObject().getDouble("timeToThresholdHours")).isEqualTo(42.5);
        assertThat(received).hasSize(1);
        assertThat(new io.vertx.core.json.JsonObject(received.get(0)).getInteger("horizonHours")).isEqualTo(168);
    }

    @Test
    void withoutAnAnswerWithinTheTimeoutTheSenderGets408() throws Exception {
        HttpResponse<Buffer> response = post("ditto", "/api/2/things/" + THING + "/inbox/messages/simulate?timeout=1",
                "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("gateway:command.timeout");
    }

    @Test
    void timeoutZeroIsFireAndForgetAnswered202AtOnce() throws Exception {
        HttpResponse<Buffer> response = post("ditto", "/api/2/things/" + THING + "/inbox/messages/ping?timeout=0",
                "text/plain", "hello");

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void senderWithoutWriteOnMessagesIsRefusedWith403() throws Exception {
        respondToSimulate("{}");

        HttpResponse<Buffer> response = post("reader", "/api/2/things/" + THING + "/inbox/messages/simulate",
                "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("messages:send.notallowed");
    }

    @Test
    void fireAndForgetWithoutWriteIsRefusedToo() throws Exception {
        HttpResponse<Buffer> response = post("reader", "/api/2/things/" + THING + "/inbox/messages/ping?timeout=0",
                "text/plain", "hello");

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void senderWithoutReadOnTheThingGets404AsIfItDidNotExist() throws Exception {
        HttpResponse<Buffer> stranger = post("stranger", "/api/2/things/" + THING + "/inbox/messages/simulate",
                "application/json", "{}");
        HttpResponse<Buffer> missing = post("ditto", "/api/2/things/plant.a:nothing/inbox/messages/simulate?timeout=1",
                "application/json", "{}");

        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(stranger.bodyAsJsonObject().getString("error")).isEqualTo("things:thing.notfound");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void messageWithoutCredentialsIsRejectedWith401() throws Exception {
        HttpResponse<Buffer> response = await(http.post(port, "127.0.0.1",
                "/api/2/things/" + THING + "/inbox/messages/simulate").sendBuffer(Buffer.buffer("{}")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("gateway:authentication.failed");
    }

    @Test
    void timeoutAboveSixtySecondsOrMalformedIsRejectedWith400() throws Exception {
        HttpResponse<Buffer> tooLong = post("ditto", "/api/2/things/" + THING + "/inbox/messages/simulate?timeout=120",
                "application/json", "{}");
        HttpResponse<Buffer> garbage = post("ditto", "/api/2/things/" + THING + "/inbox/messages/simulate?timeout=soon",
                "application/json", "{}");

        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.bodyAsJsonObject().getString("message")).contains("timeout");
        assertThat(garbage.statusCode()).isEqualTo(400);
    }

    @Test
    void malformedJsonBodyIsRejectedWith400() throws Exception {
        HttpResponse<Buffer> response = post("ditto", "/api/2/things/" + THING + "/inbox/messages/simulate",
                "application/json", "{\"horizonHours\":");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("json.invalid");
    }
}
