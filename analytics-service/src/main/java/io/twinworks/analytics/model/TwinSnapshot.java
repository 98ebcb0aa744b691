package io.twinworks.analytics.model;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a replica restores of an asset from its twin's {@code predictions} feature when it takes the
 * asset over (Kafka rebalance, restart).
 *
 * @param healthState the last written health state (no second alarm for the same state)
 * @param rulCycles   the last written RUL, if any
 * @param baselines   the learned baselines per signal
 * @param learnedBaselines the learned detector's state per signal past its probation
 * @param basedOnRevision the twin revision the last written prediction used: older readings are not used again
 */
public record TwinSnapshot(HealthState healthState, OptionalDouble rulCycles, Map<String, SignalBaseline> baselines,
                           Map<String, LearnedBaseline> learnedBaselines, long basedOnRevision) {

    /** A snapshot without the learned detector's state. */
    public TwinSnapshot(HealthState healthState, OptionalDouble rulCycles, Map<String, SignalBaseline> baselines, long basedOnRevision) {
        this(healthState, rulCycles, baselines, Map.of(), basedOnRevision);
    }

    public TwinSnapshot {
        Objects.requireNonNull(healthState, "healthState");
        Objects.requireNonNull(rulCycles, "rulCycles");
        baselines = Map.copyOf(baselines);
        learnedBaselines = Map.copyOf(learnedBaselines);
    }
}
