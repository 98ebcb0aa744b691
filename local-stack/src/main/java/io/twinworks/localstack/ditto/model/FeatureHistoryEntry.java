package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One recorded state of a feature's properties: what a thing revision changed of a feature, as the twin store's
 * journal answers it (the SSE history stream), so that trends can be read back without an external time-series
 * store.
 *
 * @param thingId    the thing
 * @param featureId  the feature
 * @param revision   the thing revision that produced this state
 * @param timestamp  when that revision was written
 * @param properties the feature's {@code properties} after the change (empty object when none)
 */
public record FeatureHistoryEntry(ThingId thingId, String featureId, long revision, Instant timestamp,
                                  JsonObject properties) {

    private static final JsonKey FEATURES = JsonKey.of("features");
    private static final JsonKey PROPERTIES = JsonKey.of("properties");

    public FeatureHistoryEntry {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(featureId, "featureId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(properties, "properties");
    }

    /**
     * The entries a change of a thing from {@code before} to {@code after} makes: one per feature of {@code after}
     * whose JSON differs from {@code before}'s, in feature ID order, with the feature's properties after the change.
     *
     * @param before the thing's JSON before the change (empty for a new thing)
     * @param after  the thing's JSON after it
     */
    public static List<FeatureHistoryEntry> changes(ThingId thingId, long revision, Instant timestamp,
                                                    JsonObject before, JsonObject after) {
        JsonObject featuresBefore = objectAt(before, FEATURES);
        JsonObject featuresAfter = objectAt(after, FEATURES);
        Map<String, JsonObject> changed = new TreeMap<>();
        for (JsonField feature : featuresAfter) {
            if (!feature.getValue().equals(featuresBefore.getValue(feature.getKey()).orElse(null))) {
                changed.put(feature.getKeyName(), feature.getValue().isObject()
                        ? objectAt(feature.getValue().asObject(), PROPERTIES) : JsonObject.empty());
            }
        }
        List<FeatureHistoryEntry> entries = new ArrayList<>(changed.size());
        changed.forEach((featureId, properties) ->
                entries.add(new FeatureHistoryEntry(thingId, featureId, revision, timestamp, properties)));
        return entries;
    }

    private static JsonObject objectAt(JsonObject object, JsonKey key) {
        return object.getValue(key).filter(JsonValue::isObject).map(JsonValue::asObject).orElse(JsonObject.empty());
    }
}
