package io.twinworks.sim;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.metrics.PrometheusScrapeHandler;
import io.twinworks.sim.ditto.WhatIfResponder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;

/**
 * The simulation service: answers {@code simulate} live messages on twins (what-if runs written to
 * {@code /features/simulation}) and serves {@code /health} and {@code /metrics}.
 */
public final class SimService {

    private static final Logger LOG = LoggerFactory.getLogger(SimService.class);

    private final Vertx vertx;
    private final SimConfig config;
    private final PrometheusMeterRegistry meters;
    private WhatIfResponder responder;
    private HttpServer http;

    /** Creates the service; nothing runs until {@link #start()}. */
    public SimService(Vertx vertx, SimConfig config, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Connects to Ditto, registers for {@code simulate} messages and starts the HTTP endpoints. */
    public Future<Integer> start() {
        return WhatIfResponder.start(vertx.getOrCreateContext(), config.dittoEndpoint(), config.dittoUser(),
                        config.dittoPassword(), config.vibrationLimitMmS(), config.maxHorizonHours(), meters, Clock.systemUTC())
                .compose(started -> {
                    responder = started;
                    Router router = Router.router(vertx);
                    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
                    router.get("/metrics").handler(new PrometheusScrapeHandler(meters));
                    http = vertx.createHttpServer();
                    return http.requestHandler(router).listen(config.httpPort());
                })
                .map(HttpServer::actualPort)
                .onSuccess(port -> LOG.info("simulation service answers '{}' messages at {} as {}; /health and /metrics on port {}",
                        WhatIfResponder.SUBJECT, config.dittoEndpoint(), config.dittoUser(), port));
    }

    /** Closes the HTTP server and the Ditto connection. */
    public Future<Void> stop() {
        Future<Void> closed = http == null ? Future.succeededFuture() : http.close();
        return closed.eventually(() -> {
            if (responder != null) {
                responder.close();
            }
            return Future.succeededFuture();
        });
    }
}
