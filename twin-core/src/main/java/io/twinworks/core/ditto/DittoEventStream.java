package io.twinworks.core.ditto;

import io.twinworks.core.ops.HealthCheck;
import io.twinworks.core.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A lean subscriber of Ditto's twin change events: a Vert.x WebSocket session on {@code /ws/2} (HTTP Basic)
 * that sends {@code START-SEND-EVENTS} and hands every other text frame, as Ditto sent it, to a handler on
 * the caller's Vert.x context, in arrival order.
 *
 * <p>Why not ditto-client: its per-event work (selector matching on a pointer bus, the protocol adapter,
 * headers and a thing model per change) costs more CPU than what a high-volume reader does with the event.
 * Callers read the Ditto Protocol text themselves, taking only what they use.
 *
 * <p>With a reconnect {@link Backoff}, a session that closes (Ditto restarted, the network dropped) or does not
 * acknowledge its subscription in time is opened again after the policy's delay and subscribes again with the
 * same parameters; the delays start afresh once a subscription is acknowledged. Without one, a lost session
 * stays closed and is counted ({@link #closedUnexpectedly()}), for readers that must see a gap rather than
 * bridge it. A session pings Ditto every {@link Settings#keepAlive()} and is closed (and counts as lost) when it
 * receives nothing — no event, no pong — for {@value Settings#SILENT_KEEP_ALIVES} intervals: a peer gone without
 * closing TCP is noticed. {@link #subscription()} is up exactly while a session is subscribed. Events Ditto published while
 * no session was subscribed are not received (Ditto keeps no backlog for a WebSocket).
 */
public final class DittoEventStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DittoEventStream.class);
    private static final String START = "START-SEND-EVENTS";
    private static final String ACK = START + ":ACK";

    /**
     * What to subscribe to and how.
     *
     * @param endpoint    Ditto's {@code ws://host:port} or {@code http://host:port} (also {@code wss}/{@code https});
     *                    {@code /ws/2} is appended to its path
     * @param user        HTTP Basic user
     * @param password    HTTP Basic password
     * @param filter      an RQL filter of the subscription ({@code START-SEND-EVENTS?filter=}), or {@code null}
     * @param namespaces  comma-separated namespaces of the subscription, or {@code null} for all
     * @param reconnect   delays between reconnects, or {@code null} to stay closed once the session is lost
     * @param ackTimeout  how long a session may wait for {@code START-SEND-EVENTS:ACK} before it is given up
     * @param keepAlive   how often a session pings Ditto; a session that receives nothing (no frame, no pong) for
     *                    {@value #SILENT_KEEP_ALIVES} such intervals is taken for dead and closed
     */
    public record Settings(URI endpoint, String user, String password, @Nullable String filter,
                           @Nullable String namespaces, @Nullable Backoff reconnect, Duration ackTimeout,
                           Duration keepAlive) {

        /** Keep-alive intervals without anything received after which a session counts as dead. */
        public static final int SILENT_KEEP_ALIVES = 3;

        public Settings {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(ackTimeout, "ackTimeout");
            Objects.requireNonNull(keepAlive, "keepAlive");
            if (keepAlive.toMillis() < 1) {
                throw new IllegalArgumentException("the keep-alive interval must be at least 1 ms: " + keepAlive);
            }
            if (endpoint.getHost() == null) {
                throw new IllegalArgumentException("the Ditto endpoint has no host: " + endpoint);
            }
        }

        /**
         * Every event the user may read, reconnecting with {@code reconnect}, 10 s for the acknowledgement, a ping
         * every 10 s (dead after 30 s without anything received).
         */
        public static Settings of(URI endpoint, String user, String password, @Nullable Backoff reconnect) {
            return new Settings(endpoint, user, password, null, null, reconnect, Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
        }

        /** These settings with an RQL filter. */
        public Settings withFilter(@Nullable String rqlFilter) {
            return new Settings(endpoint, user, password, rqlFilter, namespaces, reconnect, ackTimeout, keepAlive);
        }

        /** These settings with another keep-alive interval. */
        public Settings withKeepAlive(Duration interval) {
            return new Settings(endpoint, user, password, filter, namespaces, reconnect, ackTimeout, interval);
        }

        /** How long a session may receive nothing before it counts as dead. */
        long silenceMillis() {
            return keepAlive.toMillis() * SILENT_KEEP_ALIVES;
        }

        /** The control message that subscribes, e.g. {@code START-SEND-EVENTS?filter=exists(features%2Fx)}. */
        String startMessage() {
            StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
            if (filter != null) {
                parameters.add("filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
            }
            if (namespaces != null) {
                parameters.add("namespaces=" + URLEncoder.encode(namespaces, StandardCharsets.UTF_8));
            }
            return START + parameters;
        }

        private boolean secure() {
            return "wss".equalsIgnoreCase(endpoint.getScheme()) || "https".equalsIgnoreCase(endpoint.getScheme());
        }

        private WebSocketConnectOptions connectOptions() {
            String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
            int port = endpoint.getPort() >= 0 ? endpoint.getPort() : secure() ? 443 : 80;
            return new WebSocketConnectOptions()
                    .setHost(endpoint.getHost()).setPort(port).setSsl(secure())
                    .setURI((path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/ws/2")
                    .addHeader("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private final Context context;
    private final Settings settings;
    private final Consumer<String> onFrame;
    private final HttpClient client;
    private final Backoff.@Nullable Delays delays;
    private final AtomicLong closedUnexpectedly = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final Promise<Void> firstSubscription = Promise.promise();
    private volatile Consumer<String> lostListener = why -> { };
    /** Context only. */
    private @Nullable WebSocket socket;
    private volatile boolean subscribed;
    private volatile String problem = "not connected yet";
    private volatile boolean closed;

    private DittoEventStream(Context context, Settings settings, Consumer<String> onFrame) {
        this.context = context;
        this.settings = settings;
        this.onFrame = onFrame;
        this.delays = settings.reconnect() == null ? null : settings.reconnect().delays();
        // the service's own predictions with their snapshots can be tens of KB: room for far more
        this.client = context.owner().createHttpClient(new HttpClientOptions()
                .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 24));
    }

    /**
     * Opens the stream. The returned future completes with the first acknowledged subscription; without a
     * reconnect policy it fails when that session cannot be opened or is not acknowledged, with one it waits
     * (retrying) until a session is.
     *
     * @param context whose thread the session and {@code onFrame} run on
     * @param onFrame receives every text frame that is not the subscription's acknowledgement, in arrival order
     */
    public static DittoEventStream open(Context context, Settings settings, Consumer<String> onFrame) {
        DittoEventStream stream = new DittoEventStream(Objects.requireNonNull(context, "context"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(onFrame, "onFrame"));
        context.runOnContext(v -> stream.connect());
        return stream;
    }

    /** Completes once the first session's subscription is acknowledged (see {@link #open}). */
    public Future<Void> subscribed() {
        return firstSubscription.future();
    }

    /** Readiness: up while a session is subscribed; down, with the last problem, from a loss until the next ACK. */
    public HealthCheck subscription() {
        return () -> subscribed
                ? HealthCheck.Result.up("Ditto event stream " + settings.endpoint() + " subscribed")
                : HealthCheck.Result.down("Ditto event stream " + settings.endpoint() + ": " + problem);
    }

    /**
     * Tells {@code listener}, on the context, each time a subscribed session is lost (with why): e.g. to doubt
     * another link to the same Ditto, which may not notice as fast.
     */
    public void whenLost(Consumer<String> listener) {
        this.lostListener = Objects.requireNonNull(listener, "listener");
    }

    /** Sessions lost while they should have been receiving (each one misses the events until the next). */
    public long closedUnexpectedly() {
        return closedUnexpectedly.get();
    }

    /** Sessions whose subscription Ditto acknowledged (1 + the successful reconnects). */
    public long subscriptions() {
        return sessions.get();
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.webSocket(settings.connectOptions()).onComplete(opened -> {
            if (opened.failed()) {
                lost("cannot connect: " + opened.cause());
                return;
            }
            WebSocket connected = opened.result();
            if (closed) {
                connected.close();
                return;
            }
            socket = connected;
            String[] giveUpReason = {null};
            // A peer that vanishes without closing TCP (a pulled cable, a dropped NAT entry, a frozen node) sends no
            // close frame and no RST: the session would count as subscribed forever while no event arrives. Pings make
            // Ditto answer with pongs, so a quiet but healthy session still receives something.
            long[] lastHeard = {System.nanoTime()};
            long pings = context.owner().setPeriodic(settings.keepAlive().toMillis(), id -> {
                long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeard[0]);
                if (silentMillis < settings.silenceMillis()) {
                    connected.writePing(Buffer.buffer());
                } else if (socket == connected) {
                    // lost now: the close handshake cannot complete over a dead link, so its end is not awaited
                    context.owner().cancelTimer(id);
                    socket = null;
                    lost("nothing received (no event, no pong) for " + silentMillis + " ms: taken for dead");
                    connected.close();
                }
            });
            connected.pongHandler(pong -> lastHeard[0] = System.nanoTime());
            long ackTimer = context.owner().setTimer(settings.ackTimeout().toMillis(), id -> {
                if (!subscribed && socket == connected) {
                    giveUpReason[0] = "no " + ACK + " within " + settings.ackTimeout().toMillis() + " ms";
                    connected.close();
                }
            });
            connected.textMessageHandler(text -> {
                lastHeard[0] = System.nanoTime();
                if (text.startsWith(ACK)) {
                    context.owner().cancelTimer(ackTimer);
                    subscribed = true;
                    sessions.incrementAndGet();
                    if (delays != null) {
                        delays.reset();
                    }
                    LOG.info("Ditto event stream {} subscribed ({})", settings.endpoint(), settings.startMessage());
                    firstSubscription.tryComplete();
                } else {
                    onFrame.accept(text);
                }
            });
            connected.exceptionHandler(error -> LOG.debug("Ditto event stream {}: {}", settings.endpoint(), error.toString()));
            connected.closeHandler(v -> {
                context.owner().cancelTimer(ackTimer);
                context.owner().cancelTimer(pings);
                if (socket == connected) {
                    socket = null;
                    lost(subscribed ? "the WebSocket closed" + closeReason(connected)
                            : giveUpReason[0] != null ? giveUpReason[0]
                            : "the WebSocket closed before " + ACK + closeReason(connected));
                }
            });
            connected.writeTextMessage(settings.startMessage());
        });
    }

    private static String closeReason(WebSocket socket) {
        Short status = socket.closeStatusCode();
        return status == null ? "" : " (" + status + (socket.closeReason() == null ? "" : " " + socket.closeReason()) + ")";
    }

    /** A session ended or could not start: down, then the next session after the backoff's delay (or none). */
    private void lost(String why) {
        boolean wasSubscribed = subscribed;
        subscribed = false;
        problem = why;
        if (closed) {
            return;
        }
        if (wasSubscribed) {
            closedUnexpectedly.incrementAndGet();
            lostListener.accept(why);
        }
        if (delays == null) {
            LOG.warn("Ditto event stream {} lost: {} (no reconnect)", settings.endpoint(), why);
            firstSubscription.tryFail(why);
            return;
        }
        long delay = delays.next();
        LOG.warn("Ditto event stream {} lost: {}; reconnecting in {} ms", settings.endpoint(), why, delay);
        context.owner().setTimer(Math.max(1, delay), id -> connect());
    }

    /** Closes the session and stops reconnecting; the client goes with it. */
    public Future<Void> stop() {
        Promise<Void> stopped = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            subscribed = false;
            problem = "closed";
            firstSubscription.tryFail("the Ditto event stream was closed");
            WebSocket open = socket;
            socket = null;
            Future<Void> socketClosed = open == null ? Future.succeededFuture() : open.close();
            socketClosed.eventually(() -> client.close()).onComplete(stopped);
        });
        return stopped.future();
    }

    /** {@link #stop()} without waiting. */
    @Override
    public void close() {
        stop();
    }
}
