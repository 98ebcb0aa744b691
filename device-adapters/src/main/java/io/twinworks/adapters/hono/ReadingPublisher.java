package io.twinworks.adapters.hono;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.ditto.DittoMergeEncoder;
import io.twinworks.adapters.ditto.PayloadTooLargeException;
import io.twinworks.adapters.model.Reading;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OutboxFullException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Where every source (serial port, plant broker) hands its readings: each becomes one Ditto
 * Protocol merge (or several, when it would exceed Hono's payload limit) stored in the outbox with
 * the device's next sequence number, for the {@link OutboxForwarder} to send.
 *
 * <p>Thread-safe; blocks on the outbox's disk write, so call it from the source's own thread.
 */
public final class ReadingPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingPublisher.class);

    /** Why a reading was not stored. */
    public enum Outcome { STORED, SPLIT, TOO_LARGE, WRONG_DEVICE, OUTBOX_FULL }

    private final Outbox outbox;
    private final HonoSettings settings;
    private final DittoMergeEncoder encoder;
    private final Counter split;
    private final Counter tooLarge;
    private final Counter wrongDevice;
    private final Counter outboxFull;

    /**
     * @param outbox   the durable outbox
     * @param settings decides the topic (device or gateway) and the telemetry QoS
     * @param encoder  builds and sizes the merges
     * @param meters   receives {@code adapter.readings.refused{reason}} and {@code adapter.readings.split}
     */
    public ReadingPublisher(Outbox outbox, HonoSettings settings, DittoMergeEncoder encoder, MeterRegistry meters) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        split = Counter.builder("adapter.readings.split")
                .description("readings split into several merges to stay within Hono's payload limit").register(meters);
        tooLarge = refusedCounter(meters, "payload_too_large");
        wrongDevice = refusedCounter(meters, "wrong_device");
        outboxFull = refusedCounter(meters, "outbox_full");
    }

    private static Counter refusedCounter(MeterRegistry meters, String reason) {
        return Counter.builder("adapter.readings.refused").tag("reason", reason)
                .description("readings not stored in the outbox").register(meters);
    }

    /** Stores a reading as telemetry (QoS from the settings). */
    public Outcome telemetry(Reading reading) {
        return store(reading, false, null);
    }

    /**
     * Stores a reading as telemetry and records {@code sourceKey} with it (see
     * {@link Outbox#append(String, String, int, java.util.function.LongFunction, String)}).
     */
    public Outcome telemetry(Reading reading, @Nullable String sourceKey) {
        return store(reading, false, sourceKey);
    }

    /** Stores a reading as an event (QoS 1). */
    public Outcome event(Reading reading) {
        return store(reading, true, null);
    }

    /** Whether a reading with this source key was stored already. */
    public boolean alreadyStored(String sourceKey) {
        return outbox.hasReceipt(sourceKey);
    }

    private Outcome store(Reading reading, boolean event, @Nullable String sourceKey) {
        if (!settings.gateway() && !settings.deviceId().equals(reading.thingId())) {
            wrongDevice.increment();
            LOG.warn("reading for {} refused: this adapter is device {} (not a gateway), it cannot publish for others",
                    reading.thingId(), settings.deviceId());
            return Outcome.WRONG_DEVICE;
        }
        List<Reading> parts;
        try {
            parts = encoder.split(reading);
        } catch (PayloadTooLargeException e) {
            tooLarge.increment();
            LOG.warn("reading refused: {}", e.getMessage());
            return Outcome.TOO_LARGE;
        }
        if (parts.size() > 1) {
            split.increment();
            LOG.info("reading of {} split into {} merges: {} bytes is Hono's payload limit", reading.thingId(),
                    parts.size(), encoder.maxPayloadBytes());
        }
        String topic = event ? settings.eventTopic(reading.thingId()) : settings.telemetryTopic(reading.thingId());
        int qos = event ? 1 : settings.telemetryQos();
        try {
            for (int i = 0; i < parts.size(); i++) {
                Reading part = parts.get(i);
                // the key goes with the last part: a crash between parts makes the redelivery store them all again
                outbox.append(reading.thingId(), topic, qos, seq -> encoder.encode(part, seq),
                        i == parts.size() - 1 ? sourceKey : null);
            }
        } catch (OutboxFullException e) {
            outboxFull.increment();
            LOG.warn("reading refused: {}", e.getMessage());
            return Outcome.OUTBOX_FULL;
        }
        return parts.size() > 1 ? Outcome.SPLIT : Outcome.STORED;
    }
}
