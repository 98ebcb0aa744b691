package io.twinworks.analytics.detect;

/**
 * The streaming anomaly detector for one numeric signal of one asset. It combines two scores and
 * reports the larger:
 * <ul>
 *   <li><b>drift</b>: how far a smoothed current value (EWMA) has moved from the normal operation
 *       learned during warm-up (mean and standard deviation, Welford's algorithm), in standard
 *       deviations. The baseline's spread is frozen on purpose and its level follows only slowly: a
 *       rolling one follows slow wear, so a bearing that degrades over hours would never look
 *       anomalous.</li>
 *   <li><b>novelty</b>: the {@link NoveltyDetector} (range and pattern novelty, calibrated by the
 *       anomaly-likelihood idea, one report per event) — the detector chosen on the NAB tuning set.
 *       It catches spikes, level shifts and changes of pattern that drift cannot see.</li>
 * </ul>
 * Each score uses only earlier readings (no look-ahead); memory is bounded (see NoveltyDetector).
 *
 * <p>The anomaly score is the larger of the two; the <b>health score</b> ({@link #healthScore()}), which
 * drives the asset's health state and its alarms, counts novelty only when it repeats: the third
 * novelty event (a novelty score of at least {@link #NOVELTY_EVENT_SCORE}) within
 * {@link #NOVELTY_REPEAT_READINGS} readings. One new record or unusual pattern is worth showing in the
 * score, not worth waking an operator: on the demo's healthy pumps such events come a few times an hour
 * per signal, mostly early while the range of the measurement noise is still being explored (records of
 * noise are close together then, two within a few hundred readings happen), while a failure keeps
 * producing them (or drifts).
 */
public final class SignalDetector {

    /** Standard deviations at which the drift score is 0.5. */
    static final double Z_AT_HALF_SCORE = 3.0;
    /** How steeply the score rises around the half-score point. */
    static final double SCORE_STEEPNESS = 1.5;
    /** The shortest horizon, in readings, over which the drift baseline follows the signal. */
    static final int MIN_BASELINE_HORIZON = 1000;
    /** Novelty score from which a reading is a novelty event (the asset's warning score). */
    static final double NOVELTY_EVENT_SCORE = AssetState.WARNING_SCORE;
    /**
     * Readings within which three novelty events escalate health: four times the novelty detector's
     * refractory period, so a lasting change that keeps reporting (it grows or changes shape) confirms
     * itself, while the records of plain noise do not. Chosen on the demo's simulated pumps
     * ({@code DemoPumpHealthTest}: with two events in this window a healthy pump warned twice in five
     * demo hours; with three, never).
     */
    static final int NOVELTY_REPEAT_READINGS = 4 * NoveltyDetector.MASK_ROWS;

    private final int warmupSamples;
    private final double smoothing;
    private long count;
    private double mean;
    private double sumOfSquares;
    private double smoothed;
    private long readings;
    /** Readings (counted from the first) of the last two novelty events; far in the past when none. */
    private long lastNoveltyEvent = Long.MIN_VALUE / 2;
    private long previousNoveltyEvent = Long.MIN_VALUE / 2;
    private double lastScore = Double.NaN;
    private double healthScore = Double.NaN;

    private final NoveltyDetector novelty = new NoveltyDetector();

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
        double novelty = this.novelty.update(value);
        boolean repeatedNovelty = false;
        if (novelty >= NOVELTY_EVENT_SCORE) {
            repeatedNovelty = readings - previousNoveltyEvent <= NOVELTY_REPEAT_READINGS;
            previousNoveltyEvent = lastNoveltyEvent;
            lastNoveltyEvent = readings;
        }
        readings++;
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
        lastScore = Math.max(drift, novelty);
        healthScore = repeatedNovelty ? lastScore : drift;
        return lastScore;
    }

    /** The anomaly score of the last reading past warm-up ({@code NaN} before). */
    public double lastScore() {
        return lastScore;
    }

    /**
     * The part of the last score that counts for the asset's health ({@code NaN} before warm-up): the
     * drift score, or the whole score when the reading is the third novelty event within
     * {@link #NOVELTY_REPEAT_READINGS} readings (see the class comment).
     */
    public double healthScore() {
        return healthScore;
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
        return novelty.withRange(new io.twinworks.analytics.model.SignalBaseline(mean, Math.sqrt(sumOfSquares / (count - 1)), count));
    }

    /**
     * Starts from a baseline another replica learned (taken from the twin) instead of learning one.
     * The novelty detector continues from the handed-over range (if any); its pattern memory and level start afresh.
     */
    public void restore(io.twinworks.analytics.model.SignalBaseline baseline) {
        novelty.restore(baseline);
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
