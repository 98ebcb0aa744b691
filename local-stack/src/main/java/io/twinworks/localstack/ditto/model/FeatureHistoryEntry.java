package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded state of a feature's properties, kept in a bounded per-feature history so that
 * trends can be read back without an external time-series store.
 *
 * @param thingId    the thing
 * @param featureId  the feature
 * @param revision   the thing revision that produced this state
 * @param timestamp  when that revision was written
 * @param properties the feature's {@code properties} after the change (empty object when none)
 */
public record FeatureHistoryEntry(ThingId thingId, String featureId, long revision, Instant timestamp,
                                  JsonObject properties) {

    public FeatureHistoryEntry {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(featureId, "featureId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(properties, "properties");
    }
}
