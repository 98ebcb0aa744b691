package io.twinworks.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of {@code twinworks bench ingest}: the Twinworks row, the baseline row measured in the
 * same run, and their ratio.
 */
public record IngestBenchReport(IngestBenchOptions options, IngestRunResult twinworks, IngestRunResult baseline) {

    public IngestBenchReport {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(twinworks, "twinworks");
        Objects.requireNonNull(baseline, "baseline");
    }

    /** Twinworks' end-to-end rate divided by the baseline broker's pub→sub rate. */
    public double ratio() {
        double baselineRate = baseline.endToEndRate();
        return baselineRate > 0 ? twinworks.endToEndRate() / baselineRate : 0.0;
    }

    /**
     * Baseline CPU per message divided by Twinworks' CPU per message in the throughput phase: roughly what the
     * rate ratio would be if both had the CPU to themselves (idle threads and contention make it approximate).
     */
    public double cpuRatio() {
        double twinworksCost = twinworks.throughput().cpuMillisPerThousand();
        return twinworksCost > 0 ? baseline.throughput().cpuMillisPerThousand() / twinworksCost : 0.0;
    }

    /** Whether both rows are clean (no loss, no failed publish, right final state). */
    public boolean clean() {
        return twinworks.clean() && baseline.clean();
    }

    /** The printed report. */
    public String format() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "twinworks bench ingest: %d messages, %d devices, %d publishers, %d-byte payloads,"
                        + " MQTT 5 QoS 1, loopback, %d cores", options.messages(), options.devices(), options.publishers(),
                options.payloadBytes(), Runtime.getRuntime().availableProcessors()));
        if (twinworks.warmupPhase().isPresent() && baseline.warmupPhase().isPresent()) {
            lines.add(String.format(Locale.ROOT, "warm-up first, in no figure below: %d messages per row as fast as acknowledged"
                            + " (twinworks %.1f msg/s, mosquitto %.1f msg/s; checked for loss)", options.warmupMessages(),
                    twinworks.warmupPhase().get().endToEndRate(), baseline.warmupPhase().get().endToEndRate()));
        } else {
            lines.add("no warm-up (--warmup-messages 0): the figures include the JVM compiling the hot path");
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-34s %10s %12s %9s %9s %9s %6s %5s %6s %7s",
                "row", "msg/s", "PUBACK msg/s", "p50 ms", "p99 ms", "max ms", "lost", "dup", "reord", "failed"));
        lines.add(row(twinworks));
        lines.add(row(baseline));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "ratio = twinworks rate / mosquitto rate = %.3f", ratio()));
        lines.add(String.format(Locale.ROOT, "CPU per 1,000 messages (idle threads over the run count too): twinworks %.0f ms (this JVM:"
                        + " stack + clients; of which JIT compilation %.0f ms), mosquitto %.0f ms (broker + the same clients);"
                        + " cost ratio mosquitto/twinworks = %.3f",
                twinworks.throughput().cpuMillisPerThousand(), twinworks.throughput().jitMillisPerThousand(),
                baseline.throughput().cpuMillisPerThousand(), cpuRatio()));
        lines.add(String.format(Locale.ROOT, "twin apply stage (the twin service's command thread): %.0f us CPU per message",
                twinworks.throughput().applyCpuMicrosPerMessage()));
        lines.add(String.format(Locale.ROOT, "PUBACK latency (publish -> PUBACK) p50/p99/max ms: twinworks %s/%s/%s, mosquitto %s/%s/%s",
                LatencySummary.millis(twinworks.publishing().ackLatency().p50Nanos()),
                LatencySummary.millis(twinworks.publishing().ackLatency().p99Nanos()),
                LatencySummary.millis(twinworks.publishing().ackLatency().maxNanos()),
                LatencySummary.millis(baseline.publishing().ackLatency().p50Nanos()),
                LatencySummary.millis(baseline.publishing().ackLatency().p99Nanos()),
                LatencySummary.millis(baseline.publishing().ackLatency().maxNanos())));
        if (twinworks.pacedPhase().isPresent() && baseline.pacedPhase().isPresent()) {
            lines.add("");
            lines.add(String.format(Locale.ROOT, "paced phase: %d messages at %d msg/s (all publishers together)",
                    options.pacedMessages(), options.pacedRate()));
            lines.add(String.format(Locale.ROOT, "%-34s %10s %12s %9s %9s %9s %6s %5s %6s %7s",
                    "row", "msg/s", "PUBACK msg/s", "p50 ms", "p99 ms", "max ms", "lost", "dup", "reord", "failed"));
            lines.add(row(twinworks.name(), twinworks.pacedPhase().get()));
            lines.add(row(baseline.name(), baseline.pacedPhase().get()));
        }
        if (twinworks.throughput().memory() != null) {
            lines.add("");
            lines.add(String.format(Locale.ROOT, "memory of the benchmark JVM (local stack + publishers + subscriber),"
                    + " sampled every second, heap without forced GC; sustained phase (%,d messages as fast as acknowledged,"
                    + " %.1f msg/s end to end): %s", twinworks.deliveries().expected(), twinworks.endToEndRate(),
                    twinworks.throughput().memory().format()));
            twinworks.pacedPhase().map(IngestRunResult.Phase::memory).ifPresent(paced -> lines.add(String.format(Locale.ROOT,
                    "  paced phase (%d msg/s): %s", options.pacedRate(), paced.format())));
        }
        if (twinworks.stateChecked()) {
            lines.add(twinworks.stateProblems().isEmpty()
                    ? "final twin state: every device's twin holds its last seq (read over Ditto HTTP)"
                    : "final twin state WRONG for " + twinworks.stateProblems().size() + " device(s): "
                    + String.join("; ", twinworks.stateProblems().subList(0, Math.min(5, twinworks.stateProblems().size()))));
        }
        for (IngestRunResult result : List.of(twinworks, baseline)) {
            result.warmupPhase().filter(warmup -> !warmup.clean()).ifPresent(warmup -> lines.add("NOT CLEAN warm-up of "
                    + result.name() + ": " + warmup.deliveries().lost() + " lost, first: "
                    + String.join(", ", warmup.deliveries().firstMissing()) + "; " + warmup.publishing().failed()
                    + " failed publishes"));
            result.pacedPhase().filter(paced -> !paced.clean()).ifPresent(paced -> lines.add("NOT CLEAN paced phase of "
                    + result.name() + ": " + paced.deliveries().lost() + " lost, first: "
                    + String.join(", ", paced.deliveries().firstMissing()) + "; " + paced.publishing().failed()
                    + " failed publishes"));
            if (result.deliveries().lost() > 0) {
                lines.add("LOSS in " + result.name() + ": " + result.deliveries().lost() + " message(s) never received, first: "
                        + String.join(", ", result.deliveries().firstMissing()) + " (device index#seq)");
            }
            if (result.publishing().failed() > 0) {
                lines.add("FAILED publishes in " + result.name() + ": " + result.publishing().failed() + ", first: "
                        + result.publishing().firstFailure());
            }
            if (result.deliveries().unexpected() > 0) {
                lines.add("unexpected receptions in " + result.name() + ": " + result.deliveries().unexpected());
            }
        }
        lines.add(clean() ? "result: no loss" : "result: NOT CLEAN (see above)");
        return String.join(System.lineSeparator(), lines);
    }

    private static String row(IngestRunResult result) {
        return row(result.name(), result.throughput());
    }

    private static String row(String name, IngestRunResult.Phase phase) {
        DeliveryRecorder.Deliveries deliveries = phase.deliveries();
        MqttLoad.Publishing publishing = phase.publishing();
        return String.format(Locale.ROOT, "%-34s %10.1f %12.1f %9s %9s %9s %6d %5d %6d %7d", name,
                phase.endToEndRate(),
                publishing.ackRate(),
                LatencySummary.millis(deliveries.latency().p50Nanos()), LatencySummary.millis(deliveries.latency().p99Nanos()),
                LatencySummary.millis(deliveries.latency().maxNanos()), deliveries.lost(), deliveries.duplicates(),
                deliveries.outOfOrder(), publishing.failed());
    }
}
