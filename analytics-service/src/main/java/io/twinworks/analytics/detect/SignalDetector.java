package io.twinworks.analytics.detect;

/**
 * The streaming anomaly detector for one numeric signal of one asset. It combines two scores and
 * reports the larger:
 * <ul>
 *   <li><b>drift</b>: how far a smoothed current value (EWMA) has moved from the normal operation
 *       learned during warm-up (mean and standard deviation, Welford's algorithm), in standard
 *       deviations. The baseline is frozen on purpose: a rolling one follows slow wear, so a
 *       bearing that degrades over hours would never look anomalous.</li>
 *   <li><b>novelty</b>: how surprising the recent one-step forecast errors are compared with the
 *       errors seen so far (an "anomaly likelihood" in the spirit of Numenta's HTM detector): the
 *       value is forecast by a fast EWMA, its absolute error is normalised by a slow EWMA of past
 *       errors, the short-term mean of those errors is compared with their long-run distribution.
 *       It catches spikes, dropouts and changes of dynamics within the normal range that drift
 *       cannot see, and adapts to the signal's own noise, so no per-signal tuning is needed.</li>
 * </ul>
 * Each score uses only earlier readings (no look-ahead); memory is a handful of doubles per signal.
 */
public final class SignalDetector {

    /** Standard deviations at which the drift score is 0.5. */
    static final double Z_AT_HALF_SCORE = 3.0;
    /** How steeply the score rises around the half-score point. */
    static final double SCORE_STEEPNESS = 1.5;
    /** Long-run standard deviations of the short-term error mean at which the novelty score is 0.5. */
    static final double NOVELTY_Z_AT_HALF_SCORE = 4.0;
    /** The shortest horizon, in readings, over which the drift baseline follows the signal. */
    static final int MIN_BASELINE_HORIZON = 1000;
    /** Forecast errors seen before novelty is scored: long-run statistics of fewer are too rough. */
    static final int MIN_NOVELTY_ERRORS = 100;
    /** Forecast errors that only settle the error scale, before the long-run statistics start. */
    static final int SETTLING_ERRORS = 10;
    /** EWMA weight of the one-step forecast (fast: follows the signal). */
    static final double FORECAST_WEIGHT = 0.3;
    /** EWMA weight of the error scale (slow: the signal's own noise level). */
    static final double ERROR_SCALE_WEIGHT = 0.01;
    /** EWMA weight of the short-term error mean (about the last 5 readings). */
    static final double SHORT_ERROR_WEIGHT = 0.2;
    /** EWMA weight of the long-run error statistics (about the last 2000 readings). */
    static final double LONG_ERROR_WEIGHT = 0.0005;

    private final int warmupSamples;
    private final double smoothing;
    private long count;
    private double mean;
    private double sumOfSquares;
    private double smoothed;

    private double forecast;
    private double errorScale;
    private double shortError;
    private double longErrorMean;
    private double longErrorVariance;
    private long errorsSeen;

    /**
     * @param warmupSamples readings that define normal operation (at least 2)
     * @param smoothing     EWMA weight of the newest reading for the drift score, in (0, 1]
     */
    public SignalDetector(int warmupSamples, double smoothing) {
        if (warmupSamples < 2) {
            throw new IllegalArgumentException("warmupSamples must be at least 2: " + warmupSamples);
        }
        if (!(smoothing > 0.0 && smoothing <= 1.0)) {
            throw new IllegalArgumentException("smoothing must be within (0, 1]: " + smoothing);
        }
        this.warmupSamples = warmupSamples;
        this.smoothing = smoothing;
    }

    /**
     * Takes the next reading and returns its anomaly score in [0, 1], or {@code NaN} while still
     * learning. Non-finite readings are ignored (score {@code NaN}) so that one bad value cannot
     * poison the baseline.
     */
    public double update(double value) {
        if (!Double.isFinite(value)) {
            return Double.NaN;
        }
        double novelty = updateNovelty(value);
        if (count < warmupSamples) {
            count++;
            double delta = value - mean;
            mean += delta / count;
            sumOfSquares += delta * (value - mean);
            smoothed = mean;
            return Double.NaN;
        }
        smoothed = smoothing * value + (1 - smoothing) * smoothed;
        double drift = score(zScore() / smallSampleFactor(), Z_AT_HALF_SCORE);
        adaptBaseline(value);
        return Math.max(drift, novelty);
    }

    /**
     * After warm-up the baseline's level keeps following the signal, over a horizon of at least
     * {@link #MIN_BASELINE_HORIZON} readings (never shorter than the warm-up): a new operating point
     * or a season is absorbed over thousands of readings, while wear over hundreds still shows. Only
     * the level follows: a spread that followed too would swallow the wear it measures.
     */
    private void adaptBaseline(double value) {
        mean += (value - mean) / Math.max(warmupSamples, MIN_BASELINE_HORIZON);
    }

    /** Distance of the smoothed value from the learned mean, in learned standard deviations. */
    public double zScore() {
        if (count < warmupSamples) {
            return Double.NaN;
        }
        return Math.abs(smoothed - mean) / standardDeviationFloor();
    }

    /** The learned baseline, or {@code null} while learning. */
    public io.twinworks.analytics.model.SignalBaseline baseline() {
        if (count < warmupSamples) {
            return null;
        }
        return new io.twinworks.analytics.model.SignalBaseline(mean, Math.sqrt(sumOfSquares / (count - 1)), count);
    }

    /**
     * Starts from a baseline another replica learned (taken from the twin) instead of learning one.
     * The novelty statistics start afresh.
     */
    public void restore(io.twinworks.analytics.model.SignalBaseline baseline) {
        count = Math.max(baseline.samples(), warmupSamples);
        mean = baseline.mean();
        sumOfSquares = baseline.standardDeviation() * baseline.standardDeviation() * (count - 1);
        smoothed = mean;
    }

    /** {@code true} once the baseline is learned. */
    public boolean isLearned() {
        return count >= warmupSamples;
    }

    /**
     * Updates the forecast-error statistics with a reading and returns the novelty score the
     * reading earns against the statistics before it (0 until enough errors were seen).
     */
    private double updateNovelty(double value) {
        if (errorsSeen == 0 && count == 0) {
            forecast = value;
            errorsSeen = 1;
            return 0.0;
        }
        double error = Math.abs(value - forecast);
        forecast += FORECAST_WEIGHT * (value - forecast);
        // The scale starts as the mean error (fast) and then becomes a slow EWMA; the floor keeps a
        // constant signal's first wiggle from being infinitely surprising.
        double scaleWeight = Math.max(ERROR_SCALE_WEIGHT, 1.0 / errorsSeen);
        double floor = Math.max(1e-9, Math.abs(forecast) * 1e-4);
        double normalised = Math.min(error / Math.max(errorScale, floor), 20.0);
        double novelty = 0.0;
        if (errorsSeen > Math.max(MIN_NOVELTY_ERRORS, warmupSamples)) {
            double shortMean = shortError + SHORT_ERROR_WEIGHT * (normalised - shortError);
            double deviation = Math.sqrt(Math.max(longErrorVariance, 1e-6));
            novelty = score((shortMean - longErrorMean) / deviation, NOVELTY_Z_AT_HALF_SCORE);
        }
        errorScale += scaleWeight * (error - errorScale);
        shortError += (errorsSeen <= 2 ? 1.0 : SHORT_ERROR_WEIGHT) * (normalised - shortError);
        // The first errors are measured against a scale still settling: they would inflate the
        // long-run spread for thousands of readings, so the long-run statistics start after them.
        if (errorsSeen > SETTLING_ERRORS) {
            double longWeight = Math.max(LONG_ERROR_WEIGHT, 1.0 / (errorsSeen - SETTLING_ERRORS));
            double delta = shortError - longErrorMean;
            longErrorMean += longWeight * delta;
            longErrorVariance = (1 - longWeight) * (longErrorVariance + longWeight * delta * delta);
        }
        errorsSeen++;
        return novelty;
    }

    /**
     * A spread estimated from few readings is often too small, which would make normal readings
     * look several deviations away. Dividing the z-score by this factor approximates Student's t
     * quantile at the same tail probability as 3 deviations (df 4: about 2x, df 9: 1.4x, df 29:
     * 1.1x, df 99: 1.03x), so a short warm-up does not buy false alarms.
     */
    private double smallSampleFactor() {
        return 1.0 + 4.5 / Math.pow(Math.max(1, count - 1), 1.1);
    }

    /**
     * A perfectly constant signal during warm-up would make every later change infinitely
     * anomalous; a floor of 1 % of the mean's magnitude (or 1e-6) keeps scores meaningful.
     */
    private double standardDeviationFloor() {
        double variance = sumOfSquares / (count - 1);
        double floor = Math.max(1e-6, Math.abs(mean) * 0.01);
        return Math.max(Math.sqrt(variance), floor);
    }

    /** Logistic map of a z-score to [0, 1], 0.5 at {@code zAtHalf}. */
    static double score(double z, double zAtHalf) {
        return 1.0 / (1.0 + Math.exp(-SCORE_STEEPNESS * (z - zAtHalf)));
    }
}
