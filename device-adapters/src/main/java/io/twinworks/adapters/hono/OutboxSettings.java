package io.twinworks.adapters.hono;

import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OverflowPolicy;
import io.twinworks.core.retry.Backoff;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The outbox and reconnect settings of an adapter.
 *
 * @param file               the SQLite database file
 * @param maxMessages        bound of the outbox
 * @param overflowPolicy     what happens at the bound
 * @param syncMode           NORMAL (survives kill -9) or FULL (also survives power loss)
 * @param maxPayloadBytes    Hono's payload limit; larger readings are split by feature or refused
 * @param reconnectMinMillis first reconnect delay
 * @param reconnectMaxMillis largest reconnect delay
 * @param deadLetterAfter    connection losses in a row with one message alone in flight before that message
 *                           moves to the outbox's {@code dead_letters} table; 0 = retry forever
 */
public record OutboxSettings(Path file, int maxMessages, OverflowPolicy overflowPolicy, Outbox.SyncMode syncMode,
                             int maxPayloadBytes, long reconnectMinMillis, long reconnectMaxMillis,
                             int deadLetterAfter) {

    public OutboxSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        Objects.requireNonNull(syncMode, "syncMode");
        if (deadLetterAfter < 0) {
            throw new IllegalArgumentException("deadLetterAfter must not be negative, was " + deadLetterAfter);
        }
    }

    /** Share of each reconnect delay taken off at random, so that a fleet that lost Hono together does not reconnect together. */
    static final double RECONNECT_JITTER = 0.2;

    /** Delays between reconnects to Hono: doubling from the first to the largest, with {@link #RECONNECT_JITTER}. */
    public Backoff reconnectBackoff() {
        return Backoff.exponential(reconnectMinMillis, reconnectMaxMillis).withJitter(RECONNECT_JITTER);
    }
}
