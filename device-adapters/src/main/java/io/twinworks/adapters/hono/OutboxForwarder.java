package io.twinworks.adapters.hono;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OutboxMessage;
import io.twinworks.core.ditto.FeaturesMerge;
import io.twinworks.core.retry.Backoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drains the {@link Outbox} to Hono: publishes stored messages oldest first with up to
 * {@code maxInFlight} awaiting PUBACK, deletes each one only after its PUBACK, and after any
 * failure reconnects (with exponential backoff) and starts again from the oldest stored message.
 * Delivery is therefore at least once, in outbox order; the sequence number in each payload lets
 * consumers drop the duplicates a lost PUBACK causes.
 *
 * <p>Also receives Hono commands and hands them to the {@link CommandHandler} on a separate
 * thread, publishing the response when the command expects one.
 *
 * <p>All connection state lives on one thread ({@code hono-forwarder}); Paho's callbacks only post
 * events to its queue.
 */
public final class OutboxForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxForwarder.class);
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    /** Creates a fresh client for each connection attempt. */
    @FunctionalInterface
    public interface ClientFactory {
        HonoClient create() throws Exception;
    }

    private sealed interface Event {
    }

    private record Wake() implements Event {
    }

    private record Delivered(long generation, long id) implements Event {
    }

    private record Failed(long generation, long id, Throwable cause, boolean permanent) implements Event {
    }

    private record Lost(long generation, Throwable cause) implements Event {
    }

    private static final Wake WAKE = new Wake();

    private final Outbox outbox;
    private final HonoSettings settings;
    private final ClientFactory clientFactory;
    private final CommandHandler commandHandler;
    private final Backoff.Delays reconnectDelays;
    private final int deadLetterAfter;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ExecutorService commandExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "hono-commands"));
    private final Thread thread = new Thread(this::run, "hono-forwarder");
    private final Counter published;
    private final Counter delivered;
    private final Counter refused;
    private final Counter connects;
    private final Counter connectFailures;
    private final Counter connectionsLost;
    private final Counter commandsReceived;
    private final Counter commandsMalformed;
    private final Counter commandsUnanswered;
    private volatile boolean running = true;
    private volatile boolean connected;
    /** The connected client; {@code null} while disconnected and after {@link #close()}. */
    private volatile @Nullable HonoClient client;
    private long generation;
    private final Map<Long, OutboxMessage> inFlight = new LinkedHashMap<>();
    private final List<Long> toRemove = new ArrayList<>();
    private long cursor;
    /** Publishes allowed in flight now: halved after a connection loss, doubled per full window of PUBACKs. */
    private volatile int window;
    private int deliveredInWindow;
    private long reconnectDelay;
    /** The message that was alone in flight when the connection was lost, and how often in a row that happened. */
    private long suspectId = -1;
    private int suspectLosses;

    /**
     * @param outbox             the durable outbox to drain
     * @param settings           the Hono connection settings
     * @param clientFactory      creates the MQTT client (e.g. {@code HonoClients.factory(settings)})
     * @param commandHandler     executes commands received from Hono
     * @param reconnectBackoff   delays between reconnects; back to the first one once a PUBACK arrives
     * @param deadLetterAfter    connection losses in a row with the same message alone in flight after which
     *                           that message moves to the outbox's dead letters; 0 = retry it forever
     * @param meters             receives the {@code adapter.hono.*} meters
     */
    public OutboxForwarder(Outbox outbox, HonoSettings settings, ClientFactory clientFactory,
                           CommandHandler commandHandler, Backoff reconnectBackoff,
                           int deadLetterAfter, MeterRegistry meters) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
        this.commandHandler = Objects.requireNonNull(commandHandler, "commandHandler");
        this.reconnectDelays = Objects.requireNonNull(reconnectBackoff, "reconnectBackoff").delays();
        if (deadLetterAfter < 0) {
            throw new IllegalArgumentException("deadLetterAfter must not be negative, was " + deadLetterAfter);
        }
        this.deadLetterAfter = deadLetterAfter;
        thread.setDaemon(true);
        published = Counter.builder("adapter.hono.published").description("publishes to Hono (incl. resends)").register(meters);
        delivered = Counter.builder("adapter.hono.delivered").description("publishes Hono acknowledged (PUBACK)").register(meters);
        refused = Counter.builder("adapter.hono.refused")
                .description("messages Hono refused permanently (MQTT 5 reason code); moved to the dead letters and logged")
                .register(meters);
        connects = Counter.builder("adapter.hono.connects").tag("outcome", "success").register(meters);
        connectFailures = Counter.builder("adapter.hono.connects").tag("outcome", "failure").register(meters);
        connectionsLost = Counter.builder("adapter.hono.connections.lost").register(meters);
        commandsReceived = Counter.builder("adapter.hono.commands").tag("outcome", "received").register(meters);
        commandsMalformed = Counter.builder("adapter.hono.commands").tag("outcome", "malformed").register(meters);
        commandsUnanswered = Counter.builder("adapter.hono.commands").tag("outcome", "unanswered").register(meters);
        Gauge.builder("adapter.hono.connected", () -> connected ? 1 : 0).register(meters);
        Gauge.builder("adapter.hono.window", () -> window)
                .description("publishes allowed awaiting PUBACK (halved after a connection loss)").register(meters);
        window = settings.maxInFlight();
        outbox.onAppended(() -> events.offer(WAKE));
    }

    /** Starts the forwarding thread. */
    public void start() {
        thread.start();
    }

    /** Whether the connection to Hono is up. */
    public boolean isConnected() {
        return connected;
    }

    private void run() {
        while (running) {
            try {
                if (!connected) {
                    if (reconnectDelay > 0) {
                        // after a lost connection too, not only after a failed connect: a server that accepts
                        // the CONNECT and drops the connection at the first PUBLISH must not be hammered
                        waitForEvents(reconnectDelay);
                        reconnectDelay = 0;
                        continue;
                    }
                    if (!connect()) {
                        reconnectDelay = nextBackoff();
                        continue;
                    }
                }
                fillWindow();
                waitForEvents(1_000);
            } catch (RuntimeException e) {
                // e.g. the outbox database failed: log, drop the connection state, try again
                long delay = nextBackoff();
                LOG.error("forwarder error; retrying in {} ms", delay, e);
                dropConnection(e);
                sleep(delay);
            }
        }
        flushRemovals();
    }

    /** The current reconnect delay, lengthening the next one; back to the first once a PUBACK arrives. */
    private long nextBackoff() {
        return reconnectDelays.next();
    }

    private boolean connect() {
        HonoClient fresh = null;
        try {
            fresh = clientFactory.create();
            long connectionGeneration = ++generation;
            HonoClient arrivedOn = fresh;
            fresh.setListener(new HonoClient.Listener() {
                @Override
                public void connectionLost(Throwable cause) {
                    events.offer(new Lost(connectionGeneration, cause));
                }

                @Override
                public void messageArrived(String topic, byte[] payload) {
                    onCommand(topic, payload, arrivedOn);
                }
            });
            fresh.connect(CONNECT_TIMEOUT_MILLIS, settings.commandFilter());
            client = fresh;
            connected = true;
            inFlight.clear();
            cursor = 0;
            connects.increment();
            LOG.info("connected to Hono {} as {} (MQTT {}, {}), {} messages waiting in the outbox",
                    settings.serverUri(), settings.username(),
                    settings.protocol() == HonoSettings.MqttProtocol.MQTT_5 ? "5" : "3.1.1",
                    (settings.gateway() ? "gateway " : "device ") + settings.deviceId(), outbox.size());
            return true;
        } catch (Exception e) {
            connectFailures.increment();
            LOG.warn("cannot connect to Hono {} as {}: {}", settings.serverUri(), settings.username(), e.toString());
            if (fresh != null) {
                fresh.close();
            }
            return false;
        }
    }

    private void fillWindow() {
        while (connected && inFlight.size() < window) {
            List<OutboxMessage> batch = outbox.next(cursor, window - inFlight.size());
            if (batch.isEmpty()) {
                return;
            }
            for (OutboxMessage message : batch) {
                cursor = message.id();
                if (!publish(message)) {
                    return;
                }
            }
        }
    }

    private boolean publish(OutboxMessage message) {
        HonoClient current = client;
        if (current == null) {
            return false; // closed meanwhile
        }
        long publishGeneration = generation;
        inFlight.put(message.id(), message);
        try {
            current.publish(message.topic(), message.payload(), message.qos(), FeaturesMerge.DITTO_PROTOCOL_CONTENT_TYPE,
                    new HonoClient.PublishCallback() {
                        @Override
                        public void delivered() {
                            events.offer(new Delivered(publishGeneration, message.id()));
                        }

                        @Override
                        public void failed(Throwable cause, boolean permanent) {
                            events.offer(new Failed(publishGeneration, message.id(), cause, permanent));
                        }
                    });
            published.increment();
            return true;
        } catch (Exception e) {
            dropConnection(e);
            return false;
        }
    }

    private void waitForEvents(long timeoutMillis) {
        try {
            Event first = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (first == null) {
                return;
            }
            List<Event> batch = new ArrayList<>();
            batch.add(first);
            events.drainTo(batch);
            for (Event event : batch) {
                handle(event);
            }
            flushRemovals();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void handle(Event event) {
        if (event instanceof Delivered ok) {
            if (ok.generation() == generation && inFlight.remove(ok.id()) != null) {
                delivered.increment();
                suspectId = -1;
                suspectLosses = 0;
                reconnectDelays.reset();
                toRemove.add(ok.id());
                if (++deliveredInWindow >= window) {
                    deliveredInWindow = 0;
                    window = Math.min(settings.maxInFlight(), window * 2);
                }
            }
        } else if (event instanceof Failed failure) {
            if (failure.generation() != generation || !inFlight.containsKey(failure.id())) {
                return;
            }
            if (failure.permanent()) {
                OutboxMessage message = inFlight.remove(failure.id());
                refused.increment();
                flushRemovals(); // keep the dead-letter move and earlier removals in order
                outbox.deadLetter(failure.id(), "Hono refused it: " + failure.cause().getMessage());
                LOG.error("Hono refused message seq {} of {} on {} for good, moved to the outbox's dead_letters table: {};"
                        + " payload: {}", message.seq(), message.deviceId(), message.topic(), failure.cause().getMessage(),
                        new String(message.payload(), StandardCharsets.UTF_8));
            } else {
                dropConnection(failure.cause()); // with the message still counted in flight (suspect)
            }
        } else if (event instanceof Lost lost) {
            if (lost.generation() == generation) {
                dropConnection(lost.cause());
            }
        }
    }

    private void dropConnection(Throwable cause) {
        flushRemovals();
        if (connected && inFlight.size() > 1) {
            // A server may drop a connection on a burst of pipelined packets (Netty's MQTT decoder refuses a
            // packet whose header straddles a read once the buffer looks too long): back off like TCP does,
            // so that the oldest message gets through alone and delivery always progresses.
            window = Math.max(1, Math.min(window, inFlight.size()) / 2);
            deliveredInWindow = 0;
        }
        if (connected && inFlight.size() == 1) {
            suspect(inFlight.values().iterator().next(), cause);
        }
        if (connected) {
            reconnectDelay = nextBackoff();
            connectionsLost.increment();
            LOG.warn("connection to Hono lost ({} messages were awaiting PUBACK and will be resent; window now {}): {}",
                    inFlight.size(), window, cause == null ? "-" : cause.toString());
        }
        connected = false;
        inFlight.clear();
        cursor = 0;
        generation++;
        HonoClient old = client;
        client = null;
        if (old != null) {
            old.close();
        }
    }

    /**
     * The connection was lost while one message alone awaited its PUBACK. On MQTT 3.1.1 Hono answers a
     * message it will never accept (e.g. a device not registered behind the gateway) by closing the
     * connection without a reason, so the same message alone in flight at several losses in a row is
     * the likely cause: say so, and after {@code deadLetterAfter} losses take it out of delivery.
     */
    private void suspect(OutboxMessage message, Throwable cause) {
        suspectLosses = message.id() == suspectId ? suspectLosses + 1 : 1;
        suspectId = message.id();
        if (suspectLosses < 3) {
            return;
        }
        String what = "message seq " + message.seq() + " of " + message.deviceId() + " on " + message.topic();
        if (deadLetterAfter > 0 && suspectLosses >= deadLetterAfter) {
            String reason = "the connection to Hono was lost " + suspectLosses + " times in a row with this message alone"
                    + " awaiting its PUBACK (last: " + (cause == null ? "-" : cause.toString()) + ")";
            if (outbox.deadLetter(message.id(), reason)) {
                LOG.error("{} moved to the outbox's dead_letters table: {}. On MQTT 3.1.1 Hono cannot say why it refuses"
                        + " a message; check the device's registry entry (e.g. via the gateway) or use MQTT 5", what, reason);
            }
            suspectId = -1;
            suspectLosses = 0;
        } else {
            LOG.warn("the connection to Hono was lost {} times in a row with {} alone awaiting its PUBACK: Hono probably"
                    + " refuses it (MQTT 3.1.1 cannot say why; check the device's registry entry or use MQTT 5); {}",
                    suspectLosses, what, deadLetterAfter > 0 ? "it moves to the dead letters after " + deadLetterAfter
                            : "retried until it is accepted (outbox.deadLetterAfter is 0)");
        }
    }

    private void flushRemovals() {
        if (!toRemove.isEmpty()) {
            outbox.remove(toRemove);
            toRemove.clear();
        }
    }

    /**
     * A command arrives as soon as the subscription is acknowledged — before {@link #connect()} has made the new
     * client the current one — so its response goes back on the connection it arrived on (answering through
     * the current client lost the responses to commands sent right after start-up or a reconnect).
     */
    private void onCommand(String topic, byte[] payload, HonoClient arrivedOn) {
        var parsed = HonoCommand.parse(topic, payload, settings.deviceId());
        if (parsed.isEmpty()) {
            commandsMalformed.increment();
            LOG.warn("ignoring message on {}: not a command request topic", topic);
            return;
        }
        commandsReceived.increment();
        HonoCommand command = parsed.get();
        commandExecutor.execute(() -> {
            CommandResult result;
            try {
                result = commandHandler.handle(command);
            } catch (RuntimeException e) {
                LOG.error("command {} for {} failed", command.name(), command.deviceId(), e);
                result = CommandResult.of(500, "command failed: " + e);
            }
            if (command.expectsResponse()) {
                respond(command, result, arrivedOn);
            }
        });
    }

    private void respond(HonoCommand command, CommandResult result, HonoClient arrivedOn) {
        // if that connection is gone meanwhile, the current one may still carry the response in time
        HonoClient current = arrivedOn.isConnected() ? arrivedOn : client;
        if (current == null || !current.isConnected()) {
            commandsUnanswered.increment();
            LOG.warn("cannot answer command {} ({}) of {}: not connected to Hono", command.name(),
                    command.requestId(), command.deviceId());
            return;
        }
        try {
            current.publish(command.responseTopic(result.status(), settings.gateway()), result.payload(), 1,
                    "application/json", new HonoClient.PublishCallback() {
                        @Override
                        public void delivered() {
                        }

                        @Override
                        public void failed(Throwable cause, boolean permanent) {
                            LOG.warn("response to command {} ({}) failed: {}", command.name(), command.requestId(),
                                    cause.toString());
                        }
                    });
        } catch (Exception e) {
            LOG.warn("response to command {} ({}) failed: {}", command.name(), command.requestId(), e.toString());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops forwarding and disconnects; stored messages stay in the outbox for the next start. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commandExecutor.shutdownNow();
        HonoClient old = client;
        client = null;
        connected = false;
        if (old != null) {
            old.close();
        }
    }

    /** A factory for the configured MQTT version. */
    public static ClientFactory clientFactory(HonoSettings settings) {
        return () -> settings.protocol() == HonoSettings.MqttProtocol.MQTT_5
                ? new PahoV5HonoClient(settings) : new PahoV3HonoClient(settings);
    }
}
