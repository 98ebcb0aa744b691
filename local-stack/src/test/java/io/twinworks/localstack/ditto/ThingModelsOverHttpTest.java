package io.twinworks.localstack.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.localstack.LocalStackConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local twin service as real Ditto: it serves the shipped Thing Models under {@code <base>/models/}, and it
 * resolves a thing's {@code definition} by downloading the model from its URL — a model that exists only on another
 * HTTP server (never on the classpath) is enforced, and one nobody serves is not.
 */
@ExtendWith(VertxExtension.class)
class ThingModelsOverHttpTest {

    private static final String POLICY = """
            {"entries":{"OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
              "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},"policy:/":{"grant":["READ","WRITE"],"revoke":[]}}}}}""";
    /** A Thing Model no Twinworks module ships: only the test's model server knows it. */
    private static final String GAUGE_MODEL = """
            {"@context":["https://www.w3.org/2022/wot/td/v1.1"],"@type":"tm:ThingModel","id":"%s",
             "title":"Gauge","version":{"model":"1.0.0"},
             "properties":{"level":{"type":"number","minimum":0,"maximum":10,"unit":"m"}}}""";

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private DittoTwinServer server;
    private HttpServer modelServer;
    private WebClient client;
    private final List<String> modelRequests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        client = WebClient.create(vertx);
        modelServer = await(vertx.createHttpServer().requestHandler(request -> {
            modelRequests.add(request.path());
            if (request.path().equals("/models/gauge-1.0.0.tm.jsonld")) {
                request.response().putHeader("content-type", "application/tm+json")
                        .end(GAUGE_MODEL.formatted(modelUrl("gauge-1.0.0.tm.jsonld")));
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1"));
    }

    private void start(LocalStackConfig config) throws Exception {
        server = new DittoTwinServer(vertx, config.withStateDir(stateDir).withDitto(0, Map.of("ditto", "ditto")),
                new SimpleMeterRegistry());
        await(server.start());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            await(server.stop());
        }
    }

    private String modelUrl(String file) {
        return "http://127.0.0.1:" + modelServer.actualPort() + "/models/" + file;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path, String body) throws Exception {
        HttpRequest<Buffer> request = client.request(method, server.httpPort(), "127.0.0.1", path)
                .basicAuthentication("ditto", "ditto").putHeader("Content-Type", "application/json");
        return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    }

    private void createGauge(String thingId, String definition, double level) throws Exception {
        assertThat(send(HttpMethod.PUT, "/api/2/policies/" + thingId, POLICY).statusCode()).isEqualTo(201);
        JsonObject thing = new JsonObject().put("policyId", thingId).put("definition", definition)
                .put("attributes", new JsonObject().put("level", level));
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + thingId, thing.encode()).statusCode()).isEqualTo(201);
    }

    @Test
    void aDefinitionIsDownloadedFromItsUrlAndEnforced() throws Exception {
        start(LocalStackConfig.defaults());
        createGauge("plant.http:gauge-1", modelUrl("gauge-1.0.0.tm.jsonld"), 4.0);

        HttpResponse<Buffer> tooHigh = send(HttpMethod.PUT, "/api/2/things/plant.http:gauge-1/attributes/level", "50");
        HttpResponse<Buffer> nonModeled = send(HttpMethod.PUT, "/api/2/things/plant.http:gauge-1/attributes/colour", "\"red\"");
        HttpResponse<Buffer> fine = send(HttpMethod.PUT, "/api/2/things/plant.http:gauge-1/attributes/level", "7");

        assertThat(tooHigh.statusCode()).as(tooHigh.bodyAsString()).isEqualTo(400);
        assertThat(tooHigh.bodyAsJsonObject().getString("error")).isEqualTo("wot:payload.validation.error");
        assertThat(tooHigh.bodyAsJsonObject().getString("description")).contains("/attributes/level").contains("maximum");
        assertThat(nonModeled.statusCode()).isEqualTo(400);
        assertThat(fine.statusCode()).isEqualTo(204);
        assertThat(modelRequests).as("downloaded once, then cached").containsExactly("/models/gauge-1.0.0.tm.jsonld");
    }

    @Test
    void aDefinitionNobodyServesIsNotEnforced() throws Exception {
        start(LocalStackConfig.defaults());
        createGauge("plant.http:gauge-2", modelUrl("missing-1.0.0.tm.jsonld"), 40.0);

        assertThat(send(HttpMethod.PUT, "/api/2/things/plant.http:gauge-2/attributes/level", "50").statusCode()).isEqualTo(204);
        assertThat(modelRequests).containsExactly("/models/missing-1.0.0.tm.jsonld");
    }

    @Test
    void theShippedModelsAreServedOnTheApiPortUnderItsOwnAddressByDefault() throws Exception {
        start(LocalStackConfig.defaults());
        ModelsBaseUrl base = server.modelsBaseUrl();

        HttpResponse<Buffer> model = await(client.getAbs(base.modelUrl("centrifugal-pump-1.0.0.tm.jsonld")).send());

        assertThat(base.value()).isEqualTo("http://127.0.0.1:" + server.httpPort());
        assertThat(model.statusCode()).isEqualTo(200);
        assertThat(model.getHeader("content-type")).isEqualTo("application/tm+json");
        assertThat(model.getHeader("etag")).isNotBlank();
        assertThat(model.bodyAsJsonObject().getString("id")).isEqualTo(base.modelUrl("centrifugal-pump-1.0.0.tm.jsonld"));
    }

    @Test
    void aConfiguredBaseIsTheOneTheServedModelsName() throws Exception {
        start(LocalStackConfig.defaults().withModelsBaseUrl(ModelsBaseUrl.parse("https://twins.example.com/tw")));

        HttpResponse<Buffer> model = await(client.get(server.httpPort(), "127.0.0.1", "/models/predictions-1.0.0.tm.jsonld").send());

        assertThat(model.bodyAsJsonObject().getString("id"))
                .isEqualTo("https://twins.example.com/tw/models/predictions-1.0.0.tm.jsonld");
    }

    @Test
    void theModelsNeedNoDittoCredentials() throws Exception {
        start(LocalStackConfig.defaults());

        assertThat(await(client.get(server.httpPort(), "127.0.0.1", "/models/drive-1.0.0.tm.jsonld").send()).statusCode())
                .as("Ditto downloads models without the API's credentials").isEqualTo(200);
        assertThat(await(client.get(server.httpPort(), "127.0.0.1", "/models/nope-1.0.0.tm.jsonld").send()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anInvalidModelsBaseUrlStopsStartUpNamingTheVariable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalStackConfig.fromEnv(
                        Map.of("TWINWORKS_MODELS_BASE_URL", "ftp://models.example")))
                .isInstanceOf(io.twinworks.core.config.ConfigException.class)
                .hasMessageContaining("TWINWORKS_MODELS_BASE_URL").hasMessageContaining("http");
        assertThat(LocalStackConfig.fromEnv(Map.of("TWINWORKS_MODELS_BASE_URL", "http://models.example:8080/")).modelsBaseUrl())
                .isEqualTo(ModelsBaseUrl.parse("http://models.example:8080"));
    }
}
