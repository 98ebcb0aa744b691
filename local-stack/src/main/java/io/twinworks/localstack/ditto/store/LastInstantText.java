package io.twinworks.localstack.ditto.store;

import java.time.Instant;

/**
 * {@link Instant#toString()} remembered for the last instant asked: the rows of one change (the thing, its history,
 * its features' history) carry the same timestamp, and formatting it cost more than writing some of those rows.
 * Not thread-safe (the store uses it under its lock).
 */
final class LastInstantText {

    private Instant last;
    private String text;

    /** The instant's {@link Instant#toString()}. */
    String of(Instant instant) {
        if (!instant.equals(last)) {
            text = instant.toString();
            last = instant;
        }
        return text;
    }
}
