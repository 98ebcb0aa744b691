package io.twinworks.core.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared operations server: live/ready from registered checks, 503 naming what is down, metrics, 404. */
@ExtendWith(VertxExtension.class)
class OpsServerTest {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthChecks health = new HealthChecks();
    private OpsServer server;
    private WebClient client;
    private int port;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = new OpsServer(vertx, "test", health, meters);
        port = get(server.listen("127.0.0.1", 0));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        get(server.close());
    }

    @Test
    void withAllChecksUpLiveReadyAndHealthAnswer200() throws Exception {
        health.live("loop", () -> HealthCheck.Result.up("running")).ready("db", () -> HealthCheck.Result.up("open"));

        for (String path : new String[]{"/health/live", "/health/ready", "/health"}) {
            HttpResponse<Buffer> response = request(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        }
        assertThat(request("/health/ready").bodyAsJsonObject().getJsonObject("checks").fieldNames())
                .containsExactly("loop", "db");
        assertThat(request("/health/live").bodyAsJsonObject().getJsonObject("checks").fieldNames())
                .containsExactly("loop");
    }

    @Test
    void aReadinessCheckDownMakesReadyAndHealth503NamingItWhileLiveStays200() throws Exception {
        AtomicBoolean dittoUp = new AtomicBoolean(false);
        health.live("loop", () -> HealthCheck.Result.up("running"))
                .ready("ditto", () -> dittoUp.get() ? HealthCheck.Result.up("connected")
                        : HealthCheck.Result.down("WebSocket closed"));

        HttpResponse<Buffer> ready = request("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonObject body = ready.bodyAsJsonObject();
        assertThat(body.getString("status")).isEqualTo("DOWN");
        assertThat(body.getJsonArray("down").getList()).containsExactly("ditto");
        assertThat(body.getJsonObject("checks").getJsonObject("ditto").getString("detail")).isEqualTo("WebSocket closed");
        assertThat(request("/health").statusCode()).isEqualTo(503);
        assertThat(request("/health/live").statusCode()).isEqualTo(200);

        dittoUp.set(true);
        assertThat(request("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aLivenessCheckDownMakesBothLiveAndReady503() throws Exception {
        health.live("loop", () -> HealthCheck.Result.down("stuck"));

        assertThat(request("/health/live").statusCode()).isEqualTo(503);
        assertThat(request("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void aCheckThatThrowsCountsAsDownWithTheReason() throws Exception {
        health.ready("broken", () -> {
            throw new IllegalStateException("boom");
        });

        HttpResponse<Buffer> ready = request("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getJsonObject("broken").getString("detail"))
                .contains("boom");
    }

    @Test
    void metricsServeThePrometheusRegistry() throws Exception {
        meters.counter("ops.test.counter").increment(3);

        HttpResponse<Buffer> metrics = request("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.bodyAsString()).contains("ops_test_counter_total 3.0");
    }

    @Test
    void unknownPathIs404InDittosErrorShape() throws Exception {
        HttpResponse<Buffer> response = request("/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonObject error = response.bodyAsJsonObject();
        assertThat(error.getInteger("status")).isEqualTo(404);
        assertThat(error.getString("error")).isEqualTo("test:resource.notfound");
        assertThat(error.getString("message")).contains("/nope");
    }

    @Test
    void connectionStateIsDownAfterADisconnectAndUpOnceAProbeRoundTripSucceeds(Vertx vertx) {
        AtomicInteger probes = new AtomicInteger();
        AtomicBoolean peerBack = new AtomicBoolean(false);
        ConnectionState state = new ConnectionState(vertx, "peer", () -> {
            probes.incrementAndGet();
            return peerBack.get() ? CompletableFuture.completedFuture("pong")
                    : CompletableFuture.failedFuture(new IllegalStateException("no route"));
        }, 20);
        assertThat(state.check().up()).isFalse();
        state.connected();
        assertThat(state.check().up()).isTrue();

        state.disconnected("closed by peer");
        assertThat(state.check().up()).isFalse();
        assertThat(state.check().detail()).contains("closed by peer");
        await().atMost(5, TimeUnit.SECONDS).until(() -> probes.get() >= 3);
        assertThat(state.check().up()).isFalse();
        peerBack.set(true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> state.check().up());
        int probesWhenUp = probes.get();
        state.close();
        assertThat(probes.get()).isEqualTo(probesWhenUp);
    }

    private HttpResponse<Buffer> request(String path) throws Exception {
        return get(client.get(port, "127.0.0.1", path).send());
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
