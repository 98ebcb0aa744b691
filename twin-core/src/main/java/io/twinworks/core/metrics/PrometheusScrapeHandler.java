package io.twinworks.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/** Serves a Micrometer Prometheus registry in the text exposition format at {@code /metrics}. */
public final class PrometheusScrapeHandler implements Handler<RoutingContext> {

    private final PrometheusMeterRegistry registry;

    /** Creates the handler over the service's registry. */
    public PrometheusScrapeHandler(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }
}
