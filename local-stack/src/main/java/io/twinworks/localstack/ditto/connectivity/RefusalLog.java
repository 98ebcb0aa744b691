package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.core.logging.FirstThenSummaryLog;
import org.slf4j.Logger;

import java.util.function.LongSupplier;

/**
 * Rate-limited logging of refused records: the first refusal per tenant, device and reason is logged
 * with its detail; later ones with the same key are only counted and reported in a periodic summary
 * (counts by tenant and reason), see {@link FirstThenSummaryLog}.
 */
final class RefusalLog {

    private final Logger log;
    private final FirstThenSummaryLog limiter;

    RefusalLog(Logger log, long summaryIntervalNanos, LongSupplier nanoClock) {
        this.log = log;
        this.limiter = new FirstThenSummaryLog(summaryIntervalNanos, nanoClock, (seconds, counts) ->
                log.warn("refused {} more Hono record(s) in the last {} s (first of each device and reason logged"
                        + " before): {}", FirstThenSummaryLog.total(counts), seconds, counts));
    }

    /** Logs the refusal if it is the first of its tenant/device/reason, else counts it for the summary. */
    void refused(RecordOrigin origin, IngestRefusal reason, String detail) {
        String key = origin.tenant() + '\u0000' + origin.deviceId() + '\u0000' + reason.tag();
        if (limiter.first(key, "tenant=" + origin.tenant() + " reason=" + reason.tag())) {
            log.warn("refused Hono record of tenant {} device {} ({}-{}@{}): {}: {} (further refusals of this"
                            + " device for this reason are only counted in a periodic summary)", origin.tenant(),
                    origin.deviceId(), origin.topic(), origin.partition(), origin.offset(), reason.tag(), detail);
        }
    }

    /** Writes the summary of the suppressed refusals once the interval has passed (called per record and per poll). */
    void summarizeIfDue() {
        limiter.summarizeIfDue();
    }
}
