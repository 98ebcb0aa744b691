package io.twinworks.analytics.model;

import org.jspecify.annotations.Nullable;

/**
 * The learned normal operation of one signal, written into the twin ({@code predictions.baselines})
 * so that another replica can take the asset over without learning it again.
 *
 * @param mean              the baseline level
 * @param standardDeviation the baseline spread
 * @param samples           readings it was learned from
 * @param rangeMin          the lowest reading the novelty detector has seen (ignored when {@code rangeRows} is 0)
 * @param rangeMax          the highest reading the novelty detector has seen
 * @param rangeRows         readings behind that range; 0 = no range handed over (an older snapshot)
 * @param context           the novelty detector's context memory, or {@code null} (none yet, or a snapshot
 *                          written before model version 4)
 */
public record SignalBaseline(double mean, double standardDeviation, long samples,
                             double rangeMin, double rangeMax, long rangeRows, @Nullable ContextMemory context) {
    public SignalBaseline {
        if (!Double.isFinite(mean) || !Double.isFinite(standardDeviation) || standardDeviation < 0 || samples < 2) {
            throw new IllegalArgumentException("invalid baseline: mean " + mean + ", sd " + standardDeviation + ", n " + samples);
        }
        if (rangeRows < 0 || rangeRows > 0 && !(Double.isFinite(rangeMin) && Double.isFinite(rangeMax) && rangeMin <= rangeMax)) {
            throw new IllegalArgumentException("invalid range: " + rangeMin + ".." + rangeMax + " over " + rangeRows + " readings");
        }
    }

    /** A baseline with a novelty range but no context memory (as snapshots written before model version 4 carry). */
    public SignalBaseline(double mean, double standardDeviation, long samples, double rangeMin, double rangeMax, long rangeRows) {
        this(mean, standardDeviation, samples, rangeMin, rangeMax, rangeRows, null);
    }

    /** A baseline without a novelty range (as snapshots written before the novelty detector carry). */
    public SignalBaseline(double mean, double standardDeviation, long samples) {
        this(mean, standardDeviation, samples, 0.0, 0.0, 0, null);
    }

    /** {@code true} when a novelty range is part of it. */
    public boolean hasRange() {
        return rangeRows > 0;
    }

    /** {@code true} when the novelty detector's context memory is part of it. */
    public boolean hasContext() {
        return context != null;
    }
}
