package io.twinworks.adapters.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One reading of one device, as it becomes a Ditto Protocol merge: property values grouped by the
 * twin feature they belong to ({@code feature → property → value}). The thing ID is the Hono
 * device ID ({@code <namespace>:<name>}).
 *
 * @param thingId  the twin (= Hono device) the reading belongs to
 * @param features feature ID → property name → value (a {@link Number}, {@link String} or {@link Boolean})
 */
public record Reading(String thingId, Map<String, Map<String, Object>> features) {

    public Reading {
        ThingIds.requireValid(thingId);
        Objects.requireNonNull(features, "features");
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a reading needs at least one feature property");
        }
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        features.forEach((feature, properties) -> {
            if (feature == null || feature.isBlank() || feature.contains("/")) {
                throw new IllegalArgumentException("invalid feature ID '" + feature + "'");
            }
            if (properties == null || properties.isEmpty()) {
                throw new IllegalArgumentException("feature '" + feature + "' has no properties");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            properties.forEach((name, value) -> {
                if (name == null || name.isBlank() || name.contains("/")) {
                    throw new IllegalArgumentException("invalid property name '" + name + "' in feature '" + feature + "'");
                }
                if (!(value instanceof Number || value instanceof String || value instanceof Boolean)) {
                    throw new IllegalArgumentException("property '" + feature + "/" + name + "' has no scalar value: " + value);
                }
                values.put(name, value);
            });
            copy.put(feature, Collections.unmodifiableMap(values));
        });
        features = Collections.unmodifiableMap(copy);
    }

    /** A reading with a single feature. */
    public static Reading of(String thingId, String feature, Map<String, Object> properties) {
        return new Reading(thingId, Map.of(feature, properties));
    }

    /** The same thing with only the given subset of features. */
    public Reading withFeatures(Map<String, Map<String, Object>> subset) {
        return new Reading(thingId, subset);
    }
}
