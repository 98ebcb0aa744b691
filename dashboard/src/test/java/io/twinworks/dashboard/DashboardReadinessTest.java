package io.twinworks.dashboard;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard's readiness follows Ditto (the local stack's twin server): 503 while it is stopped, 200 once back. */
class DashboardReadinessTest {

    @TempDir
    Path stateDir;

    private final Vertx vertx = Vertx.vertx();
    private DittoTwinServer ditto;
    private DashboardServer dashboard;

    @AfterEach
    void stop() throws Exception {
        if (dashboard != null) {
            get(dashboard.stop());
        }
        if (ditto != null) {
            get(ditto.stop());
        }
        get(vertx.close());
    }

    @Test
    void readinessIs503WhileDittoIsStoppedAnd200WhenItReturnsWhileLivenessStays200() throws Exception {
        ditto = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        int dittoPort = get(ditto.start());
        dashboard = new DashboardServer(vertx, DashboardConfig.fromEnv(Map.of())
                .withDittoUrl(URI.create("http://127.0.0.1:" + dittoPort)).withHttpPort(0),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int port = get(dashboard.start());
        WebClient client = WebClient.create(vertx);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(client, port, "/health/ready") == 200);

        get(ditto.stop());
        await().atMost(Duration.ofSeconds(30)).until(() -> status(client, port, "/health/ready") == 503);
        HttpResponse<Buffer> down = get(client.get(port, "127.0.0.1", "/health").send());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.bodyAsJsonObject().getJsonArray("down").getList()).containsExactly("ditto");
        assertThat(status(client, port, "/health/live")).isEqualTo(200);

        ditto = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(dittoPort, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        get(ditto.start());
        await().atMost(Duration.ofSeconds(30)).until(() -> status(client, port, "/health/ready") == 200);
    }

    private static int status(WebClient client, int port, String path) throws Exception {
        return get(client.get(port, "127.0.0.1", path).send()).statusCode();
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
