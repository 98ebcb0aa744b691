package io.twinworks.dashboard;

import io.twinworks.definitions.ModelsBaseUrl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.twinworks.dashboard.DashboardStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as the chart's model server: {@code /models/<file>} answers the shipped Thing Models under the
 * configured base (its Kubernetes Service, where Ditto downloads them), without Ditto credentials.
 */
class DashboardThingModelsTest {

    private final Vertx vertx = Vertx.vertx();
    private DashboardServer dashboard;
    private int port;

    @AfterEach
    void stop() {
        if (dashboard != null) {
            await(dashboard.stop());
        }
        await(vertx.close());
    }

    private record Answer(HttpClientResponse response, Buffer body) {
    }

    private Answer get(String uri) {
        HttpClient client = vertx.createHttpClient();
        return await(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response, body))));
    }

    private void start(Map<String, String> env) {
        dashboard = new DashboardServer(vertx, DashboardConfig.fromEnv(env).withHttpPort(0));
        port = await(dashboard.start());
    }

    @Test
    void servesTheModelsUnderTheConfiguredBase() {
        start(Map.of("TWINWORKS_DASHBOARD_MODELS_BASE_URL", "http://tw-twinworks-dashboard.iot.svc:8088"));

        Answer model = get("/models/centrifugal-pump-1.0.0.tm.jsonld");

        assertThat(model.response().statusCode()).isEqualTo(200);
        assertThat(model.response().getHeader("content-type")).isEqualTo("application/tm+json");
        assertThat(model.response().getHeader("etag")).isNotBlank();
        JsonObject json = model.body().toJsonObject();
        assertThat(json.getString("id")).isEqualTo("http://tw-twinworks-dashboard.iot.svc:8088/models/centrifugal-pump-1.0.0.tm.jsonld");
        assertThat(json.getJsonArray("links").getJsonObject(0).getString("href"))
                .startsWith("http://tw-twinworks-dashboard.iot.svc:8088/models/");
    }

    @Test
    void withoutABaseTheModelsNameTheDashboardsOwnAddress() {
        start(Map.of());

        assertThat(dashboard.modelsBaseUrl()).isEqualTo(ModelsBaseUrl.parse("http://127.0.0.1:" + port));
        assertThat(get("/models/predictions-1.0.0.tm.jsonld").body().toJsonObject().getString("id"))
                .isEqualTo("http://127.0.0.1:" + port + "/models/predictions-1.0.0.tm.jsonld");
    }

    @Test
    void anUnknownModelIsANotFoundInTheErrorShapeNotThePage() {
        start(Map.of());

        Answer missing = get("/models/index.html");

        assertThat(missing.response().statusCode()).isEqualTo(404);
        assertThat(missing.body().toJsonObject().getString("error")).isEqualTo("models:model.notfound");
    }
}
