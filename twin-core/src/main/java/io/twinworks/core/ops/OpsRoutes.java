package io.twinworks.core.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.metrics.PrometheusScrapeHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * The operations endpoints every Twinworks service serves: {@code /health/live} and
 * {@code /health/ready} (200 UP or 503 DOWN, naming each check and what is down), {@code /health}
 * (= ready, for clients of the old single endpoint) and {@code /metrics} (Prometheus). Mount them on
 * a service's own router, or run {@link OpsServer} when the service has no other HTTP API.
 */
public final class OpsRoutes {

    private OpsRoutes() {
    }

    /** Adds the routes to the router. */
    public static void mount(Router router, HealthChecks health, PrometheusMeterRegistry meters) {
        Objects.requireNonNull(health, "health");
        router.get("/health/live").handler(ctx -> answer(ctx, health.liveness()));
        router.get("/health/ready").handler(ctx -> answer(ctx, health.readiness()));
        router.get("/health").handler(ctx -> answer(ctx, health.readiness()));
        router.get("/metrics").handler(new PrometheusScrapeHandler(meters));
    }

    private static void answer(RoutingContext ctx, HealthChecks.Report report) {
        ctx.response().setStatusCode(report.up() ? 200 : 503)
                .putHeader("content-type", "application/json")
                .end(report.toJson().encode());
    }
}
