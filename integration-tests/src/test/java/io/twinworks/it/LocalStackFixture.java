package io.twinworks.it;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;

/**
 * A whole local stack on free ports in a temporary state directory, as {@code twinworks up} runs
 * it, for end-to-end tests.
 */
final class LocalStackFixture implements AutoCloseable {

    static final String OPERATOR = "ditto";
    static final String OPERATOR_PASSWORD = "ditto";
    static final String ANALYTICS = "analytics";
    static final String ANALYTICS_PASSWORD = "analytics-secret";

    final Vertx vertx = Vertx.vertx();
    final LocalStackConfig config;
    final LocalStack stack;
    final LocalStackEndpoints endpoints;

    LocalStackFixture(Path stateDir) {
        config = LocalStackConfig.fromEnv(Map.of(
                        "TWINWORKS_HONO_BCRYPT_COST", "4",
                        "TWINWORKS_HONO_COMMAND_TIMEOUT_MS", "5000"))
                .withStateDir(stateDir)
                .withPorts(0, 0, 0)
                .withDitto(0, Map.of(OPERATOR, OPERATOR_PASSWORD, ANALYTICS, ANALYTICS_PASSWORD));
        stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        endpoints = await(stack.start());
    }

    /** Analytics configured for this stack: short warm-up so a test sees predictions quickly. */
    AnalyticsConfig analyticsConfig() {
        return AnalyticsConfig.fromEnv(Map.of(
                        "TWINWORKS_ANALYTICS_WARMUP_SAMPLES", "5",
                        "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "500"))
                .withDitto(java.net.URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws")), ANALYTICS, ANALYTICS_PASSWORD)
                .withHttpPort(0);
    }

    /**
     * Creates twins without a Thing Model (so no WoT validation applies) over Ditto's HTTP API, each with a
     * policy: the operator owns it, the analytics subject reads it and writes only {@code predictions}
     * (and its {@code healthAlarm} message) — for analytics tests that write arbitrary features.
     */
    void createUnmodelledTwins(java.util.List<String> thingIds) {
        io.vertx.ext.web.client.WebClient http = io.vertx.ext.web.client.WebClient.create(vertx);
        try {
            for (String thingId : thingIds) {
                JsonObject policy = new JsonObject().put("entries", new JsonObject()
                        .put("OPERATOR", entry("nginx:" + OPERATOR, new JsonObject()
                                .put("thing:/", grant("READ", "WRITE"))
                                .put("policy:/", grant("READ", "WRITE"))
                                .put("message:/", grant("READ", "WRITE"))))
                        .put("ANALYTICS", entry("nginx:" + ANALYTICS, new JsonObject()
                                .put("thing:/", grant("READ"))
                                .put("thing:/features/predictions", grant("READ", "WRITE"))
                                .put("message:/features/predictions/outbox/messages/healthAlarm", grant("WRITE")))));
                put(http, "/api/2/policies/" + thingId, policy);
                put(http, "/api/2/things/" + thingId, new JsonObject().put("policyId", thingId)
                        .put("attributes", new JsonObject().put("type", "test-asset")));
            }
        } finally {
            http.close();
        }
    }

    private void put(io.vertx.ext.web.client.WebClient http, String path, JsonObject body) {
        var response = await(http.putAbs(endpoints.dittoUrl() + path)
                .basicAuthentication(OPERATOR, OPERATOR_PASSWORD)
                .sendJsonObject(body));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": " + response.bodyAsString());
        }
    }

    private static JsonObject entry(String subject, JsonObject resources) {
        return new JsonObject()
                .put("subjects", new JsonObject().put(subject, new JsonObject().put("type", "test")))
                .put("resources", resources);
    }

    private static JsonObject grant(String... permissions) {
        return new JsonObject().put("grant", new JsonArray(java.util.List.of((Object[]) permissions))).put("revoke", new JsonArray());
    }

    int mqttPort() {
        return Integer.parseInt(endpoints.mqttUri().substring(endpoints.mqttUri().lastIndexOf(':') + 1));
    }

    static <T> T await(Future<T> future) {
        // bounded: a future that never completes fails the test (a CompletionException with a TimeoutException)
        // instead of parking the build until CI's limit
        return future.toCompletionStage().toCompletableFuture().orTimeout(2, java.util.concurrent.TimeUnit.MINUTES).join();
    }

    @Override
    public void close() {
        await(stack.stop());
        await(vertx.close());
    }
}
