package io.twinworks.dashboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the browser tests look at: a whole local stack on free ports, three pump twins with
 * least-privilege policies, a device user publishing telemetry through the Ditto HTTP API as the
 * Hono connection would (it may write sensor features only), the real analytics service writing
 * predictions, and the dashboard fronting that Ditto.
 *
 * <p>Users: {@value #OPERATOR} owns every twin; {@value #VIEWER} may READ only {@link #VIEWER_TWIN}.
 */
final class DashboardStackFixture implements AutoCloseable {

    static final String OPERATOR = "ditto";
    static final String OPERATOR_PASSWORD = "ditto";
    static final String VIEWER = "viewer";
    static final String VIEWER_PASSWORD = "viewer-secret";
    static final String DEVICE = "device";
    static final String DEVICE_PASSWORD = "device-secret";
    static final String ANALYTICS = "analytics";
    static final String ANALYTICS_PASSWORD = "analytics-secret";
    /** The simulation service's Ditto user. */
    static final String SIM = "sim";
    static final String SIM_PASSWORD = "sim-secret";

    static final List<String> TWINS = List.of("demo.plant:pump-1", "demo.plant:pump-2", "demo.plant:pump-3");
    static final String VIEWER_TWIN = TWINS.get(0);

    final Vertx vertx = Vertx.vertx();
    final LocalStack stack;
    final LocalStackEndpoints endpoints;
    final AnalyticsService analytics;
    final DashboardServer dashboard;
    final WebClient http;
    private final AtomicLong sequence = new AtomicLong();
    private final java.util.Set<String> quiet = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long telemetryTimer = -1;

    DashboardStackFixture(Path stateDir) {
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir)
                .withPorts(0, 0, 0)
                .withDitto(0, Map.of(OPERATOR, OPERATOR_PASSWORD, VIEWER, VIEWER_PASSWORD, DEVICE, DEVICE_PASSWORD,
                        ANALYTICS, ANALYTICS_PASSWORD, SIM, SIM_PASSWORD));
        stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        endpoints = await(stack.start());
        http = WebClient.create(vertx);
        for (String twin : TWINS) {
            await(put("/api/2/policies/" + twin, policy(twin)));
            await(put("/api/2/things/" + twin, new JsonObject().put("policyId", twin)
                    .put("attributes", new JsonObject().put("type", "centrifugal-pump").put("site", "demo plant"))));
        }
        analytics = new AnalyticsService(vertx, AnalyticsConfig.fromEnv(Map.of(
                        "TWINWORKS_ANALYTICS_WARMUP_SAMPLES", "5",
                        "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "500"))
                .withDitto(URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws")), ANALYTICS, ANALYTICS_PASSWORD)
                .withHttpPort(0), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(analytics.start());
        dashboard = new DashboardServer(vertx, DashboardConfig.fromEnv(Map.of())
                .withDittoUrl(URI.create(endpoints.dittoUrl())).withHttpPort(0));
        await(dashboard.start());
    }

    /** Every twin gets a reading every {@code periodMillis}; pump-3 drifts away from normal after warm-up. */
    void publishTelemetryEvery(long periodMillis) {
        telemetryTimer = vertx.setPeriodic(periodMillis, tick -> {
            long n = sequence.incrementAndGet();
            for (int i = 0; i < TWINS.size(); i++) {
                if (quiet.contains(TWINS.get(i))) {
                    continue;
                }
                double drift = i == 2 && n > 8 ? 0.05 * (n - 8) : 0;
                double rms = 0.30 + 0.01 * i + 0.004 * Math.sin(n + i) + drift;
                publish(TWINS.get(i), rms, 60 + i + Math.cos(n) * 0.3 + drift * 10);
            }
        });
    }

    /** Stops (or resumes) the periodic telemetry of one twin, so that a test can send a value of its own. */
    void quiet(String twin, boolean isQuiet) {
        if (isQuiet) {
            quiet.add(twin);
        } else {
            quiet.remove(twin);
        }
    }

    /** One telemetry reading, written as the device user (the Hono connection's rights). */
    Future<Void> publish(String twin, double vibrationRms, double temperature) {
        JsonObject features = new JsonObject()
                .put("vibration", new JsonObject().put("properties", new JsonObject().put("rms", vibrationRms)))
                .put("temperature", new JsonObject().put("properties", new JsonObject().put("value", temperature)));
        return http.patchAbs(endpoints.dittoUrl() + "/api/2/things/" + twin + "/features")
                .basicAuthentication(DEVICE, DEVICE_PASSWORD)
                .putHeader("content-type", "application/merge-patch+json")
                .sendBuffer(Buffer.buffer(features.encode()))
                .compose(response -> ok("PATCH features of " + twin, response));
    }

    /** The properties of one feature of a twin as the operator reads them (empty if absent). */
    JsonObject featureProperties(String twin, String featureId) {
        HttpResponse<Buffer> response = await(http.getAbs(endpoints.dittoUrl() + "/api/2/things/" + twin
                        + "/features/" + featureId + "/properties")
                .basicAuthentication(OPERATOR, OPERATOR_PASSWORD)
                .send());
        return response.statusCode() == 200 ? response.bodyAsJsonObject() : new JsonObject();
    }

    private Future<Void> put(String path, JsonObject body) {
        return http.putAbs(endpoints.dittoUrl() + path)
                .basicAuthentication(OPERATOR, OPERATOR_PASSWORD)
                .putHeader("content-type", "application/json")
                .sendJsonObject(body)
                .compose(response -> ok("PUT " + path, response));
    }

    private static Future<Void> ok(String request, HttpResponse<Buffer> response) {
        return response.statusCode() / 100 == 2 ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException(request + " answered " + response.statusCode() + ": "
                + response.bodyAsString()));
    }

    private static JsonObject policy(String twin) {
        JsonObject entries = new JsonObject()
                .put("OPERATOR", entry("nginx:" + OPERATOR, new JsonObject()
                        .put("thing:/", grant("READ", "WRITE"))
                        .put("policy:/", grant("READ", "WRITE"))
                        .put("message:/", grant("READ", "WRITE"))))
                .put("DEVICE", entry("nginx:" + DEVICE, new JsonObject()
                        .put("thing:/features", grant("READ", "WRITE"))
                        .put("thing:/features/predictions", revoke("WRITE"))
                        .put("thing:/features/simulation", revoke("WRITE"))))
                .put("ANALYTICS", entry("nginx:" + ANALYTICS, new JsonObject()
                        .put("thing:/", grant("READ"))
                        .put("thing:/features/predictions", grant("READ", "WRITE"))))
                .put("SIM", entry("nginx:" + SIM, new JsonObject()
                        .put("thing:/", grant("READ"))
                        .put("thing:/features/simulation", grant("READ", "WRITE"))
                        .put("message:/", grant("READ"))));
        if (twin.equals(VIEWER_TWIN)) {
            entries.put("VIEWER", entry("nginx:" + VIEWER, new JsonObject().put("thing:/", grant("READ"))));
        }
        return new JsonObject().put("entries", entries);
    }

    private static JsonObject entry(String subject, JsonObject resources) {
        return new JsonObject()
                .put("subjects", new JsonObject().put(subject, new JsonObject().put("type", "test user")))
                .put("resources", resources);
    }

    private static JsonObject grant(String... permissions) {
        return new JsonObject().put("grant", new JsonArray(List.of((Object[]) permissions))).put("revoke", new JsonArray());
    }

    private static JsonObject revoke(String... permissions) {
        return new JsonObject().put("grant", new JsonArray()).put("revoke", new JsonArray(List.of((Object[]) permissions)));
    }

    static <T> T await(Future<T> future) {
        // bounded: a future that never completes fails the test (a CompletionException with a TimeoutException)
        // instead of parking the build until CI's limit
        return future.toCompletionStage().toCompletableFuture().orTimeout(2, java.util.concurrent.TimeUnit.MINUTES).join();
    }

    @Override
    public void close() {
        if (telemetryTimer >= 0) {
            vertx.cancelTimer(telemetryTimer);
        }
        await(dashboard.stop());
        await(analytics.stop());
        await(stack.stop());
        await(vertx.close());
    }
}
