package io.twinworks.analytics.model;

import java.util.Arrays;

/**
 * The novelty detector's context memory of one signal (see {@code detect.ContextMatcher}), handed over
 * with the twin so that a replica taking the asset over recognises the contexts already seen.
 *
 * @param entries  the context table (fingerprint and last-seen stamp per slot, 0 = empty); copied in and out
 * @param history  the last quantised levels, 4 bits each, newest lowest
 * @param points   points seen so far
 * @param mean     long-run mean of the share of unseen sub-contexts
 * @param variance its long-run variance
 */
public record ContextMemory(int[] entries, long history, long points, double mean, double variance) {

    public ContextMemory {
        if (entries == null || entries.length == 0 || Integer.bitCount(entries.length) != 1) {
            throw new IllegalArgumentException("context table must have a power-of-two size: "
                    + (entries == null ? "none" : entries.length));
        }
        if (points < 0 || !Double.isFinite(mean) || !(variance >= 0 && Double.isFinite(variance))) {
            throw new IllegalArgumentException("invalid context statistics: points " + points + ", mean " + mean + ", variance " + variance);
        }
        entries = entries.clone();
    }

    /** A copy of the table (the record stays immutable). */
    @Override
    public int[] entries() {
        return entries.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContextMemory that && Arrays.equals(entries, that.entries) && history == that.history
                && points == that.points && Double.compare(mean, that.mean) == 0 && Double.compare(variance, that.variance) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(entries) + Long.hashCode(history) + Long.hashCode(points);
    }

    @Override
    public String toString() {
        return "ContextMemory[" + entries.length + " slots, points " + points + ", mean " + mean + ", variance " + variance + "]";
    }
}
