package io.twinworks.analytics.detect;

/**
 * Turns a raw novelty measure into a calibrated score, after Numenta's <em>anomaly likelihood</em>: the
 * raw value's upper-tail probability against the long-run distribution of earlier raw values (normal
 * approximation, EWMA mean and variance), log-scaled {@code log(tail) / log(1e-10)} so that 0.5 means a
 * 1-in-100,000 value whatever the signal's units or noise. One threshold then fits every signal and
 * every part of the detector. Not thread-safe; part of one detector's state.
 */
final class TailLikelihood {

    /** Tail probability that scores 1 (Numenta's floor). */
    private static final double TAIL_FLOOR = 1e-10;

    private final int learnPoints;
    private final double longWeight;
    private final double varianceFloor;
    private double mean;
    private double variance;

    /**
     * @param learnPoints   points (as counted by the caller) up to which raw values only build the statistics
     * @param longWeight    EWMA weight of the long-run mean and variance after that
     * @param varianceFloor smallest variance the deviation is divided by (a raw measure that was constant so far)
     */
    TailLikelihood(int learnPoints, double longWeight, double varianceFloor) {
        this.learnPoints = learnPoints;
        this.longWeight = longWeight;
        this.varianceFloor = varianceFloor;
    }

    /**
     * Scores {@code raw} against the earlier values, then adds it to the statistics.
     *
     * @param raw   the raw measure (larger = more novel)
     * @param point the caller's count of points so far, this one included (while at most
     *              {@code learnPoints}, the statistics are plain averages and the score is 0)
     * @return the calibrated score in [0, 1]
     */
    double score(double raw, long point) {
        return score(raw, point, false);
    }

    /**
     * As {@link #score}, for a signed measure that is normal around its usual value (a departure up or
     * down): a value as far below the usual as another is above scores the same, from the two-sided
     * tail probability.
     */
    double scoreEitherSide(double raw, long point) {
        return score(raw, point, true);
    }

    private double score(double raw, long point, boolean eitherSide) {
        double deviation = raw - mean;
        double sd = Math.sqrt(Math.max(variance, varianceFloor));
        double z = (eitherSide ? Math.abs(deviation) : deviation) / sd;
        if (point <= learnPoints) {
            mean += deviation / point;
            variance += (deviation * deviation - variance) / point;
            return 0.0;
        }
        mean += longWeight * deviation;
        variance = (1 - longWeight) * (variance + longWeight * deviation * deviation);
        // Below one deviation the score would be under 0.08, far below any useful threshold: skip the
        // tail probability (exp + log), which is most of the cost on ordinary points.
        double tail = eitherSide ? 2 * upperTail(z) : upperTail(z);
        return z < 1.0 ? 0.0 : Math.min(1.0, Math.log(tail + TAIL_FLOOR) / Math.log(TAIL_FLOOR));
    }

    double mean() {
        return mean;
    }

    double variance() {
        return variance;
    }

    /** Continues from statistics learned elsewhere (a hand-over). */
    void restore(double mean, double variance) {
        this.mean = mean;
        this.variance = variance;
    }

    /** Upper-tail probability of a standard normal at {@code z}. */
    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : 2 - y;
    }
}
