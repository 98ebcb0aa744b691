package io.twinworks.analytics.detect;

/**
 * A streaming anomaly detector for one numeric signal of one asset: it learns the signal's normal
 * operation from the first readings (mean and standard deviation, Welford's algorithm), then scores
 * how far a smoothed current value (EWMA) has moved from it in standard deviations.
 *
 * <p>Why a frozen baseline rather than a rolling one: a rolling window follows slow wear, so a
 * bearing that degrades over hours would never look anomalous. Each score uses only earlier
 * readings (no look-ahead). Memory is constant per signal.
 */
public final class SignalDetector {

    /** Standard deviations at which the score is 0.5. */
    static final double Z_AT_HALF_SCORE = 3.0;
    /** How steeply the score rises around {@link #Z_AT_HALF_SCORE}. */
    static final double SCORE_STEEPNESS = 1.5;

    private final int warmupSamples;
    private final double smoothing;
    private long count;
    private double mean;
    private double sumOfSquares;
    private double smoothed;

    /**
     * @param warmupSamples readings that define normal operation (at least 2)
     * @param smoothing     EWMA weight of the newest reading, in (0, 1]
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
        if (count < warmupSamples) {
            count++;
            double delta = value - mean;
            mean += delta / count;
            sumOfSquares += delta * (value - mean);
            smoothed = mean;
            return Double.NaN;
        }
        smoothed = smoothing * value + (1 - smoothing) * smoothed;
        return score(zScore());
    }

    /** Distance of the smoothed value from the learned mean, in learned standard deviations. */
    public double zScore() {
        if (count < warmupSamples) {
            return Double.NaN;
        }
        return Math.abs(smoothed - mean) / standardDeviationFloor();
    }

    /** {@code true} once the baseline is learned. */
    public boolean isLearned() {
        return count >= warmupSamples;
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

    /** Logistic map of a z-score to [0, 1]. */
    static double score(double z) {
        return 1.0 / (1.0 + Math.exp(-SCORE_STEEPNESS * (z - Z_AT_HALF_SCORE)));
    }
}
