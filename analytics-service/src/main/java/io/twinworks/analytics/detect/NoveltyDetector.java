package io.twinworks.analytics.detect;

import io.twinworks.analytics.model.SignalBaseline;

/**
 * The streaming anomaly detector of one numeric signal: it scores how <em>new</em> the signal's
 * behaviour is compared with everything it has seen, and reports an event once rather than for every
 * row of it. Four parts, the largest wins, then a refractory period:
 * <ul>
 *   <li><b>range novelty</b> — a value beyond the range seen so far (all earlier rows) by more than
 *       {@link #RANGE_MARGIN} of that range scores 0.5 at once, rising to 1 at {@link #RANGE_MARGIN} +
 *       {@link #RANGE_SCALE}. Most real failures start as a level or spike never seen before, and this
 *       needs no model (Numenta's HTM detector adds the same "spatial" check).</li>
 *   <li><b>pattern novelty</b> ({@link #FINE_STEP} rows per point) — the signal is downsampled to one
 *       point per step (the step's most extreme value,
 *       so spikes survive), normalised by the range seen so far, and the last {@link #WINDOW} points
 *       form a pattern. A memory of at most {@link #PROTOTYPES} prototype patterns learns what normal
 *       looks like (adaptive-resonance style, as ARTime/KNN-CAD do): a pattern near a prototype nudges
 *       it; a pattern farther than {@link #VIGILANCE_SD} standard deviations of the usual distance
 *       becomes a prototype itself (replacing the least recently matched one). The distance to the
 *       nearest prototype is turned into a calibrated score by its tail probability against the
 *       long-run distribution of distances (Numenta's "anomaly likelihood" idea), log-scaled:
 *       {@code log(tail) / log(1e-10)}, so 0.5 means a 1-in-100,000 pattern.</li>
 *   <li><b>level novelty</b> ({@link LevelNovelty}) — how far the coarse scale's step mean ({@link
 *       #COARSE_STEP} rows) departs from the recent level, as a share of the range, calibrated the same
 *       way: a lasting change of level inside the range (a burst of load that lasts). It counts only when
 *       the context matcher has not seen the sequence of levels it continues (a daily burst recurs).</li>
 *   <li><b>context novelty</b> ({@link ContextMatcher}, after contextOSE) — the coarse scale's step means,
 *       quantised into a few levels of the range, form contexts (the last 8 levels); the share of the
 *       current context's sub-contexts never seen before, calibrated by the same tail-probability step.
 *       It catches in-range changes of pattern: a value normal in general but not in its context.</li>
 *   <li><b>refractory period</b> — after a score of at least {@link #MASK_THRESHOLD}, the next
 *       {@link #MASK_ROWS} rows report 0 unless they score even higher: one event, one alarm.</li>
 * </ul>
 * Online and causal (a score uses the current and earlier rows only), no labels, the same constants for
 * every signal. State: a 32×8-byte prototype memory, a 1 KB context table plus a few dozen numbers (bytes measured by
 * {@code twinworks bench analytics}). Not thread-safe.
 *
 * <p>The constants were chosen on NAB's 34 tuning series ({@code ../shared/datasets/nab-tune}) with the
 * NAB scorer in {@code analyze}; see the analytics-service README for the figures and the
 * leave-one-category-out check.
 */
public final class NoveltyDetector {

    /** Rows before range novelty is scored: the range must first describe normal operation. Tuning set. */
    static final int WARM_ROWS = 150;
    /** Share of the range seen so far a value must exceed it by before it scores. Tuning set. */
    static final double RANGE_MARGIN = 0.05;
    /** Further share of the range over which the range score rises from 0.5 to 1. Tuning set. */
    static final double RANGE_SCALE = 0.1;
    /** Rows per point of the fine pattern scale. Tuning set. */
    static final int FINE_STEP = 3;
    /** Rows per point of the coarse scale (level and context novelty). Tuning set. */
    static final int COARSE_STEP = 12;
    /** Points per pattern. Tuning set. */
    static final int WINDOW = 8;
    /** Prototype patterns remembered. Tuning set. */
    static final int PROTOTYPES = 32;
    /** Points per scale (counted from the first) up to which distances only build the long-run statistics (not scored). Tuning set. */
    static final int LEARN_POINTS = 64;
    /** EWMA weight of the long-run distance mean and variance (about the last 100 points). Tuning set. */
    static final double LONG_WEIGHT = 0.01;
    /** Standard deviations above the usual distance at which a pattern becomes a new prototype. Tuning set. */
    static final double VIGILANCE_SD = 3.0;
    /** How far a matched prototype moves toward the pattern. Tuning set. */
    static final double PROTOTYPE_RATE = 0.1;
    /** Rows after an alarm during which only a higher score is reported. Tuning set. */
    static final int MASK_ROWS = 48;
    /** Score from which the refractory period starts. Tuning set. */
    static final double MASK_THRESHOLD = 0.5;

    private final PatternScale fine = new PatternScale(FINE_STEP);
    /** Level and context novelty: lasting level changes and daily-pattern changes show at this scale. */
    private final CoarseScale coarse = new CoarseScale(COARSE_STEP);
    private long rows;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private int maskRows;
    private double lastAlarm;

    /**
     * Takes the next value and returns its anomaly score in [0, 1] (0 while learning). A non-finite
     * value is ignored and scores 0.
     */
    public double update(double value) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        rows++;
        double score = rows > WARM_ROWS ? rangeScore(value) : 0.0;
        min = Math.min(min, value);
        max = Math.max(max, value);
        score = Math.max(score, fine.update(value, min, max));
        score = Math.max(score, coarse.update(value, min, max));
        if (maskRows > 0) {
            maskRows--;
            if (score <= lastAlarm) {
                return 0.0;
            }
        }
        if (score >= MASK_THRESHOLD) {
            maskRows = MASK_ROWS;
            lastAlarm = score;
        }
        return score;
    }

    private double rangeScore(double value) {
        double range = Math.max(max - min, 1e-12);
        double beyond = Math.max(value - max, min - value) / range - RANGE_MARGIN;
        return beyond > 0 ? 0.5 + 0.5 * Math.min(1.0, beyond / RANGE_SCALE) : 0.0;
    }

    /**
     * The part of the state handed over with the twin: the baseline given, plus the range seen so far
     * and the readings behind it.
     */
    public SignalBaseline withRange(SignalBaseline baseline) {
        return rows == 0 ? baseline : new SignalBaseline(baseline.mean(), baseline.standardDeviation(), baseline.samples(), min, max, rows,
                coarse.context.memory());
    }

    /**
     * Continues from a range seen elsewhere (a hand-over): range novelty is scored at once, and so is
     * context novelty when the context memory came with it (snapshots before model version 4 have none:
     * it starts afresh); the pattern memory and the level start afresh (they relearn within {@link
     * #LEARN_POINTS} points of their scale). A baseline without a range changes nothing.
     */
    public void restore(SignalBaseline baseline) {
        if (!baseline.hasRange()) {
            return;
        }
        min = Math.min(min, baseline.rangeMin());
        max = Math.max(max, baseline.rangeMax());
        rows = Math.max(rows, baseline.rangeRows());
        if (baseline.hasContext()) {
            coarse.context.restore(baseline.context());
        }
    }

    /**
     * The coarse scale: rows averaged into steps of {@code step} rows; each step mean is scored for level
     * novelty (unless the context matcher knows the sequence of levels it continues) and context novelty.
     * The matcher's contexts span 8 steps (96 rows) and carry no time of day: a burst along a familiar
     * sequence is muted whenever it comes, one of a new height or shape is not. Package-private for tests. (It scored pattern novelty too until session 7: on the tuning set
     * that part never decided a detection — the scores were identical without it.)
     */
    static final class CoarseScale {
        private final int step;
        private int stepRows;
        private double stepSum;
        private final LevelNovelty level = new LevelNovelty(LEARN_POINTS, LONG_WEIGHT);
        private final ContextMatcher context = new ContextMatcher(LEARN_POINTS, LONG_WEIGHT);

        CoarseScale(int step) {
            this.step = step;
        }

        /** Adds a row; at the end of a step, the larger of its level and context scores (0 otherwise). */
        double update(double value, double min, double max) {
            stepSum += value;
            if (++stepRows < step) {
                return 0.0;
            }
            // The step's mean, not its extreme: the extreme of a noisy step flips between levels now and
            // then and every flip is a "new context" (a healthy daily cycle then scored up to 0.58 in
            // NoveltyDetectorTest; with the mean, never more than without contexts).
            double mean = stepSum / stepRows;
            stepRows = 0;
            stepSum = 0;
            double levelScore = level.update(mean, min, max);
            double contextScore = context.update(mean, min, max);
            // A move of level along a sequence of levels seen before (a daily load burst) recurs: no news.
            // On the tuning set ec2_cpu_utilization_c6585a's daily burst made 13 false-positive rows
            // without this (2 with it), and the score rose 71.08 → 72.83 (LOCO 69.26 → 71.01).
            return Math.max(context.familiar() ? 0.0 : levelScore, contextScore);
        }
    }

    /** The fine time scale: pattern novelty. */
    private static final class PatternScale {
        private final int step;
        /** Prototype patterns, {@link #WINDOW} bytes each (0..255 = 0..1 of the range). */
        private final byte[] prototypes = new byte[PROTOTYPES * WINDOW];
        /** Point at which each prototype was last matched or stored (least recently matched is replaced). */
        private final int[] lastMatched = new int[PROTOTYPES];
        private final float[] pattern = new float[WINDOW];
        private int stored;
        private int stepRows;
        private double stepSum;
        private double stepMin = Double.POSITIVE_INFINITY;
        private double stepMax = Double.NEGATIVE_INFINITY;
        private double level;
        private int points;
        private final TailLikelihood likelihood = new TailLikelihood(LEARN_POINTS, LONG_WEIGHT, 1e-8);

        PatternScale(int step) {
            this.step = step;
        }

        /** Adds a row; at the end of a step, scores the new pattern (0 otherwise). */
        double update(double value, double min, double max) {
            stepSum += value;
            stepMin = Math.min(stepMin, value);
            stepMax = Math.max(stepMax, value);
            if (++stepRows < step) {
                return 0.0;
            }
            double mean = stepSum / stepRows;
            level = points == 0 ? mean : (level + mean) / 2;
            // The step's most extreme value (away from the recent level) keeps a one-row spike visible.
            double point = Math.abs(stepMax - level) >= Math.abs(stepMin - level) ? stepMax : stepMin;
            stepRows = 0;
            stepSum = 0;
            stepMin = Double.POSITIVE_INFINITY;
            stepMax = Double.NEGATIVE_INFINITY;
            double range = max - min;
            System.arraycopy(pattern, 1, pattern, 0, WINDOW - 1);
            pattern[WINDOW - 1] = (float) (range > 0 ? (point - min) / range : 0.5);
            return ++points < WINDOW ? 0.0 : score();
        }

        private double score() {
            int nearest = -1;
            double nearestDistance = Double.POSITIVE_INFINITY;
            for (int p = 0; p < stored; p++) {
                double distance = 0;
                for (int i = 0, base = p * WINDOW; i < WINDOW; i++) {
                    distance += Math.abs(pattern[i] - unit(prototypes[base + i]));
                }
                if (distance < nearestDistance) {
                    nearestDistance = distance;
                    nearest = p;
                }
            }
            double distance = nearest < 0 ? 0.0 : nearestDistance / WINDOW;
            learn(nearest, distance);
            // While learning the statistics are averages over the points so far (the first patterns weigh
            // less: 1/WINDOW at the start).
            return likelihood.score(distance, points);
        }

        private void learn(int nearest, double distance) {
            double vigilance = likelihood.mean() + VIGILANCE_SD * Math.sqrt(likelihood.variance());
            if (nearest < 0 || distance > vigilance) {
                int slot = stored < PROTOTYPES ? stored++ : leastRecentlyMatched();
                for (int i = 0; i < WINDOW; i++) {
                    prototypes[slot * WINDOW + i] = quantise(pattern[i]);
                }
                lastMatched[slot] = points;
            } else {
                for (int i = 0, base = nearest * WINDOW; i < WINDOW; i++) {
                    double current = unit(prototypes[base + i]);
                    prototypes[base + i] = quantise(current + PROTOTYPE_RATE * (pattern[i] - current));
                }
                lastMatched[nearest] = points;
            }
        }

        private int leastRecentlyMatched() {
            int slot = 0;
            for (int p = 1; p < stored; p++) {
                if (lastMatched[p] < lastMatched[slot]) {
                    slot = p;
                }
            }
            return slot;
        }

        private static double unit(byte b) {
            return (b & 0xFF) / 255.0;
        }

        private static byte quantise(double x) {
            return (byte) Math.round(Math.max(0.0, Math.min(1.0, x)) * 255);
        }
    }
}
