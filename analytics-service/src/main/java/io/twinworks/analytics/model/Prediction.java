package io.twinworks.analytics.model;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The content of a twin's {@code predictions} feature, written only by the analytics service.
 *
 * @param anomalyScore    0 (normal) .. 1 (certainly anomalous)
 * @param healthState     the state derived from the score
 * @param rulCycles       remaining useful life in cycles, when a RUL model covers the asset
 * @param model           the detector or model that produced it
 * @param modelVersion    its version
 * @param basedOnRevision the twin revision of the newest reading used
 * @param computedAt      when it was computed
 * @param baselines       the asset's learned baselines per signal (the hand-over snapshot)
 * @param learnedBaselines the learned detector's state per signal past its probation (hand-over snapshot too)
 * @param carriesSnapshot whether this write carries the hand-over snapshot ({@code baselines},
 *                        {@code learnedBaselines}); when not, both are empty and the written properties leave
 *                        the twin's last snapshot as it is (a merge keeps what it does not name)
 */
public record Prediction(
        double anomalyScore,
        HealthState healthState,
        OptionalDouble rulCycles,
        String model,
        String modelVersion,
        long basedOnRevision,
        Instant computedAt,
        java.util.Map<String, SignalBaseline> baselines,
        java.util.Map<String, LearnedBaseline> learnedBaselines,
        boolean carriesSnapshot) {

    /** A prediction carrying the hand-over snapshot. */
    public Prediction(double anomalyScore, HealthState healthState, OptionalDouble rulCycles, String model,
                      String modelVersion, long basedOnRevision, Instant computedAt,
                      java.util.Map<String, SignalBaseline> baselines, java.util.Map<String, LearnedBaseline> learnedBaselines) {
        this(anomalyScore, healthState, rulCycles, model, modelVersion, basedOnRevision, computedAt, baselines,
                learnedBaselines, true);
    }

    /** A prediction without the learned detector's state. */
    public Prediction(double anomalyScore, HealthState healthState, OptionalDouble rulCycles, String model,
                      String modelVersion, long basedOnRevision, Instant computedAt, java.util.Map<String, SignalBaseline> baselines) {
        this(anomalyScore, healthState, rulCycles, model, modelVersion, basedOnRevision, computedAt, baselines, java.util.Map.of());
    }

    /** A prediction without baselines. */
    public Prediction(double anomalyScore, HealthState healthState, OptionalDouble rulCycles, String model,
                      String modelVersion, long basedOnRevision, Instant computedAt) {
        this(anomalyScore, healthState, rulCycles, model, modelVersion, basedOnRevision, computedAt, java.util.Map.of());
    }

    public Prediction {
        baselines = java.util.Map.copyOf(baselines);
        learnedBaselines = java.util.Map.copyOf(learnedBaselines);
        if (!(anomalyScore >= 0.0 && anomalyScore <= 1.0)) {
            throw new IllegalArgumentException("anomalyScore must be within [0, 1]: " + anomalyScore);
        }
        Objects.requireNonNull(healthState, "healthState");
        Objects.requireNonNull(rulCycles, "rulCycles");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(computedAt, "computedAt");
        if (!carriesSnapshot && !(baselines.isEmpty() && learnedBaselines.isEmpty())) {
            throw new IllegalArgumentException("a prediction without the hand-over snapshot has no baselines");
        }
    }

    /** This prediction without the hand-over snapshot: the score, health state and RUL only. */
    public Prediction withoutSnapshot() {
        return new Prediction(anomalyScore, healthState, rulCycles, model, modelVersion, basedOnRevision, computedAt,
                java.util.Map.of(), java.util.Map.of(), false);
    }
}
