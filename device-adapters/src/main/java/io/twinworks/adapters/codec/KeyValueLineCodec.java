package io.twinworks.adapters.codec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code key=value} lines, pairs separated by spaces, commas or semicolons, e.g.
 * {@code T=21.5 P=1.02}. Keys not in the mapping are ignored (devices often print more than is
 * wanted); a line with no mapped key, or a pair without {@code =}, is refused.
 */
public final class KeyValueLineCodec implements LineCodec {

    private final Map<String, FieldTarget> keys;

    /** @param keys key → target */
    public KeyValueLineCodec(Map<String, FieldTarget> keys) {
        this.keys = Map.copyOf(Objects.requireNonNull(keys, "keys"));
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key must be mapped");
        }
    }

    @Override
    public Map<String, Map<String, Object>> decode(String line) throws FrameException {
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        for (String pair : line.trim().split("[\\s,;]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new FrameException("not_key_value", "'" + FieldTarget.abbreviate(pair) + "' is not key=value");
            }
            FieldTarget target = keys.get(pair.substring(0, equals));
            if (target != null) {
                LineCodec.put(features, target, target.convert(pair.substring(equals + 1)));
            }
        }
        if (features.isEmpty()) {
            throw new FrameException("no_mapped_field", "no mapped key in '" + FieldTarget.abbreviate(line) + "'");
        }
        return features;
    }
}
