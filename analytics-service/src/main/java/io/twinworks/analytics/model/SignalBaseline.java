package io.twinworks.analytics.model;

/**
 * The learned normal operation of one signal, written into the twin ({@code predictions.baselines})
 * so that another replica can take the asset over without learning it again.
 *
 * @param mean              the baseline level
 * @param standardDeviation the baseline spread
 * @param samples           readings it was learned from
 */
public record SignalBaseline(double mean, double standardDeviation, long samples) {
    public SignalBaseline {
        if (!Double.isFinite(mean) || !Double.isFinite(standardDeviation) || standardDeviation < 0 || samples < 2) {
            throw new IllegalArgumentException("invalid baseline: mean " + mean + ", sd " + standardDeviation + ", n " + samples);
        }
    }
}
