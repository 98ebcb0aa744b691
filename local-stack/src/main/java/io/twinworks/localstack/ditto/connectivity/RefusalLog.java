package io.twinworks.localstack.ditto.connectivity;

import org.slf4j.Logger;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Rate-limited logging of refused records: the first refusal per tenant, device and reason is logged
 * with its detail; later ones with the same key are only counted and reported in a periodic summary
 * (counts by tenant and reason). A flood of identical refusals (e.g. a fleet whose twins do not exist)
 * thus costs a counter increment each, not a log line each. The metrics are counted elsewhere, exactly.
 * Not thread-safe: used by the connection's single consumer thread.
 */
final class RefusalLog {

    /** Distinct keys remembered; beyond that every refusal only goes into the summary. */
    static final int MAX_REMEMBERED_KEYS = 100_000;

    private final Logger log;
    private final long summaryIntervalNanos;
    private final LongSupplier nanoClock;
    private final Set<String> logged = new HashSet<>();
    private final Map<String, Long> suppressed = new TreeMap<>();
    private long windowStart;

    RefusalLog(Logger log, long summaryIntervalNanos, LongSupplier nanoClock) {
        this.log = log;
        this.summaryIntervalNanos = summaryIntervalNanos;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** Logs the refusal if it is the first of its tenant/device/reason, else counts it for the summary. */
    void refused(RecordOrigin origin, IngestRefusal reason, String detail) {
        String key = origin.tenant() + '\u0000' + origin.deviceId() + '\u0000' + reason.tag();
        if (logged.size() < MAX_REMEMBERED_KEYS && logged.add(key)) {
            log.warn("refused Hono record of tenant {} device {} ({}-{}@{}): {}: {} (further refusals of this"
                            + " device for this reason are only counted in a periodic summary)", origin.tenant(),
                    origin.deviceId(), origin.topic(), origin.partition(), origin.offset(), reason.tag(), detail);
        } else {
            suppressed.merge("tenant=" + origin.tenant() + " reason=" + reason.tag(), 1L, Long::sum);
        }
        summarizeIfDue();
    }

    /** Writes the summary of the suppressed refusals once the interval has passed (called per record and per poll). */
    void summarizeIfDue() {
        long now = nanoClock.getAsLong();
        if (now - windowStart < summaryIntervalNanos) {
            return;
        }
        if (!suppressed.isEmpty()) {
            long total = suppressed.values().stream().mapToLong(Long::longValue).sum();
            log.warn("refused {} more Hono record(s) in the last {} s (first of each device and reason logged"
                    + " before): {}", total, (now - windowStart) / 1_000_000_000L, suppressed);
            suppressed.clear();
        }
        windowStart = now;
    }
}
