package io.twinworks.sim;

import org.jspecify.annotations.Nullable;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.ops.HealthChecks;
import io.twinworks.core.ops.OpsServer;
import io.twinworks.sim.ditto.WhatIfResponder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;

/**
 * The simulation service: answers {@code simulate} live messages on twins (what-if runs written to
 * {@code /features/simulation}) and serves the ops endpoints ({@code /health/live}, {@code /health/ready}, {@code /health}, {@code /metrics}).
 */
public final class SimService {

    private static final Logger LOG = LoggerFactory.getLogger(SimService.class);

    /** The ops port listens on every interface (Kubernetes probes it from the node). */
    private static final String ALL_INTERFACES = "0.0.0.0";

    private final Vertx vertx;
    private final SimConfig config;
    private final PrometheusMeterRegistry meters;
    private @Nullable WhatIfResponder responder;
    private final HealthChecks health = new HealthChecks();
    private @Nullable OpsServer ops;

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
                    health.ready("ditto", started.dittoLink());
                    ops = new OpsServer(vertx, "simulation", health, meters);
                    return ops.listen(ALL_INTERFACES, config.httpPort());
                })
                .onSuccess(port -> LOG.info("simulation service answers '{}' messages at {} as {}; /health and /metrics on port {}",
                        WhatIfResponder.SUBJECT, config.dittoEndpoint(), config.dittoUser(), port));
    }

    /** Liveness and readiness checks of the service (readiness: the Ditto WebSocket is connected). */
    public HealthChecks health() {
        return health;
    }

    /** Closes the HTTP server and the Ditto connection. */
    public Future<Void> stop() {
        Future<Void> closed = ops == null ? Future.succeededFuture() : ops.close();
        return closed.eventually(() -> {
            if (responder != null) {
                responder.close();
            }
            return Future.succeededFuture();
        });
    }
}
