package io.twinworks.localstack.ditto.ws;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.things.model.ThingId;

/**
 * A connection target that receives live signals besides the WebSocket sessions, as a Ditto connection's
 * target with the topics {@code _/_/things/live/messages} and {@code _/_/things/live/commands} does: it gets
 * a message or live command only when its {@link #authorizationContext()} may READ the signal's resource,
 * and answers through {@link LiveConnections#respond}.
 */
public interface LiveSignalTarget {

    /** A name for log lines and counters, e.g. {@code hono-connection}. */
    String id();

    /** The target's {@code authorizationContext}: its subjects need READ on the signal's resource. */
    AuthorizationContext authorizationContext();

    /** Whether the target's topics cover this message or live command of the thing (e.g. its namespace). */
    boolean accepts(Signal<?> signal, ThingId thingId);

    /**
     * Publishes the signal (on the router's context; must not block).
     *
     * @param responseExpected whether a caller waits for the response (else it is fire-and-forget)
     */
    void publish(Signal<?> signal, ThingId thingId, boolean responseExpected);
}
