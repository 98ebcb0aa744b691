package io.twinworks.analytics.detect;

import io.twinworks.analytics.model.ContextMemory;

/**
 * Context novelty, after the idea of contextOSE (Smirnov's Contextual Anomaly Detector, one of NAB's
 * leaders): a value can be normal in general and abnormal in its context — a daily peak that stays
 * low, a plateau where a cycle used to be. It is fed the coarse scale's step means (one point
 * per 12 readings). Each point is quantised into one of {@link #LEVELS} levels
 * of the range seen so far; the last {@link #LENGTH} levels form the current context, whose
 * sub-contexts are its suffixes (the current level preceded by the last 1, 2, … {@code LENGTH − 1}
 * levels). The raw measure is the share of those sub-contexts never seen before: a familiar sequence
 * scores 0, a new level combination right after a familiar lead-in scores high. It is calibrated by
 * {@link TailLikelihood} (the same step as pattern novelty), so it combines with the other parts by max.
 *
 * <p>Sub-contexts seen are remembered as 22-bit fingerprints in a fixed open-addressing table of
 * {@link #TABLE} ints (1 KB): each fingerprint is looked up within {@link #PROBE} slots of its home slot;
 * when those are full the least recently seen of them is replaced, so the memory keeps what recurs and
 * forgets what did not (a 10-bit stamp per slot; stamps wrap after 1024 points, after which an entry
 * seen long ago can look recent — it only changes which entry is replaced). No allocation per update.
 * Causal; not thread-safe.
 */
final class ContextMatcher {

    /** Quantisation levels of the range seen so far. Tuning set. */
    static final int LEVELS = 6;
    /** Points per context (the current one and the {@code LENGTH − 1} before it; 4 bits each in a long). Tuning set. */
    static final int LENGTH = 8;
    /** Slots of the context table (a power of two). Tuning set (512 and 1024 scored the same). */
    static final int TABLE = 256;
    /** Slots searched from a fingerprint's home slot. */
    static final int PROBE = 8;

    private static final long HISTORY_MASK = (1L << 4 * LENGTH) - 1;
    private static final int STAMP_BITS = 10;
    private static final int STAMP_MASK = (1 << STAMP_BITS) - 1;
    private static final int KEY_MASK = ~STAMP_MASK;

    private final int[] table = new int[TABLE];
    private final TailLikelihood likelihood;
    private long history;
    private long points;
    /** Whether the last point completed a context whose sub-contexts had all been seen before. */
    private boolean familiar;

    /**
     * @param learnPoints points up to which the calibration only learns (score 0)
     * @param longWeight  EWMA weight of the calibration's long-run statistics
     */
    ContextMatcher(int learnPoints, double longWeight) {
        // The raw share moves in steps of 1/(LENGTH − 1); a floor well below that keeps a first unseen
        // context after a long familiar stretch strongly novel without dividing by zero.
        this.likelihood = new TailLikelihood(learnPoints, longWeight, 1e-8);
    }

    /**
     * Takes the next point and returns its calibrated context-novelty score in [0, 1] (0 while learning).
     *
     * @param value the point
     * @param min   the lowest value seen so far (this one included)
     * @param max   the highest value seen so far (this one included)
     */
    double update(double value, double min, double max) {
        double range = max - min;
        int level = range > 0 ? (int) Math.min(LEVELS - 1, Math.max(0, (value - min) / range * LEVELS)) : LEVELS / 2;
        history = (history << 4 | level) & HISTORY_MASK;
        points++;
        familiar = false;
        if (points < LENGTH) {
            return 0.0;
        }
        int stamp = (int) points & STAMP_MASK;
        int unseen = 0;
        for (int lead = 1; lead < LENGTH; lead++) {
            long suffix = history & ((1L << 4 * (lead + 1)) - 1);
            if (!visit(mix(suffix * 31 + lead), stamp)) {
                unseen++;
            }
        }
        familiar = unseen == 0;
        return likelihood.score((double) unseen / (LENGTH - 1), points);
    }

    /**
     * Whether the last point continued a sequence of levels seen before: a full context, every
     * sub-context of it familiar (false while the first context fills).
     */
    boolean familiar() {
        return familiar;
    }

    /** Looks a sub-context up and records it as seen now; {@code true} when it had been seen before. */
    private boolean visit(long hash, int stamp) {
        int key = (int) (hash >>> 32) & KEY_MASK;
        if (key == 0) {
            key = 1 << STAMP_BITS; // 0 marks an empty slot
        }
        int home = (int) hash & (TABLE - 1);
        int oldest = home;
        int oldestAge = -1;
        for (int i = 0; i < PROBE; i++) {
            int slot = (home + i) & (TABLE - 1);
            int entry = table[slot];
            if (entry == 0) {
                table[slot] = key | stamp;
                return false;
            }
            if ((entry & KEY_MASK) == key) {
                table[slot] = key | stamp;
                return true;
            }
            int age = (stamp - entry) & STAMP_MASK;
            if (age > oldestAge) {
                oldestAge = age;
                oldest = slot;
            }
        }
        table[oldest] = key | stamp;
        return false;
    }

    /** A 64-bit finaliser (MurmurHash3's): neighbouring sub-contexts land in unrelated slots. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    /** The state to hand over. */
    ContextMemory memory() {
        return new ContextMemory(table, history, points, likelihood.mean(), likelihood.variance());
    }

    /** Continues from a memory handed over; one of another table size is ignored (the memory starts afresh). */
    void restore(ContextMemory memory) {
        int[] entries = memory.entries();
        if (entries.length != TABLE) {
            return;
        }
        System.arraycopy(entries, 0, table, 0, TABLE);
        history = memory.history() & HISTORY_MASK;
        points = memory.points();
        likelihood.restore(memory.mean(), memory.variance());
    }
}
