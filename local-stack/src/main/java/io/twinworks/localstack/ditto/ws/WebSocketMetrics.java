package io.twinworks.localstack.ditto.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of the Ditto WebSocket endpoint ({@code twinworks.ditto.ws.*}): open sessions, frames in
 * and out, errors sent by status and error code, malformed frames, refused upgrades and dropped live
 * responses.
 */
final class WebSocketMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger openSessions = new AtomicInteger();
    private final Counter sessionsOpened;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter malformedFrames;

    WebSocketMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("twinworks.ditto.ws.sessions.open", openSessions);
        this.sessionsOpened = registry.counter("twinworks.ditto.ws.sessions.opened");
        this.framesIn = registry.counter("twinworks.ditto.ws.frames.in");
        this.framesOut = registry.counter("twinworks.ditto.ws.frames.out");
        this.malformedFrames = registry.counter("twinworks.ditto.ws.frames.malformed");
    }

    void sessionOpened() {
        sessionsOpened.increment();
        openSessions.incrementAndGet();
    }

    void sessionClosed() {
        openSessions.decrementAndGet();
    }

    void frameIn() {
        framesIn.increment();
    }

    void frameOut() {
        framesOut.increment();
    }

    void malformedFrame() {
        malformedFrames.increment();
    }

    void errorSent(int status, String errorCode) {
        registry.counter("twinworks.ditto.ws.errors", "status", Integer.toString(status), "error", errorCode)
                .increment();
    }

    void upgradeRefused(String reason) {
        registry.counter("twinworks.ditto.ws.upgrades.refused", "reason", reason).increment();
    }

    void liveSignalDropped(String reason) {
        registry.counter("twinworks.ditto.ws.live.dropped", "reason", reason).increment();
    }
}
