package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.ThingJson;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A merge patch applied where it lands instead of on the whole thing, with exactly the result of Ditto's
 * {@code JsonMergePatch.of(path, patch).applyOn(thing)} (RFC 7396 as Ditto implements it, field order included).
 *
 * <p>Why: Ditto wraps the patch into objects along the path and then merges the wrapper into the thing level by
 * level, parsing every key it looks up into a JSON pointer on the way. Along the path the wrapper holds a single
 * key, so each of those levels of the result is simply that key's merged value first, followed by the level's other
 * fields in their order; only from the deepest object that exists along the path (the object at the path itself for
 * an object patch, such as a device's readings merged into a feature's properties) does the merge need Ditto's own
 * code, which is then applied to that (small) object.
 */
final class ThingMergePatches {

    /** Objects of at most this many fields are searched field by field (a device's readings, their properties). */
    private static final int SEARCHED_FIELD_BY_FIELD = 8;
    private static final String FEATURES = "features";

    private ThingMergePatches() {
    }

    /**
     * The thing after the merge patch at {@code path}, held in parts: a merge at or below {@code /features} rebuilds
     * only the features it names (see {@link ThingJson}); any other merge is applied to the whole thing.
     *
     * @return the same value as {@code JsonMergePatch.of(path, patch).applyOn(thing.whole())}, or empty when that
     *         is no JSON object
     */
    static Optional<ThingJson> applyAt(ThingJson thing, JsonPointer path, JsonValue patch) {
        Map<String, JsonValue> changed = thing.hasFeatureParts() ? changedFeatures(thing, path, patch) : null;
        if (changed != null) {
            return Optional.of(thing.withFeatures(changed));
        }
        JsonValue merged = applyAt(thing.whole(), path, patch);
        return merged.isObject() && !merged.isNull() ? Optional.of(ThingJson.of(merged.asObject())) : Optional.empty();
    }

    /**
     * The features a merge at or below {@code /features} changes, in the order the merged features object has them
     * first ({@code null}: removed), or {@code null} when the merge is anything else (it then goes to the whole
     * thing). Follows {@link #applyAt(JsonObject, JsonPointer, JsonValue)} level by level: the levels above a
     * feature put the merged key first and keep the rest in order, which {@link ThingJson#withFeatures} does.
     */
    private static Map<String, JsonValue> changedFeatures(ThingJson thing, JsonPointer path, JsonValue patch) {
        int levels = path.getLevelCount();
        if (levels == 0 || !path.get(0).orElseThrow().toString().equals(FEATURES)) {
            return null;
        }
        boolean objectPatch = patch.isObject() && !patch.isNull();
        Map<String, JsonValue> changed = new LinkedHashMap<>();
        if (levels == 1) {
            if (!objectPatch) {
                return null;
            }
            // Ditto's merge of two objects: the patch's fields first (null removes), then the target's others
            for (JsonField field : patch.asObject()) {
                JsonValue patchValue = field.getValue();
                String id = field.getKeyName();
                Optional<JsonValue> feature = thing.feature(id);
                if (patchValue.isNull()) {
                    if (feature.isPresent()) {
                        changed.put(id, null);
                    }
                } else if (feature.isPresent()) {
                    changed.put(id, mergeValues(patchValue, feature.get()));
                } else {
                    changed.put(id, patchValue.isObject() ? withoutNulls(patchValue.asObject()) : patchValue);
                }
            }
            return changed;
        }
        String id = path.get(1).orElseThrow().toString();
        Optional<JsonValue> feature = thing.feature(id);
        if (feature.isEmpty() || !feature.get().isObject() || feature.get().isNull() || (levels == 2 && !objectPatch)) {
            // a merge that adds, removes or replaces the feature itself: the features object decides
            return null;
        }
        JsonObject featureObject = feature.get().asObject();
        changed.put(id, levels == 2 ? mergeValues(patch, featureObject)
                : applyAt(featureObject, path.getSubPointer(2).orElseThrow(), patch));
        return changed;
    }

    /**
     * The thing after the merge patch at {@code path}.
     *
     * @return the same value as {@code JsonMergePatch.of(path, patch).applyOn(thing)}
     */
    static JsonValue applyAt(JsonObject thing, JsonPointer path, JsonValue patch) {
        int levels = path.getLevelCount();
        if (levels == 0) {
            return JsonMergePatch.of(path, patch).applyOn(thing);
        }
        // an object patch merges into the object at the path itself; any other patch (null, a scalar, an array)
        // is decided by the merge one level up, which removes or replaces the path's value
        int narrowest = patch.isObject() && !patch.isNull() ? levels : levels - 1;
        // objects[i]: the thing's object at the path's first i keys, as far as each exists and is an object
        JsonObject[] objects = new JsonObject[levels + 1];
        objects[0] = thing;
        int deepest = 0;
        while (deepest < narrowest) {
            JsonValue child = valueOf(objects[deepest], path.get(deepest).orElseThrow());
            if (child == null || !child.isObject()) {
                break;
            }
            deepest++;
            objects[deepest] = child.asObject();
        }
        JsonValue merged = deepest == levels
                ? mergeValues(patch, objects[deepest])
                : JsonMergePatch.of(path.getSubPointer(deepest).orElseThrow(), patch).applyOn(objects[deepest]);
        for (int level = deepest - 1; level >= 0; level--) {
            merged = withMergedFirst(objects[level], path.get(level).orElseThrow(), merged);
        }
        return merged;
    }

    /**
     * What Ditto's merge makes of an object whose patch names only {@code key} (present in it): the merged value
     * under that key first, then the object's other fields in their order.
     */
    private static JsonObject withMergedFirst(JsonObject object, JsonKey key, JsonValue mergedValue) {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        builder.set(JsonField.newInstance(key, mergedValue));
        for (JsonField field : object) {
            if (!field.getKey().equals(key)) {
                builder.set(field);
            }
        }
        return builder.build();
    }

    /**
     * Ditto's {@code JsonMergePatch.of(patch).applyOn(target)} (ditto-json 2.4: {@code mergeJsonValues}), step for
     * step, but setting fields as fields: Ditto sets every merged field through a JSON pointer made of its key
     * (an Optional, a predicate and a hierarchy walk per field) and tests every field of the target against the
     * patch the same way, which cost more than the merge's own work on a device's few readings.
     */
    static JsonValue mergeValues(JsonValue patch, JsonValue target) {
        if (patch.isObject() && target.isObject()) {
            return mergeObjects(patch.asObject(), target.asObject());
        }
        return patch.isObject() ? withoutNulls(patch.asObject()) : patch;
    }

    /**
     * The patch's fields first, in its order (a null removes the field, an object merges into the target's value),
     * then the target's fields the patch does not name, in their order.
     */
    private static JsonObject mergeObjects(JsonObject patch, JsonObject target) {
        if (patch.isNull()) {
            return JsonFactory.nullObject();
        }
        JsonObjectBuilder builder = JsonObject.newBuilder();
        for (JsonField field : patch) {
            JsonValue patchValue = field.getValue();
            if (patchValue.isNull()) {
                continue;
            }
            JsonKey key = field.getKey();
            JsonValue targetValue = valueOf(target, key);
            if (targetValue != null) {
                builder.set(JsonField.newInstance(key, mergeValues(patchValue, targetValue)));
            } else if (patchValue.isObject()) {
                builder.set(JsonField.newInstance(key, withoutNulls(patchValue.asObject())));
            } else {
                builder.set(field);
            }
        }
        for (JsonField field : target) {
            if (valueOf(patch, field.getKey()) == null) {
                builder.set(field);
            }
        }
        return builder.build();
    }

    /**
     * The value of the object's field named {@code key}, or {@code null}: what {@code object.getValue(key)} finds,
     * without the JSON pointer (a list and its copy) Ditto makes of the key for every lookup; a small object's
     * few key names are compared instead.
     */
    private static JsonValue valueOf(JsonObject object, JsonKey key) {
        if (object.getSize() > SEARCHED_FIELD_BY_FIELD) {
            return object.getValue(key).orElse(null);
        }
        String name = key.toString();
        for (JsonField field : object) {
            if (field.getKeyName().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /** The object without its null fields, at every depth (as Ditto's merge takes a patch object that replaces a value). */
    private static JsonObject withoutNulls(JsonObject object) {
        return object.filter(field -> !field.getValue().isNull());
    }
}
