package io.twinworks.localstack.ditto.ws;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ditto 3.2+'s historical retrieve through Ditto Protocol headers on {@code /ws/2} ("also available via Ditto
 * Protocol headers"): a twin retrieve command with {@code at-historical-revision} answers the state at that revision;
 * unknown revisions and malformed values answer Ditto's errors with the command's correlation ID.
 */
@ExtendWith(VertxExtension.class)
class HistoricalRetrieveWebSocketTest {

    private static final String THING = "plant.wshist:pump-1";
    private static final String TOPIC = "plant.wshist/pump-1/things/twin/commands/";

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private HttpClient http;
    private WebSocket socket;
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        int port = await(server.start());
        http = vertx.createHttpClient();
        socket = await(http.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/2")
                .addHeader("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8)))));
        socket.textMessageHandler(frames::add);
        assertThat(exchange(TOPIC + "create", new JsonObject(), "/",
                new JsonObject().put("attributes", new JsonObject().put("site", "a"))).getInteger("status")).isEqualTo(201);
        assertThat(exchange(TOPIC + "modify", new JsonObject(), "/attributes/site", "b").getInteger("status")).isEqualTo(204);
    }

    @AfterEach
    void stop() throws Exception {
        await(http.close());
        await(server.stop());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private JsonObject exchange(String topic, JsonObject headers, String path, Object value) throws Exception {
        String correlationId = "c-" + System.nanoTime();
        JsonObject message = new JsonObject().put("topic", topic)
                .put("headers", headers.copy().put("correlation-id", correlationId)).put("path", path);
        if (value != null) {
            message.put("value", value);
        }
        await(socket.writeTextMessage(message.encode()));
        String frame = frames.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("an answer within 10 s").isNotNull();
        JsonObject answer = new JsonObject(frame);
        assertThat(answer.getJsonObject("headers").getString("correlation-id")).isEqualTo(correlationId);
        return answer;
    }

    @Test
    void aRetrieveWithTheRevisionHeaderAnswersThatRevision() throws Exception {
        JsonObject first = exchange(TOPIC + "retrieve", new JsonObject().put("at-historical-revision", "1"), "/attributes", null);
        JsonObject current = exchange(TOPIC + "retrieve", new JsonObject(), "/attributes", null);

        assertThat(first.getInteger("status")).as(first.encode()).isEqualTo(200);
        assertThat(first.getJsonObject("value")).isEqualTo(new JsonObject().put("site", "a"));
        assertThat(current.getJsonObject("value")).isEqualTo(new JsonObject().put("site", "b"));
    }

    @Test
    void anUnknownRevisionIsAnsweredWithDittosHistoryError() throws Exception {
        JsonObject answer = exchange(TOPIC + "retrieve", new JsonObject().put("at-historical-revision", "7"), "/", null);

        assertThat(answer.getString("topic")).endsWith("/errors");
        assertThat(answer.getInteger("status")).isEqualTo(404);
        assertThat(answer.getJsonObject("value").getString("error")).isEqualTo("things:thing.history.notfound");
    }

    @Test
    void aMalformedTimestampIsAnsweredWithHeaderInvalid() throws Exception {
        JsonObject answer = exchange(TOPIC + "retrieve", new JsonObject().put("at-historical-timestamp", "noon"), "/", null);

        assertThat(answer.getInteger("status")).isEqualTo(400);
        assertThat(answer.getJsonObject("value").getString("error")).isEqualTo("header.invalid");
    }
}
