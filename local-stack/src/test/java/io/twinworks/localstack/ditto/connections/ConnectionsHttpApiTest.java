package io.twinworks.localstack.ditto.connections;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.twinworks.localstack.ditto.connectivity.HonoConnectionSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.eclipse.ditto.connectivity.model.ConnectionType;
import org.eclipse.ditto.connectivity.model.ConnectivityModelFactory;
import org.eclipse.ditto.json.JsonFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ditto 3.x's connections API on the local stack: its built-in Hono connection listed, read and its status
 * answered; unknown IDs 404; every write 409 {@code connectivity:signal.illegal}; devops credentials as in Ditto.
 */
@ExtendWith(VertxExtension.class)
class ConnectionsHttpApiTest {

    private static final Instant SINCE = Instant.parse("2026-12-06T03:00:00Z");

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        client = WebClient.create(vertx);
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        await(server.start());
        server.announceConnection(new BuiltInConnection(new HonoConnectionSettings("127.0.0.1:19092", "twinworks-ditto-hono",
                List.of("pre-authenticated:hono-connection")), SINCE));
    }

    @AfterEach
    void stop() throws Exception {
        await(server.stop());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path, String user, String password) throws Exception {
        HttpRequest<Buffer> request = client.request(method, server.httpPort(), "127.0.0.1", path).basicAuthentication(user, password);
        return await(method == HttpMethod.GET || method == HttpMethod.DELETE ? request.send()
                : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"id\":\"x\"}")));
    }

    private HttpResponse<Buffer> devops(HttpMethod method, String path) throws Exception {
        return send(method, path, "devops", "foobar");
    }

    @Test
    void theListHoldsTheBuiltInConnectionAsDittosModelReadsIt() throws Exception {
        HttpResponse<Buffer> response = devops(HttpMethod.GET, "/api/2/connections");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray list = response.bodyAsJsonArray();
        assertThat(list).hasSize(1);
        var connection = ConnectivityModelFactory.connectionFromJson(JsonFactory.newObject(list.getJsonObject(0).encode()));
        assertThat(connection.getId().toString()).isEqualTo(BuiltInConnection.ID);
        assertThat((Object) connection.getConnectionType()).isEqualTo(ConnectionType.KAFKA);
        assertThat(connection.getTags()).contains(BuiltInConnection.BUILT_IN_TAG, BuiltInConnection.READ_ONLY_TAG);
        assertThat(connection.getSources().get(0).getEnforcement().orElseThrow().getInput()).isEqualTo("{{ header:device_id }}");
    }

    @Test
    void idsOnlyListsTheIds() throws Exception {
        assertThat(devops(HttpMethod.GET, "/api/2/connections?ids-only=true").bodyAsJsonArray())
                .containsExactly(BuiltInConnection.ID);
    }

    @Test
    void theConnectionAndItsStatusAreAnswered() throws Exception {
        JsonObject connection = devops(HttpMethod.GET, "/api/2/connections/" + BuiltInConnection.ID).bodyAsJsonObject();
        HttpResponse<Buffer> status = devops(HttpMethod.GET, "/api/2/connections/" + BuiltInConnection.ID + "/status");

        assertThat(connection.getString("id")).isEqualTo(BuiltInConnection.ID);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.bodyAsJsonObject().getString("connectionId")).isEqualTo(BuiltInConnection.ID);
        assertThat(status.bodyAsJsonObject().getString("liveStatus")).isEqualTo("open");
        assertThat(status.bodyAsJsonObject().getString("connectedSince")).isEqualTo(SINCE.toString());
        assertThat(status.bodyAsJsonObject().getJsonArray("sourceStatus")).hasSize(1);
    }

    @Test
    void anUnknownConnectionIsNotFoundInDittosShape() throws Exception {
        HttpResponse<Buffer> response = devops(HttpMethod.GET, "/api/2/connections/hono-plant-a");
        HttpResponse<Buffer> status = devops(HttpMethod.GET, "/api/2/connections/hono-plant-a/status");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("connectivity:connection.notfound");
        assertThat(response.bodyAsJsonObject().getString("message")).contains("hono-plant-a");
        assertThat(status.statusCode()).isEqualTo(404);
    }

    @Test
    void everyWriteIsRefusedAsIllegalForTheReadOnlyConnection() throws Exception {
        for (var write : List.of(Map.entry(HttpMethod.POST, "/api/2/connections"),
                Map.entry(HttpMethod.PUT, "/api/2/connections/" + BuiltInConnection.ID),
                Map.entry(HttpMethod.PUT, "/api/2/connections/hono-plant-a"),
                Map.entry(HttpMethod.DELETE, "/api/2/connections/" + BuiltInConnection.ID),
                Map.entry(HttpMethod.POST, "/api/2/connections/" + BuiltInConnection.ID + "/command"))) {
            HttpResponse<Buffer> response = devops(write.getKey(), write.getValue());

            assertThat(response.statusCode()).as(write.toString()).isEqualTo(409);
            JsonObject error = response.bodyAsJsonObject();
            assertThat(error.getString("error")).as(write.toString()).isEqualTo("connectivity:signal.illegal");
            assertThat(error.getString("message")).as(write.toString()).contains("read-only");
            assertThat(error.getString("description")).as(write.toString()).contains(BuiltInConnection.ID);
        }
        assertThat(devops(HttpMethod.GET, "/api/2/connections").bodyAsJsonArray()).hasSize(1);
    }

    @Test
    void wrongOrMissingCredentialsAre401AndTheApiUsersMayReadToo() throws Exception {
        assertThat(send(HttpMethod.GET, "/api/2/connections", "devops", "wrong").statusCode()).isEqualTo(401);
        assertThat(await(client.get(server.httpPort(), "127.0.0.1", "/api/2/connections").send()).statusCode()).isEqualTo(401);
        assertThat(send(HttpMethod.GET, "/api/2/connections", "ditto", "ditto").statusCode()).isEqualTo(200);
    }

    @Test
    void beforeTheIngestRunsTheListIsEmpty() throws Exception {
        server.announceConnection(null);

        assertThat(devops(HttpMethod.GET, "/api/2/connections").bodyAsJsonArray()).isEmpty();
        assertThat(devops(HttpMethod.GET, "/api/2/connections/" + BuiltInConnection.ID).statusCode()).isEqualTo(404);
    }
}
