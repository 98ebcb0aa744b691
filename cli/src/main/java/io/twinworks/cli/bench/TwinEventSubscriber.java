package io.twinworks.cli.bench;

import io.twinworks.core.ditto.DittoEventStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Objects;

/**
 * The benchmarks' high-volume subscriber: a Ditto WebSocket session ({@code /ws/2}, HTTP Basic) that sent
 * {@code START-SEND-EVENTS} and hands every twin change event to a {@link Listener}, in arrival order,
 * on its Vert.x event loop.
 *
 * <p>Why not ditto-client: the benchmarks count tens of thousands of events a second, and ditto-client's
 * per-event work (selector matching, header building, a thing model per change) cost as much CPU as the
 * twin service's whole apply stage in the same JVM — the figure would have measured the client. This
 * session reads the Ditto Protocol envelope with Jackson only, as lean as the Paho subscriber of the
 * mosquitto baseline. ({@code bench alarm} watches one device and keeps ditto-client, the operator's view.)
 *
 * <p>An optional RQL filter narrows the subscription on the server side, exactly as Ditto's
 * {@code START-SEND-EVENTS?filter=...} does: a subscriber that really misses the events of some things
 * (the seam a test uses to prove that the soak's accounting detects loss).
 */
public final class TwinEventSubscriber {

    /** What the subscriber hands over. Both methods run on the subscriber's event loop, one call at a time. */
    public interface Listener {

        /** A twin change event, in the order the session received it. */
        void onEvent(TwinEvent event);

        /** A text message that is neither a protocol acknowledgement nor a JSON object. */
        void onUndecodable(String text);
    }

    /**
     * One twin change event as the session received it.
     *
     * @param thingId         the thing's ID, from the topic
     * @param path            the changed path ({@code /} for the whole thing)
     * @param value           the change's value as Vert.x JSON (a {@link JsonObject}, a number, a string...),
     *                        or {@code null} when it has none (e.g. a deletion)
     * @param revision        the thing's revision after the change, or -1 when the event carries none
     * @param receivedAtNanos {@link System#nanoTime()} when the session received it
     */
    public record TwinEvent(String thingId, String path, Object value, long revision, long receivedAtNanos) {

        /**
         * The value this change carries at {@code pointer} of the thing (e.g. {@code /features/vibration/properties/seq}),
         * or {@code null} when the change lies elsewhere or does not reach that deep.
         */
        public Object valueAt(String pointer) {
            String at = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (!pointer.equals(at) && !pointer.startsWith(at + "/")) {
                return null;
            }
            Object current = value;
            for (String key : pointer.substring(at.length()).split("/")) {
                if (key.isEmpty()) {
                    continue;
                }
                if (!(current instanceof JsonObject object)) {
                    return null;
                }
                current = object.getValue(key);
            }
            return current;
        }
    }

    private final Vertx vertx;
    private final Listener listener;
    private DittoEventStream stream;

    /**
     * @param vertx    whose event loop the session and the listener run on
     * @param listener receives the events
     */
    public TwinEventSubscriber(Vertx vertx, Listener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Connects to {@code dittoUrl}'s {@code /ws/2} and starts receiving events; completes on Ditto's
     * {@code START-SEND-EVENTS:ACK}. The session is twin-core's {@link DittoEventStream} without reconnect: a
     * lost session stays lost and is counted, so that a benchmark sees the gap instead of bridging it.
     *
     * @param dittoUrl  the Ditto API's {@code http://host:port}
     * @param rqlFilter a Ditto RQL filter of the subscription, or {@code null} for every change the user may read
     */
    public Future<Void> start(URI dittoUrl, String user, String password, String rqlFilter) {
        stream = DittoEventStream.open(vertx.getOrCreateContext(),
                DittoEventStream.Settings.of(dittoUrl, user, password, null).withFilter(rqlFilter),
                text -> receive(text, System.nanoTime()));
        return stream.subscribed();
    }

    private void receive(String text, long receivedAtNanos) {
        JsonObject envelope;
        try {
            envelope = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            listener.onUndecodable(text);
            return;
        }
        if (!(envelope.getValue("topic") instanceof String topic)) {
            listener.onUndecodable(text);
            return;
        }
        String[] segments = topic.split("/");
        // <namespace>/<name>/things/twin/events/<action>
        if (segments.length < 6 || !"things".equals(segments[2]) || !"twin".equals(segments[3])
                || !"events".equals(segments[4])) {
            return; // command responses, other acknowledgements and the like are no change events
        }
        Object path = envelope.getValue("path");
        Object revision = envelope.getValue("revision");
        listener.onEvent(new TwinEvent(segments[0] + ":" + segments[1], path instanceof String p ? p : "/",
                envelope.getValue("value"), revision instanceof Number n ? n.longValue() : -1, receivedAtNanos));
    }

    /** Times the session closed while it should have been receiving (each one misses events). */
    public long closedUnexpectedly() {
        DittoEventStream started = stream;
        return started == null ? 0 : started.closedUnexpectedly();
    }

    /** Closes the session. */
    public Future<Void> stop() {
        return stream == null ? Future.succeededFuture() : stream.stop();
    }
}
