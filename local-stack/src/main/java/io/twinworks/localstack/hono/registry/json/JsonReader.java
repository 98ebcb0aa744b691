package io.twinworks.localstack.hono.registry.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, strict access to the members of one JSON object, reporting violations with the location
 * of the object (e.g. {@code credentials[0].secrets[1]}) so that the 400 answer says what to fix.
 */
final class JsonReader {

    /** Hono's own examples write offsets without a colon ({@code +0100}); RFC 3339 requires one. */
    private static final DateTimeFormatter OFFSET_WITHOUT_COLON =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]XX");

    private final JsonObject json;
    private final String location;

    JsonReader(JsonObject json, String location) {
        this.json = json;
        this.location = location;
    }

    String location() {
        return location;
    }

    JsonObject json() {
        return json;
    }

    InvalidResourceException invalid(String problem) {
        return new InvalidResourceException(location.isEmpty() ? problem : location + ": " + problem);
    }

    /** Fails when the object has members outside the allowed set (Hono's schemas say {@code additionalProperties: false}). */
    void rejectUnknownMembers(Set<String> allowed) {
        for (String name : json.fieldNames()) {
            if (!allowed.contains(name)) {
                throw invalid("unknown member '" + name + "'");
            }
        }
    }

    boolean has(String name) {
        return json.containsKey(name) && json.getValue(name) != null;
    }

    String string(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw invalid("'" + name + "' must be a string");
        }
        return s;
    }

    boolean bool(String name, boolean defaultValue) {
        Object value = json.getValue(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean b)) {
            throw invalid("'" + name + "' must be a boolean");
        }
        return b;
    }

    Map<String, Object> object(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)) {
            throw invalid("'" + name + "' must be a JSON object");
        }
        return toJavaMap(object);
    }

    JsonObject jsonObject(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            throw invalid("'" + name + "' must be a JSON object");
        }
        return object;
    }

    JsonArray array(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw invalid("'" + name + "' must be a JSON array");
        }
        return array;
    }

    /** A list of strings; a single string is accepted as a one-element list, as Hono's Jackson mapping does. */
    List<String> stringList(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        if (!(value instanceof JsonArray array)) {
            throw invalid("'" + name + "' must be an array of strings");
        }
        List<String> strings = new ArrayList<>(array.size());
        for (Object element : array) {
            if (!(element instanceof String s) || s.isEmpty()) {
                throw invalid("'" + name + "' must contain non-empty strings only");
            }
            strings.add(s);
        }
        return strings;
    }

    Instant instant(String name) {
        String text = string(name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, OFFSET_WITHOUT_COLON).toInstant();
            } catch (DateTimeParseException again) {
                throw invalid("'" + name + "' must be an ISO 8601 date-time with offset, e.g. 2027-12-24T19:00:00Z");
            }
        }
    }

    /** The JSON value converted to plain Java maps/lists (what the model records hold). */
    static Map<String, Object> toJavaMap(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach(entry -> map.put(entry.getKey(), toJava(entry.getValue())));
        return map;
    }

    static Object toJava(Object value) {
        if (value instanceof JsonObject object) {
            return toJavaMap(object);
        }
        if (value instanceof JsonArray array) {
            List<Object> list = new ArrayList<>(array.size());
            array.forEach(element -> list.add(toJava(element)));
            return list;
        }
        return value;
    }
}
