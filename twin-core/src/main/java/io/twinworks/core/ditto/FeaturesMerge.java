package io.twinworks.core.ditto;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Ditto Protocol {@code merge} twin command at {@code /features}: the payload a device sends through
 * Hono and Ditto's Hono connection applies with its default Ditto mapping (no JavaScript per message).
 * Every device-side writer of twin state (the adapters, the virtual fleet, the replayed engine) builds
 * its messages with this one class.
 *
 * <pre>{@code
 * {"topic":"plant.a/pump-7/things/twin/commands/merge",
 *  "headers":{"content-type":"application/merge-patch+json"},
 *  "path":"/features","value":{"vibration":{"properties":{"rms":0.31}}}}
 * }</pre>
 *
 * @param thingId    {@code <namespace>:<name>}, which is also the Hono device ID
 * @param properties per feature ID, the properties to merge (values: JSON-able numbers, strings, booleans,
 *                   maps and lists); kept in the given order
 */
public record FeaturesMerge(String thingId, Map<String, Map<String, Object>> properties) {

    /** The content type of Ditto Protocol messages, as Ditto's Hono connection expects it on telemetry. */
    public static final String DITTO_PROTOCOL_CONTENT_TYPE = "application/vnd.eclipse.ditto+json";
    /** The content type of the merge value, a JSON merge patch (RFC 7396). */
    public static final String MERGE_PATCH_CONTENT_TYPE = "application/merge-patch+json";

    /** Checks the thing ID's form and copies the properties (insertion order kept). */
    public FeaturesMerge {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(properties, "properties");
        int colon = thingId.indexOf(':');
        if (colon <= 0 || colon == thingId.length() - 1) {
            throw new IllegalArgumentException("thing ID '" + thingId + "' is not <namespace>:<name>");
        }
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        properties.forEach((feature, values) -> copy.put(Objects.requireNonNull(feature, "feature ID"),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, feature)))));
        properties = java.util.Collections.unmodifiableMap(copy);
    }

    /** The Ditto Protocol topic of a thing's twin merge: {@code <namespace>/<name>/things/twin/commands/merge}. */
    public static String topic(String thingId) {
        int colon = thingId.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("thing ID '" + thingId + "' is not <namespace>:<name>");
        }
        return thingId.substring(0, colon) + "/" + thingId.substring(colon + 1) + "/things/twin/commands/merge";
    }

    /** The command as a Ditto Protocol JSON envelope. */
    public JsonObject toJson() {
        JsonObject features = new JsonObject();
        properties.forEach((feature, values) ->
                features.put(feature, new JsonObject().put("properties", new JsonObject(new LinkedHashMap<>(values)))));
        return new JsonObject()
                .put("topic", topic(thingId))
                .put("headers", new JsonObject().put("content-type", MERGE_PATCH_CONTENT_TYPE))
                .put("path", "/features")
                .put("value", features);
    }

    /** The command as compact JSON text. */
    public String encode() {
        return toJson().encode();
    }

    /** The command as UTF-8 JSON bytes, the MQTT payload. */
    public byte[] encodeUtf8() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }
}
