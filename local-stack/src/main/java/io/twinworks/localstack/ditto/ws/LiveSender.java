package io.twinworks.localstack.ditto.ws;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.entity.id.EntityId;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.signals.Signal;

/**
 * Who sends a live signal and gets its response back: a WebSocket session, or one request of the HTTP
 * messages API ({@link LiveMessages}).
 */
interface LiveSender {

    /** An ID for log lines. */
    String id();

    /** The authenticated subject the thing's policy is checked against. */
    AuthorizationContext subject();

    /** Receives the response to a signal it sent (called on any thread). */
    void emitSignal(Signal<?> signal);

    /** Receives the refusal or timeout of a signal it sent (called on any thread). */
    void emitError(DittoRuntimeException error, EntityId entityId);

    /**
     * The signal passed enforcement and went to {@code recipients} subscribers; when {@code awaitingResponse},
     * a response or a timeout error follows.
     */
    default void dispatched(int recipients, boolean awaitingResponse) {
    }

    /** The signal was refused, but it asked for no response, so no error is emitted (a WebSocket sends none). */
    default void refusedWithoutResponse(DittoRuntimeException error) {
    }
}
