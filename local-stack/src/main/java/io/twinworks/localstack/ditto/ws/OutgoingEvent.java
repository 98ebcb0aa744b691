package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.protocol.Adaptable;

import java.util.Objects;

/**
 * One published twin change on its way to the WebSocket sessions, with what every session that may read the
 * whole change sends alike: the event as the Ditto Protocol message Ditto sends to subscribers, and its text
 * frame (written without building the message for most events: {@link EventFrames}). Both depend on the event only (never on a session's subject or subscription), so they are built once
 * per event, by the first session that needs them, and shared by the others: per session, building and
 * serializing the message was two thirds of the fan-out's CPU (JFR, {@code bench ingest}).
 *
 * <p>Sessions run on different event loops: two that race on the first call build equal values and either is
 * kept (both immutable, published through volatile fields).
 */
final class OutgoingEvent {

    private final TwinChange change;
    private volatile Adaptable message;
    private volatile String frame;

    OutgoingEvent(TwinChange change) {
        this.change = Objects.requireNonNull(change, "change");
    }

    TwinChange change() {
        return change;
    }

    /** The whole event as a Ditto Protocol message with the headers Ditto puts on events to subscribers. */
    Adaptable message() {
        Adaptable known = message;
        if (known == null) {
            known = EventProjection.outgoingMessage(change.event());
            message = known;
        }
        return known;
    }

    /**
     * The text frame of {@link #message()} (without {@code extra} fields): written straight from the event
     * ({@link EventFrames}) for the events devices cause, else serialized from the message.
     */
    String frame() {
        String known = frame;
        if (known == null) {
            known = frameWith(JsonObject.empty());
            frame = known;
        }
        return known;
    }

    /** The text frame of {@link #message()} with a session's {@code extra} fields (not kept: they differ per session). */
    String frameWith(JsonObject extra) {
        String written = EventFrames.write(change.event(), extra);
        return written != null ? written : ProtocolJson.toText(message(), extra);
    }
}
