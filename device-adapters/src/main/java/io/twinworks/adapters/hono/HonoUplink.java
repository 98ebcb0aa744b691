package io.twinworks.adapters.hono;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.ditto.DittoMergeEncoder;
import io.twinworks.adapters.outbox.Outbox;

import java.util.Objects;

/**
 * The Hono side of an adapter, assembled: the durable {@link Outbox}, the {@link ReadingPublisher}
 * sources write to, and the {@link OutboxForwarder} draining it to Hono and receiving commands.
 *
 * <pre>{@code
 * HonoUplink uplink = HonoUplink.open(honoSettings, outboxSettings, commandHandler, meters);
 * uplink.start();
 * uplink.publisher().telemetry(reading);
 * ...
 * uplink.close();
 * }</pre>
 */
public final class HonoUplink implements AutoCloseable {

    private final Outbox outbox;
    private final ReadingPublisher publisher;
    private final OutboxForwarder forwarder;

    private HonoUplink(Outbox outbox, ReadingPublisher publisher, OutboxForwarder forwarder) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.forwarder = forwarder;
    }

    /** Opens the outbox and builds publisher and forwarder; nothing is sent before {@link #start()}. */
    public static HonoUplink open(HonoSettings hono, OutboxSettings settings, CommandHandler commands,
                                  MeterRegistry meters) {
        return open(hono, settings, commands, OutboxForwarder.clientFactory(hono), meters);
    }

    /** As {@link #open(HonoSettings, OutboxSettings, CommandHandler, MeterRegistry)} with another MQTT client factory. */
    public static HonoUplink open(HonoSettings hono, OutboxSettings settings, CommandHandler commands,
                                  OutboxForwarder.ClientFactory clients, MeterRegistry meters) {
        Objects.requireNonNull(hono, "hono");
        Outbox outbox = Outbox.open(settings.file(), settings.maxMessages(), settings.overflowPolicy(),
                settings.syncMode(), meters);
        ReadingPublisher publisher = new ReadingPublisher(outbox, hono, new DittoMergeEncoder(settings.maxPayloadBytes()), meters);
        OutboxForwarder forwarder = new OutboxForwarder(outbox, hono, clients, commands,
                settings.reconnectBackoff(), settings.deadLetterAfter(), meters);
        return new HonoUplink(outbox, publisher, forwarder);
    }

    /** Starts forwarding. */
    public void start() {
        forwarder.start();
    }

    /** Where sources hand their readings. */
    public ReadingPublisher publisher() {
        return publisher;
    }

    /** The outbox (size, sequence numbers). */
    public Outbox outbox() {
        return outbox;
    }

    /** Whether the connection to Hono is up. */
    public boolean isConnected() {
        return forwarder.isConnected();
    }

    @Override
    public void close() {
        forwarder.close();
        outbox.close();
    }
}
