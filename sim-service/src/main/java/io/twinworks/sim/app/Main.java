package io.twinworks.sim.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.sim.SimConfig;
import io.twinworks.sim.SimService;
import io.vertx.core.Vertx;

/** Runs the simulation service alone: configuration from the environment, objects built here. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        SimConfig config = SimConfig.fromEnv(System.getenv());
        Vertx vertx = Vertx.vertx();
        SimService service = new SimService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        service.start().onFailure(failure -> {
            System.err.println("simulation service failed to start: " + failure);
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
