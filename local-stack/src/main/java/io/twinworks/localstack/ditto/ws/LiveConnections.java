package io.twinworks.localstack.ditto.ws;

import org.eclipse.ditto.base.model.signals.commands.CommandResponse;

import java.util.Objects;

/**
 * Where connections attach to the live channel of the twin service: their targets receive the messages and
 * live commands they may READ, and their responses go back to the waiting sender (HTTP request, WebSocket
 * session or ditto-client) — the same first-response-wins and timeout as between WebSocket sessions.
 */
public final class LiveConnections {

    private final LiveSignalRouter router;

    LiveConnections(LiveSignalRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /** Adds a target; it receives signals routed from now on. */
    public void attach(LiveSignalTarget target) {
        router.attach(Objects.requireNonNull(target, "target"));
    }

    /** Removes a target (its connection stops). */
    public void detach(LiveSignalTarget target) {
        router.detach(target);
    }

    /**
     * Hands a response a target received to the sender waiting for its correlation ID; a response nobody
     * waits for (any more) is dropped, counted and logged.
     *
     * @return whether a sender was waiting for it
     */
    public boolean respond(LiveSignalTarget from, CommandResponse<?> response) {
        return router.respond(from.id(), response);
    }
}
