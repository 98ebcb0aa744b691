package io.twinworks.core.logging;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Rate-limited logging of repeated refusals: the caller logs the first refusal of each key (e.g.
 * tenant, device and reason) with its detail; later ones with the same key are only counted, by a
 * coarser summary key (e.g. tenant and reason), and written as one summary line per interval. A
 * flood of identical refusals (a fleet with a wrong password, twins that do not exist) thus costs a
 * counter increment each, not a log line each; the metrics are counted elsewhere, exactly.
 * Thread-safe. Shared by every service (local stack's MQTT endpoint and Hono connection, analytics' event
 * transports), so refusals are logged alike everywhere.
 */
public final class FirstThenSummaryLog {

    /** Distinct keys remembered; beyond that every refusal only goes into the summary. */
    public static final int MAX_REMEMBERED_KEYS = 100_000;

    private final long summaryIntervalNanos;
    private final LongSupplier nanoClock;
    private final BiConsumer<Long, Map<String, Long>> summaryWriter;
    private final Set<String> logged = new HashSet<>();
    private final Map<String, Long> suppressed = new TreeMap<>();
    private long windowStart;

    /**
     * @param summaryIntervalNanos how often suppressed refusals are summarized
     * @param nanoClock            the time source ({@code System::nanoTime})
     * @param summaryWriter        logs one summary: seconds of the window, counts by summary key
     */
    public FirstThenSummaryLog(long summaryIntervalNanos, LongSupplier nanoClock,
                               BiConsumer<Long, Map<String, Long>> summaryWriter) {
        this.summaryIntervalNanos = summaryIntervalNanos;
        this.nanoClock = nanoClock;
        this.summaryWriter = summaryWriter;
        this.windowStart = nanoClock.getAsLong();
    }

    /**
     * Records a refusal; returns whether it is the first of its key, which the caller then logs in full.
     * A later one is counted under {@code summaryKey} for the next summary.
     */
    public boolean first(String key, String summaryKey) {
        boolean first;
        synchronized (this) {
            first = logged.size() < MAX_REMEMBERED_KEYS && logged.add(key);
            if (!first) {
                suppressed.merge(summaryKey, 1L, Long::sum);
            }
        }
        summarizeIfDue();
        return first;
    }

    /** Writes the summary of the suppressed refusals once the interval has passed (call it on a timer too). */
    public void summarizeIfDue() {
        long seconds;
        Map<String, Long> counts;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (now - windowStart < summaryIntervalNanos) {
                return;
            }
            seconds = (now - windowStart) / 1_000_000_000L;
            windowStart = now;
            if (suppressed.isEmpty()) {
                return;
            }
            counts = new TreeMap<>(suppressed);
            suppressed.clear();
        }
        summaryWriter.accept(seconds, counts);
    }

    /** The total of a summary's counts. */
    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
