package io.twinworks.cli.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies (nearest-rank method: the p-th percentile is the smallest value
 * at least p % of the samples are less than or equal to), in nanoseconds.
 *
 * @param count     how many samples
 * @param p50Nanos  median
 * @param p99Nanos  99th percentile
 * @param maxNanos  largest sample
 */
public record LatencySummary(int count, long p50Nanos, long p99Nanos, long maxNanos) {

    /** The summary of no samples (all figures 0). */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0);

    /** Summarizes the samples (the array is not changed). */
    public static LatencySummary of(long[] samples) {
        if (samples.length == 0) {
            return EMPTY;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile of sorted samples; {@code percent} in (0, 100]. */
    static long percentile(long[] sorted, double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percentile must be within (0, 100]: " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Nanoseconds as milliseconds with one decimal, for the report. */
    public static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1_000_000.0);
    }
}
