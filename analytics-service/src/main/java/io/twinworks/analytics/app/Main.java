package io.twinworks.analytics.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.vertx.core.Vertx;

/** Runs the analytics service alone: configuration from the environment, objects built here. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(System.getenv());
        Vertx vertx = Vertx.vertx();
        AnalyticsService service = new AnalyticsService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        service.start().onFailure(failure -> {
            System.err.println("analytics service failed to start: " + failure);
            vertx.close();
            System.exit(1);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Each step is awaited here: a future chained past vertx.close() would never complete.
            service.stop().toCompletionStage().toCompletableFuture().join();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }));
    }
}
