package io.twinworks.cli.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's subscriber: a Ditto WebSocket session ({@code /ws/2}, HTTP Basic) that sent
 * {@code START-SEND-EVENTS} and books the {@code vibration.seq} of every twin change event of the
 * fleet's things into a {@link SoakLedger}, as any Ditto client would see the changes.
 *
 * <p>An optional RQL filter narrows the subscription on the server side, exactly as Ditto's
 * {@code START-SEND-EVENTS?filter=...} does: a subscriber that really misses the events of some things
 * (the seam a test uses to prove that the soak's accounting detects loss).
 */
public final class SoakEventSubscriber {

    private static final String SEQ_POINTER = "/features/vibration/properties/seq";
    private static final String START = "START-SEND-EVENTS";

    private final Vertx vertx;
    private final SoakLedger ledger;
    private final Map<String, Integer> deviceIndexByThingId;
    private final AtomicLong closedUnexpectedly = new AtomicLong();
    private HttpClient client;
    private WebSocket socket;
    private volatile boolean closing;

    /**
     * @param deviceIndexByThingId the fleet's thing IDs and their ledger indexes
     */
    public SoakEventSubscriber(Vertx vertx, SoakLedger ledger, Map<String, Integer> deviceIndexByThingId) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.deviceIndexByThingId = Map.copyOf(deviceIndexByThingId);
    }

    /**
     * Connects to {@code dittoUrl}'s {@code /ws/2} and starts receiving events; completes on Ditto's
     * {@code START-SEND-EVENTS:ACK}.
     *
     * @param rqlFilter a Ditto RQL filter of the subscription, or {@code null} for every change the user may read
     */
    public Future<Void> start(URI dittoUrl, String user, String password, String rqlFilter) {
        client = vertx.createHttpClient(new HttpClientOptions().setMaxWebSocketFrameSize(1 << 20)
                .setMaxWebSocketMessageSize(1 << 22));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(dittoUrl.getHost()).setPort(dittoUrl.getPort()).setURI("/ws/2")
                .addHeader("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        String control = rqlFilter == null ? START : START + "?filter=" + URLEncoder.encode(rqlFilter, StandardCharsets.UTF_8);
        Promise<Void> acknowledged = Promise.promise();
        return client.webSocket(options).compose(connected -> {
            socket = connected;
            connected.textMessageHandler(text -> {
                if (text.startsWith(START + ":ACK")) {
                    acknowledged.tryComplete();
                } else if (text.startsWith("{")) {
                    book(text);
                }
            });
            connected.closeHandler(closed -> {
                if (!closing) {
                    closedUnexpectedly.incrementAndGet();
                }
                acknowledged.tryFail("the Ditto WebSocket closed before " + START + ":ACK");
            });
            return connected.writeTextMessage(control).compose(sent -> acknowledged.future());
        });
    }

    private void book(String text) {
        JsonObject event;
        try {
            event = new JsonObject(text);
        } catch (DecodeException e) {
            ledger.foreign();
            return;
        }
        String topic = event.getString("topic", "");
        String[] segments = topic.split("/");
        // <namespace>/<name>/things/twin/events/<action>
        if (segments.length < 6 || !"twin".equals(segments[3]) || !"events".equals(segments[4])) {
            return; // command responses and the like are no change events
        }
        Integer device = deviceIndexByThingId.get(segments[0] + ":" + segments[1]);
        Object seq = valueAt(event.getString("path", "/"), event.getValue("value"));
        if (device == null) {
            ledger.foreign();
        } else if (seq instanceof Number number) {
            ledger.applied(device, number.longValue());
        }
        // a change of the thing without a vibration reading (e.g. the analytics service's predictions) books nothing
    }

    /** The value at {@value #SEQ_POINTER} of the thing, given the change's path and value (null when the change has none). */
    static Object valueAt(String changePath, Object changeValue) {
        String path = changePath.endsWith("/") ? changePath.substring(0, changePath.length() - 1) : changePath;
        if (!SEQ_POINTER.equals(path) && !SEQ_POINTER.startsWith(path + "/")) {
            return null;
        }
        Object current = changeValue;
        for (String key : SEQ_POINTER.substring(path.length()).split("/")) {
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

    /** Times the session closed while the soak still ran (each one misses events). */
    public long closedUnexpectedly() {
        return closedUnexpectedly.get();
    }

    /** Closes the session. */
    public Future<Void> stop() {
        closing = true;
        Future<Void> socketClosed = socket == null ? Future.succeededFuture() : socket.close();
        return socketClosed.eventually(() -> client == null ? Future.succeededFuture() : client.close());
    }
}
