package io.twinworks.localstack.hono.registry.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, null-tolerant immutable copies of JSON-shaped values (maps, lists, strings, numbers,
 * booleans, {@code null}). Registry resources carry free-form members such as {@code ext} and
 * {@code defaults}; copying them deeply keeps the model records immutable although their content is
 * not typed. {@code Map.copyOf} is not used because JSON allows {@code null} member values.
 */
public final class ImmutableJson {

    private ImmutableJson() {
    }

    /** An immutable deep copy of a JSON object, or an empty map for {@code null}. */
    public static Map<String, Object> copyOf(Map<String, ?> source) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(key, copyValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    /** An immutable copy of a list of strings, or an empty list for {@code null}. */
    public static List<String> copyOfStrings(List<String> source) {
        return source == null ? List.of() : List.copyOf(source);
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copyOf((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(copyValue(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
