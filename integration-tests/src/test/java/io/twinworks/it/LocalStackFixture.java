package io.twinworks.it;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

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

    int mqttPort() {
        return Integer.parseInt(endpoints.mqttUri().substring(endpoints.mqttUri().lastIndexOf(':') + 1));
    }

    static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }

    @Override
    public void close() {
        await(stack.stop());
        await(vertx.close());
    }
}
