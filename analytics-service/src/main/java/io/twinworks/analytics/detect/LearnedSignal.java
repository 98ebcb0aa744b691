package io.twinworks.analytics.detect;

/**
 * The per-asset, per-signal state of the learned detector: the asset's normal level and spread
 * (learned over its probation readings), its last {@code window} values, and the statistics of the
 * learned forecaster's errors on it. The forecaster itself ({@code ForecastModel}) is shared by all
 * assets with the signal, so this state stays small: a float ring of {@code window} values and a few
 * doubles (measured by {@code twinworks bench analytics}).
 *
 * <p>The score is an anomaly likelihood over the forecast errors: each error is divided by the error
 * the model made on normal training data, its short-term mean (about 5 readings) is compared with the
 * long-run distribution of that mean, which starts from what normal errors of a well-calibrated
 * model look like and then adapts slowly to this asset.
 *
 * <p>Not thread-safe: confined to the analytics context like {@link AssetState}.
 */
public final class LearnedSignal {

    /** EWMA weight of the short-term error mean. */
    static final double SHORT_ERROR_WEIGHT = 0.2;
    /** EWMA weight of the long-run statistics (about the last 2000 readings). */
    static final double LONG_ERROR_WEIGHT = 0.0005;
    /** Long-run standard deviations of the short-term error mean at which the score is 0.5. */
    static final double Z_AT_HALF_SCORE = 8.0;
    /** Prior of the long-run statistics, worth this many readings: |N(0,1)| has mean sqrt(2/pi). */
    static final int PRIOR_READINGS = 100;
    private static final double PRIOR_MEAN = Math.sqrt(2 / Math.PI);
    private static final double PRIOR_VARIANCE = (1 - 2 / Math.PI) * SHORT_ERROR_WEIGHT / (2 - SHORT_ERROR_WEIGHT);
    /** Floor of the model's residual scale, so a model that fits its training data perfectly is not infinitely surprised. */
    static final double MIN_RESIDUAL = 0.05;

    private final int probation;
    private final float[] recent;
    private int recentCount;
    private int next;
    private long count;
    private double mean;
    private double sumOfSquares;
    /** Raw probation readings, kept only while they are wanted as training data for the shared model. */
    private float[] probationValues;

    private double shortError;
    private double longMean = PRIOR_MEAN;
    private double longVariance = PRIOR_VARIANCE;
    private long scored;
    private double lastScore = Double.NaN;

    /**
     * @param probation readings that define the asset's normal operation (at least 2)
     * @param window    values one forecast looks at (at least 2)
     */
    public LearnedSignal(int probation, int window) {
        if (probation < 2 || window < 2) {
            throw new IllegalArgumentException("probation and window must be at least 2: " + probation + ", " + window);
        }
        this.probation = probation;
        this.recent = new float[window];
    }

    /** {@code true} while the normal level and spread are still being learned. */
    public boolean inProbation() {
        return count < probation;
    }

    /**
     * Takes the next reading (non-finite readings are ignored). During probation it also updates the
     * normal level and spread, and keeps the raw value if {@code keepForTraining}.
     */
    public void push(double value, boolean keepForTraining) {
        if (!Double.isFinite(value)) {
            return;
        }
        if (count < probation) {
            if (keepForTraining && (probationValues != null || count == 0)) {
                if (probationValues == null) {
                    probationValues = new float[probation];
                }
                probationValues[(int) count] = (float) value;
            } else {
                probationValues = null;
            }
            count++;
            double delta = value - mean;
            mean += delta / count;
            sumOfSquares += delta * (value - mean);
        }
        recent[next] = (float) value;
        next = (next + 1) % recent.length;
        recentCount = Math.min(recent.length, recentCount + 1);
    }

    /**
     * The whole probation, standardised, once probation is over and every reading of it was kept for
     * training; {@code null} otherwise. The raw values are released: asked once.
     */
    public double[] takeProbationSeries() {
        if (inProbation() || probationValues == null) {
            return null;
        }
        double[] series = new double[probationValues.length];
        for (int i = 0; i < series.length; i++) {
            series[i] = standardise(probationValues[i]);
        }
        probationValues = null;
        return series;
    }

    /** The last {@code window} readings standardised, oldest first; {@code null} during probation or before enough readings. */
    public double[] window() {
        if (inProbation() || recentCount < recent.length) {
            return null;
        }
        double[] window = new double[recent.length];
        for (int t = 0; t < recent.length; t++) {
            window[t] = standardise(recent[(next + t) % recent.length]);
        }
        return window;
    }

    /** A value in this asset's standardised units (after probation). */
    public double standardise(double value) {
        double variance = count > 1 ? sumOfSquares / (count - 1) : 0;
        double floor = Math.max(1e-6, Math.abs(mean) * 0.01);
        return (value - mean) / Math.max(Math.sqrt(variance), floor);
    }

    /**
     * Scores a reading against the model's forecast for it and updates the error statistics.
     *
     * @param forecast     the forecast of the reading, standardised
     * @param value        the reading (raw)
     * @param residualRmse the model's error on normal training data, standardised
     * @return the learned score in [0, 1]
     */
    public double score(double forecast, double value, double residualRmse) {
        double actual = io.twinworks.analytics.ml.ForecastModel.clip(standardise(value));
        double error = Math.min(Math.abs(actual - forecast) / Math.max(residualRmse, MIN_RESIDUAL), 20.0);
        shortError = scored == 0 ? PRIOR_MEAN + SHORT_ERROR_WEIGHT * (error - PRIOR_MEAN)
                : shortError + SHORT_ERROR_WEIGHT * (error - shortError);
        double z = (shortError - longMean) / Math.sqrt(Math.max(longVariance, 1e-6));
        double score = SignalDetector.score(z, Z_AT_HALF_SCORE);
        scored++;
        double weight = Math.max(LONG_ERROR_WEIGHT, 1.0 / (scored + PRIOR_READINGS));
        double delta = shortError - longMean;
        longMean += weight * delta;
        longVariance = (1 - weight) * (longVariance + weight * delta * delta);
        lastScore = score;
        return score;
    }

    /**
     * The state worth handing over (level, spread, error statistics), or {@code null} during
     * probation: the window of values refills from the next readings, the probation values are gone.
     */
    public io.twinworks.analytics.model.LearnedBaseline snapshot() {
        if (inProbation()) {
            return null;
        }
        double sd = Math.sqrt(count > 1 ? sumOfSquares / (count - 1) : 0);
        return new io.twinworks.analytics.model.LearnedBaseline(mean, sd, count, scored == 0 ? PRIOR_MEAN : shortError,
                longMean, longVariance, scored);
    }

    /**
     * Takes over a state handed over by {@link #snapshot()} elsewhere, if this one has seen no reading
     * yet (a state that already learned here is kept). A probation shorter than this one's goes on
     * learning the level and spread from there.
     *
     * @return {@code true} if taken over
     */
    public boolean restore(io.twinworks.analytics.model.LearnedBaseline baseline) {
        if (count > 0 || recentCount > 0) {
            return false;
        }
        count = baseline.samples();
        mean = baseline.mean();
        sumOfSquares = baseline.standardDeviation() * baseline.standardDeviation() * (count - 1);
        shortError = baseline.shortError();
        longMean = baseline.longErrorMean();
        longVariance = baseline.longErrorVariance();
        scored = baseline.scored();
        probationValues = null;
        return true;
    }

    /** The latest learned score, or {@code NaN} before the first. */
    public double lastScore() {
        return lastScore;
    }
}
