package io.twinworks.analytics.model;

import java.util.Objects;

/**
 * One numeric sensor value taken from a twin change.
 *
 * @param thingId  the twin ({@code namespace:name})
 * @param signal   the feature property, as {@code featureId/property/path}
 * @param value    the value
 * @param revision the twin revision that carried it
 */
public record Reading(String thingId, String signal, double value, long revision) {
    public Reading {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(signal, "signal");
    }
}
