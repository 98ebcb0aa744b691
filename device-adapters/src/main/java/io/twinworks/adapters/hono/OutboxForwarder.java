package io.twinworks.adapters.hono;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.ditto.DittoMergeEncoder;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OutboxMessage;
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
    private final long reconnectMinMillis;
    private final long reconnectMaxMillis;
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
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile HonoClient client;
    private long generation;
    private final Map<Long, OutboxMessage> inFlight = new LinkedHashMap<>();
    private final List<Long> toRemove = new ArrayList<>();
    private long cursor;
    /** Publishes allowed in flight now: halved after a connection loss, doubled per full window of PUBACKs. */
    private volatile int window;
    private int deliveredInWindow;

    /**
     * @param outbox             the durable outbox to drain
     * @param settings           the Hono connection settings
     * @param clientFactory      creates the MQTT client (e.g. {@code HonoClients.factory(settings)})
     * @param commandHandler     executes commands received from Hono
     * @param reconnectMinMillis first reconnect delay
     * @param reconnectMaxMillis largest reconnect delay (doubling in between)
     * @param meters             receives the {@code adapter.hono.*} meters
     */
    public OutboxForwarder(Outbox outbox, HonoSettings settings, ClientFactory clientFactory,
                           CommandHandler commandHandler, long reconnectMinMillis, long reconnectMaxMillis,
                           MeterRegistry meters) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
        this.commandHandler = Objects.requireNonNull(commandHandler, "commandHandler");
        this.reconnectMinMillis = reconnectMinMillis;
        this.reconnectMaxMillis = Math.max(reconnectMinMillis, reconnectMaxMillis);
        thread.setDaemon(true);
        published = Counter.builder("adapter.hono.published").description("publishes to Hono (incl. resends)").register(meters);
        delivered = Counter.builder("adapter.hono.delivered").description("publishes Hono acknowledged (PUBACK)").register(meters);
        refused = Counter.builder("adapter.hono.refused")
                .description("messages Hono refused permanently (MQTT 5 reason code); removed from the outbox and logged")
                .register(meters);
        connects = Counter.builder("adapter.hono.connects").tag("outcome", "success").register(meters);
        connectFailures = Counter.builder("adapter.hono.connects").tag("outcome", "failure").register(meters);
        connectionsLost = Counter.builder("adapter.hono.connections.lost").register(meters);
        commandsReceived = Counter.builder("adapter.hono.commands").tag("outcome", "received").register(meters);
        commandsMalformed = Counter.builder("adapter.hono.commands").tag("outcome", "malformed").register(meters);
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
        long backoff = reconnectMinMillis;
        while (running) {
            try {
                if (!connected) {
                    if (connect()) {
                        backoff = reconnectMinMillis;
                    } else {
                        waitForEvents(backoff);
                        backoff = Math.min(reconnectMaxMillis, backoff * 2);
                        continue;
                    }
                }
                fillWindow();
                waitForEvents(1_000);
            } catch (RuntimeException e) {
                // e.g. the outbox database failed: log, drop the connection state, try again
                LOG.error("forwarder error; retrying in {} ms", backoff, e);
                dropConnection(e);
                sleep(backoff);
            }
        }
        flushRemovals();
    }

    private boolean connect() {
        HonoClient fresh = null;
        try {
            fresh = clientFactory.create();
            long connectionGeneration = ++generation;
            fresh.setListener(new HonoClient.Listener() {
                @Override
                public void connectionLost(Throwable cause) {
                    events.offer(new Lost(connectionGeneration, cause));
                }

                @Override
                public void messageArrived(String topic, byte[] payload) {
                    onCommand(topic, payload);
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
        long publishGeneration = generation;
        inFlight.put(message.id(), message);
        try {
            client.publish(message.topic(), message.payload(), message.qos(), DittoMergeEncoder.DITTO_PROTOCOL_CONTENT_TYPE,
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
            OutboxMessage message = inFlight.remove(failure.id());
            if (failure.permanent()) {
                refused.increment();
                toRemove.add(failure.id());
                LOG.error("Hono refused message seq {} of {} on {} for good, removed from the outbox: {}; payload: {}",
                        message.seq(), message.deviceId(), message.topic(), failure.cause().getMessage(),
                        new String(message.payload(), StandardCharsets.UTF_8));
            } else {
                dropConnection(failure.cause());
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
        if (connected) {
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

    private void flushRemovals() {
        if (!toRemove.isEmpty()) {
            outbox.remove(toRemove);
            toRemove.clear();
        }
    }

    private void onCommand(String topic, byte[] payload) {
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
                respond(command, result);
            }
        });
    }

    private void respond(HonoCommand command, CommandResult result) {
        HonoClient current = client;
        if (current == null || !current.isConnected()) {
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
