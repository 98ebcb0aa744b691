package io.twinworks.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The result of {@code twinworks bench alarm}: every trial, the background traffic the stack carried
 * meanwhile and the memory of the benchmark JVM.
 *
 * @param analyticsWarmup              readings the analytics service learns an asset's normal operation from
 * @param analyticsWriteIntervalMillis its write interval (a changed health state is written at once)
 * @param trials       the trials, in the order they ran
 * @param background   what the virtual fleet published
 * @param memory       heap after GC and RSS of this JVM during the trials
 * @param stoppedEarly why the trials stopped before the number asked for, or {@code null}
 */
public record AlarmBenchReport(AlarmBenchOptions options, int analyticsWarmup, long analyticsWriteIntervalMillis, List<AlarmTrial> trials,
                               Background background, MemorySampler.Figures memory, String stoppedEarly) {

    /**
     * The background traffic.
     *
     * @param publishedDuringTrials readings the fleet published while the trials ran
     * @param appliedDuringTrials   Hono records (background and alarm device) the twin service applied meanwhile: when
     *                              well below the published ones, the stack fell behind and its latency is queueing
     * @param trialSeconds          how long the trials ran
     * @param published             readings published over the whole run
     * @param acknowledged          of those, acknowledged by the endpoint (PUBACK)
     * @param failed                of those, refused or never acknowledged
     */
    public record Background(long publishedDuringTrials, long appliedDuringTrials, double trialSeconds, long published,
                             long acknowledged, long failed) {

        /** Readings per second while the trials ran. */
        public double rate() {
            return trialSeconds > 0 ? publishedDuringTrials / trialSeconds : 0.0;
        }
    }

    public AlarmBenchReport {
        Objects.requireNonNull(options, "options");
        trials = List.copyOf(trials);
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(memory, "memory");
    }

    /** Publish → health state change seen, over the trials that changed it. */
    public LatencySummary latency() {
        return LatencySummary.of(trials.stream().filter(trial -> trial.outcome() == AlarmTrial.Outcome.CHANGED)
                .mapToLong(AlarmTrial::latencyNanos).toArray());
    }

    /** Publish → the out-of-range reading's own twin change seen, over the trials in which it was seen. */
    public LatencySummary readingApplied() {
        return LatencySummary.of(trials.stream().filter(trial -> trial.readingAppliedNanos() >= 0)
                .mapToLong(AlarmTrial::readingAppliedNanos).toArray());
    }

    /** Trials with the given outcome. */
    public long count(AlarmTrial.Outcome outcome) {
        return trials.stream().filter(trial -> trial.outcome() == outcome).count();
    }

    /**
     * Whether the run measured what it was asked to: every trial ran and changed the health state, and no
     * background reading failed.
     */
    public boolean clean() {
        return stoppedEarly == null && trials.size() == options.trials() && count(AlarmTrial.Outcome.CHANGED) == trials.size()
                && background.failed() == 0;
    }

    /** The printed report. */
    public String format() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "twinworks bench alarm: %d trials; background %d pumps x %s msg/s (virtual fleet,"
                        + " 4 signals per reading); analytics service as in production (warm-up %d readings, write interval %d ms);"
                        + " WoT validation on; %d cores", options.trials(), options.devices(), trim(options.ratePerDevice()),
                analyticsWarmup, analyticsWriteIntervalMillis, Runtime.getRuntime().availableProcessors()));
        lines.add(String.format(Locale.ROOT, "each trial: health state ok -> the alarm device publishes ONE vibration reading of"
                        + " %.3f mm/s (normal: %.1f +- %.2f mm/s, one every %d ms between trials) and nothing else until the"
                        + " change is seen (timeout %s s); reset: normal readings until ok is seen again, then %d more",
                options.outOfRangeRms(), AlarmTrials.NORMAL_RMS, AlarmTrials.NORMAL_SPREAD, AlarmBench.READING_INTERVAL.toMillis(),
                trim(options.trialTimeout().toMillis() / 1000.0), AlarmBench.SETTLE_READINGS));
        lines.add("");
        LatencySummary latency = latency();
        lines.add(String.format(Locale.ROOT, "alarm latency (publish -> healthState change seen by a /ws/2 subscriber):"
                        + " p50 %s ms, p99 %s ms, max %s ms over %d changes", LatencySummary.millis(latency.p50Nanos()),
                LatencySummary.millis(latency.p99Nanos()), LatencySummary.millis(latency.maxNanos()), latency.count()));
        LatencySummary applied = readingApplied();
        lines.add(String.format(Locale.ROOT, "  of which publish -> the reading's own twin change seen (ingest):"
                        + " p50 %s ms, p99 %s ms, max %s ms (seen in %d of %d trials); the rest is analytics and its"
                        + " predictions write", LatencySummary.millis(applied.p50Nanos()), LatencySummary.millis(applied.p99Nanos()),
                LatencySummary.millis(applied.maxNanos()), applied.count(), trials.size()));
        Map<String, Integer> states = new TreeMap<>();
        trials.stream().filter(trial -> trial.outcome() == AlarmTrial.Outcome.CHANGED)
                .forEach(trial -> states.merge(trial.state(), 1, Integer::sum));
        lines.add(String.format(Locale.ROOT, "trials: %d of %d ran; changed to %s; timed out (no change within %s s): %d;"
                        + " changed before the reading was used: %d", trials.size(), options.trials(),
                states.isEmpty() ? "-" : states.toString(), trim(options.trialTimeout().toMillis() / 1000.0),
                count(AlarmTrial.Outcome.TIMED_OUT), count(AlarmTrial.Outcome.CHANGED_BEFORE_READING)));
        lines.add(String.format(Locale.ROOT, "background: %,.1f msg/s published during the trials (%.1f s), the twin service"
                        + " applied %,.1f records/s meanwhile; published %,d, acknowledged %,d, failed %,d over the run",
                background.rate(), background.trialSeconds(),
                background.trialSeconds() > 0 ? background.appliedDuringTrials() / background.trialSeconds() : 0.0,
                background.published(), background.acknowledged(), background.failed()));
        lines.add("memory of the benchmark JVM (stack + analytics + fleet + subscriber) during the trials: " + memory.format());
        if (stoppedEarly != null) {
            lines.add("STOPPED EARLY: " + stoppedEarly);
        }
        lines.add(clean() ? "result: every trial changed the health state"
                : "result: NOT CLEAN (timed-out or void trials, failed background readings, or stopped early; see above)");
        return String.join(System.lineSeparator(), lines);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
