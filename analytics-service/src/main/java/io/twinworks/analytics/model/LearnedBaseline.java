package io.twinworks.analytics.model;

/**
 * The learned detector's state of one signal of one asset past its probation, written into the twin
 * ({@code predictions.learnedBaselines}) so that another replica, or this one after a restart, takes
 * the asset over without a new probation. The shared forecaster is not part of it (it lives in the
 * model directory); neither are the last window of values (refilled by the next readings).
 *
 * @param mean              the asset's normal level (probation mean)
 * @param standardDeviation its normal spread (probation sd)
 * @param samples           probation readings they were learned from
 * @param shortError        short-term mean of the normalised forecast error
 * @param longErrorMean     long-run mean of the short-term error
 * @param longErrorVariance long-run variance of the short-term error
 * @param scored            readings scored so far (weights the long-run statistics)
 */
public record LearnedBaseline(double mean, double standardDeviation, long samples, double shortError,
                              double longErrorMean, double longErrorVariance, long scored) {
    public LearnedBaseline {
        if (!Double.isFinite(mean) || !Double.isFinite(standardDeviation) || standardDeviation < 0 || samples < 2
                || !Double.isFinite(shortError) || shortError < 0 || !Double.isFinite(longErrorMean)
                || !Double.isFinite(longErrorVariance) || longErrorVariance < 0 || scored < 0) {
            throw new IllegalArgumentException("invalid learned baseline: mean " + mean + ", sd " + standardDeviation + ", n " + samples
                    + ", error " + shortError + ", long-run " + longErrorMean + "/" + longErrorVariance + ", scored " + scored);
        }
    }
}
