package io.twinworks.core.ops;

import io.vertx.core.Vertx;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Whether a long-lived connection (a Ditto WebSocket, a broker link) is up, as a {@link HealthCheck}.
 *
 * <p>Clients such as Ditto's Java client report a disconnection but not the reconnection: after
 * {@link #disconnected} the state probes the link every {@code probeIntervalMillis} with a cheap
 * round trip of the caller's choice, and is up again when one completes (any answer from the peer,
 * even an error, proves the link carries traffic). Probes run only while down, unless {@link #watch}
 * probes all the time (for peers that report nothing themselves); the check itself reads the
 * in-memory state.
 */
public final class ConnectionState implements HealthCheck {

    private final Vertx vertx;
    private final String what;
    private final Supplier<CompletionStage<?>> roundTrip;
    private final long probeIntervalMillis;
    private final AtomicBoolean up = new AtomicBoolean();
    private final AtomicReference<String> lastProblem = new AtomicReference<>("not connected yet");
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicBoolean watchInFlight = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long watchTimer = -1;

    /**
     * @param what                what is connected, for the health detail (e.g. {@code Ditto WebSocket ws://..})
     * @param roundTrip           a request over the link that completes normally when the peer answered
     *                            (map the peer's error answers, e.g. "not found", to success)
     * @param probeIntervalMillis how often to probe while down
     */
    public ConnectionState(Vertx vertx, String what, Supplier<CompletionStage<?>> roundTrip, long probeIntervalMillis) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.what = Objects.requireNonNull(what, "what");
        this.roundTrip = Objects.requireNonNull(roundTrip, "roundTrip");
        this.probeIntervalMillis = probeIntervalMillis;
    }

    /** The link is established (and subscribed, where that matters). */
    public void connected() {
        up.set(true);
    }

    /** The link dropped: down until a probe's round trip completes. */
    public void disconnected(String problem) {
        lastProblem.set(problem);
        up.set(false);
        if (!closed && probing.compareAndSet(false, true)) {
            vertx.setTimer(probeIntervalMillis, id -> probe());
        }
    }

    /**
     * Probes every {@code probeIntervalMillis} from now on, up or down, for links that report nothing
     * themselves (an HTTP peer used only on demand): a failed round trip marks the link down.
     */
    public void watch() {
        if (!closed) {
            watchTimer = vertx.setPeriodic(1, probeIntervalMillis, id -> {
                if (!watchInFlight.compareAndSet(false, true)) {
                    return;
                }
                roundTrip().whenComplete((result, failure) -> {
                    watchInFlight.set(false);
                    if (failure == null) {
                        up.set(true);
                    } else {
                        lastProblem.set(failure.toString());
                        up.set(false);
                    }
                });
            });
        }
    }

    /** Stops probing (the service stops). */
    public void close() {
        closed = true;
        if (watchTimer >= 0) {
            vertx.cancelTimer(watchTimer);
        }
    }

    private CompletionStage<?> roundTrip() {
        try {
            return roundTrip.get();
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private void probe() {
        if (closed || up.get()) {
            probing.set(false);
            return;
        }
        roundTrip().whenComplete((result, failure) -> {
            if (failure == null) {
                up.set(true);
                probing.set(false);
            } else {
                lastProblem.set("reconnecting: " + failure);
                vertx.setTimer(probeIntervalMillis, id -> probe());
            }
        });
    }

    @Override
    public Result check() {
        return up.get() ? Result.up(what + " connected") : Result.down(what + ": " + lastProblem.get());
    }
}
