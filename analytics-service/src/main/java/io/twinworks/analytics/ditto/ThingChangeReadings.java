package io.twinworks.analytics.ditto;

import org.jspecify.annotations.Nullable;
import io.twinworks.analytics.model.Reading;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Extracts the monitored numeric sensor values from a Ditto thing change, whatever its shape: a
 * merge at {@code /features}, a modified feature, properties object, or single property.
 */
public final class ThingChangeReadings {

    /** Levels of a change path: {@code /features/<feature>/properties/<key>...}; property keys start at this level. */
    private static final int FIRST_PROPERTY_LEVEL = 4;

    /** The signals as a tree: feature ID, then property keys (also read by {@link ProtocolEventReadings}' fast path). */
    private final SignalNode features = new SignalNode();

    /** @param signals monitored feature properties as {@code featureId/property[/sub]} */
    public ThingChangeReadings(Set<String> signals) {
        for (String signal : Set.copyOf(signals)) {
            String[] keys = signal.split("/", -1);
            if (keys.length < 2) {
                continue; // a bare feature ID names no property: no change yields a number for it
            }
            SignalNode node = features;
            for (String key : keys) {
                node = node.children.computeIfAbsent(key, k -> new SignalNode());
            }
            node.signal = signal;
        }
    }

    /**
     * One level of the monitored signals: the children by JSON key (below the root: feature IDs; below a
     * feature: property keys, then sub-keys), and the signal a number at this level is, if any.
     */
    static final class SignalNode {
        final Map<String, SignalNode> children = new HashMap<>();
        @Nullable String signal;
    }

    /** The root of the signal tree: its children are the monitored features. */
    SignalNode monitoredFeatures() {
        return features;
    }

    /**
     * @param thingId  the changed thing
     * @param path     the change's path relative to the thing (e.g. {@code /features/vibration/properties/rms})
     * @param value    the changed value at that path
     * @param revision the thing's revision after the change
     */
    public List<Reading> readings(String thingId, JsonPointer path, JsonValue value, long revision) {
        List<Reading> readings = new ArrayList<>();
        SignalNode node = features;
        int levels = path.getLevelCount();
        for (int level = 0; level < levels && node != null; level++) {
            node = descend(node, level, path.get(level).orElseThrow().toString());
        }
        if (node != null) {
            collect(thingId, levels, node, value, revision, readings);
        }
        return readings;
    }

    /**
     * The signal node below {@code node} for {@code key} at {@code level} of the thing ({@code features} and
     * {@code properties} lead on without a node of their own), or {@code null} when nothing monitored is below.
     */
    private static @Nullable SignalNode descend(SignalNode node, int level, String key) {
        return switch (level) {
            case 0 -> "features".equals(key) ? node : null;
            case 2 -> "properties".equals(key) ? node : null;
            default -> node.children.get(key);
        };
    }

    private static void collect(String thingId, int level, SignalNode node, JsonValue value, long revision,
                                List<Reading> out) {
        if (value.isObject()) {
            for (JsonField field : value.asObject()) {
                SignalNode child = descend(node, level, field.getKeyName());
                if (child != null) {
                    collect(thingId, level + 1, child, field.getValue(), revision, out);
                }
            }
        } else if (value.isNumber() && level >= FIRST_PROPERTY_LEVEL && node.signal != null) {
            out.add(new Reading(thingId, node.signal, value.asDouble(), revision));
        }
    }
}
