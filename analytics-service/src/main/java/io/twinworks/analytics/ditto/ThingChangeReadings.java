package io.twinworks.analytics.ditto;

import org.jspecify.annotations.Nullable;
import io.twinworks.analytics.model.Reading;
import org.eclipse.ditto.json.JsonObject;
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

    private final Set<String> signals;
    /** The signals as a tree: feature ID, then property keys; read by {@link ProtocolEventReadings}' fast path. */
    private final SignalNode features = new SignalNode();

    /** @param signals monitored feature properties as {@code featureId/property[/sub]} */
    public ThingChangeReadings(Set<String> signals) {
        this.signals = Set.copyOf(signals);
        for (String signal : this.signals) {
            String[] keys = signal.split("/", -1);
            if (keys.length < 2) {
                continue; // a bare feature ID names no property: no change path yields it (see signalOf)
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
        collect(thingId, path.toString(), value, revision, readings);
        return readings;
    }

    private void collect(String thingId, String path, JsonValue value, long revision, List<Reading> out) {
        if (value.isObject()) {
            JsonObject object = value.asObject();
            object.getKeys().forEach(key ->
                    collect(thingId, (path.endsWith("/") ? path : path + "/") + key, object.getValue(key).orElseThrow(), revision, out));
            return;
        }
        if (!value.isNumber()) {
            return;
        }
        String signal = signalOf(path);
        if (signal != null && signals.contains(signal)) {
            out.add(new Reading(thingId, signal, value.asDouble(), revision));
        }
    }

    /** {@code /features/<f>/properties/<p...>} → {@code <f>/<p...>}; anything else → {@code null}. */
    private static @Nullable String signalOf(String path) {
        String[] parts = path.split("/");
        // parts[0] is "" (leading slash)
        if (parts.length < 5 || !"features".equals(parts[1]) || !"properties".equals(parts[3])) {
            return null;
        }
        return parts[2] + "/" + String.join("/", java.util.Arrays.copyOfRange(parts, 4, parts.length));
    }
}
