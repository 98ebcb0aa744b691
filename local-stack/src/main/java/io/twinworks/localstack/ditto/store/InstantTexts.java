package io.twinworks.localstack.ditto.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Instant#toString()} remembered for recently written instants: the rows of one change (the thing, its
 * history, its features' history) carry the same modification time, every change of a thing carries its creation
 * time again, and formatting an instant cost more than writing some of those rows. Bounded (least recently used
 * dropped first). Not thread-safe (the store uses it under its lock).
 */
final class InstantTexts {

    /** Instants remembered: the creation times of the things changing now, and the last modification times. */
    static final int REMEMBERED = 1024;

    private final Map<Instant, String> texts = new LinkedHashMap<>(2 * REMEMBERED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Instant, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** The instant's {@link Instant#toString()}. */
    String of(Instant instant) {
        String text = texts.get(instant);
        if (text == null) {
            text = instant.toString();
            texts.put(instant, text);
        }
        return text;
    }
}
