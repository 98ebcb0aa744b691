package io.twinworks.dashboard.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.dashboard.DashboardConfig;
import io.twinworks.dashboard.DashboardServer;
import io.vertx.core.Vertx;

/** Runs the dashboard alone against any Ditto: configuration from the environment, objects built here. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        DashboardConfig config = DashboardConfig.fromEnv(System.getenv());
        Vertx vertx = Vertx.vertx();
        DashboardServer dashboard = new DashboardServer(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        dashboard.start()
                .onSuccess(port -> System.out.println("Twinworks dashboard: " + dashboard.url()
                        + " (Ditto at " + config.dittoUrl() + ")"))
                .onFailure(failure -> {
                    System.err.println("dashboard failed to start: " + failure);
                    vertx.close();
                    System.exit(1);
                });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Each step is awaited here: a future chained past vertx.close() would never complete.
            dashboard.stop().toCompletionStage().toCompletableFuture().join();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }));
    }
}
