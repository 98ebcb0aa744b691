package io.twinworks.analytics.rul;

import io.vertx.core.Future;

import java.util.List;

/** Remaining useful life of an asset from its recent cycles; the service's view of a RUL model. */
public interface RulEstimator {

    /** Written as part of {@code predictions.model}. */
    String modelName();

    /** Written as part of {@code predictions.modelVersion}. */
    String modelVersion();

    /** The per-cycle inputs, in order: property names of the RUL feature. */
    List<String> inputs();

    /**
     * The inputs that count cycles (the engine's age, e.g. {@code cycle}): read for the model but
     * never scored for anomalies, where an ever-growing counter would read as novelty. None by default.
     */
    default List<String> counters() {
        return List.of();
    }

    /** Cycles of history a prediction uses (older ones can be dropped, except the first {@link #baselineCycles()}). */
    int window();

    /**
     * Cycles at the start of an asset's history a prediction also uses (the engine's baseline): a
     * history is then the asset's first {@code baselineCycles()} cycles followed by its last
     * {@link #window()} (the ones between dropped); 0 by default, none.
     */
    default int baselineCycles() {
        return 0;
    }

    /**
     * Estimates the RUL in cycles from a history (oldest first, each cycle the {@link #inputs()}).
     * Completes on the caller's context.
     */
    Future<Double> estimate(double[][] history);
}
