package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance of each distinct policy {@code entries} value among the policies in memory, as {@link String#intern}
 * does for strings.
 *
 * <p>Why: a fleet's policies come from one role template and differ only in their IDs, yet each kept its own
 * {@code entries} as Ditto JSON — ~80 KB per policy on the heap for ~2.5 KB of text (ditto-json 2.4 keeps every
 * nested object's text beside its fields), 800 MB for 10,000 pumps, which the collector marked again and again.
 * Ditto's JSON values are immutable, so values of equal text can be one object. Weakly held: an entries value no policy uses
 * any more goes with the last one.
 */
final class SharedPolicyEntries {

    private static final String ENTRIES = "entries";
    /**
     * By their text, not by JSON equality: Ditto's objects are equal in any field order, and a policy must keep its
     * own. The key is the text the shared value itself keeps (ditto-json caches it), so it lives as long as the value.
     */
    private static final Map<String, WeakReference<JsonValue>> SHARED = new WeakHashMap<>();

    private SharedPolicyEntries() {
    }

    /** The policy JSON with its {@code entries} value replaced by the shared equal one (the same JSON otherwise). */
    static JsonObject sharing(JsonObject policy) {
        JsonValue entries = policy.getValue(ENTRIES).orElse(null);
        if (entries == null || !entries.isObject() || entries.isNull()) {
            return policy;
        }
        JsonValue shared = shared(entries);
        if (shared == entries) {
            return policy;
        }
        JsonObjectBuilder builder = JsonObject.newBuilder();
        for (JsonField field : policy) {
            builder.set(field.getKeyName().equals(ENTRIES) ? JsonField.newInstance(field.getKey(), shared) : field);
        }
        return builder.build();
    }

    private static synchronized JsonValue shared(JsonValue entries) {
        String text = entries.toString();
        WeakReference<JsonValue> known = SHARED.get(text);
        JsonValue value = known == null ? null : known.get();
        if (value == null) {
            SHARED.put(text, new WeakReference<>(entries));
            return entries;
        }
        return value;
    }
}
