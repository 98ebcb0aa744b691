package io.twinworks.localstack.ditto.service;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers what a pure parse function made of a string, for strings that come back with every command
 * of a device (its policy ID, its connection's authorization context header): Ditto's parsers validate
 * with regular expressions or build JSON each time, which under ingest cost more than the lookup.
 * Bounded: beyond {@code maxEntries} distinct strings the memory starts over (a miss only costs the
 * parse). Exceptions of the parser pass through and nothing is remembered for that string. Thread-safe.
 *
 * @param <T> the parsed, immutable value
 */
final class ParsedStrings<T> {

    private final Function<String, T> parser;
    private final int maxEntries;
    private final Map<String, T> parsed = new ConcurrentHashMap<>();

    ParsedStrings(Function<String, T> parser, int maxEntries) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.maxEntries = maxEntries;
    }

    /** What the parser makes of {@code text} (remembered from an earlier call, or parsed now). */
    T of(String text) {
        T known = parsed.get(text);
        if (known != null) {
            return known;
        }
        T value = parser.apply(text);
        if (parsed.size() >= maxEntries) {
            parsed.clear();
        }
        parsed.put(text, value);
        return value;
    }
}
