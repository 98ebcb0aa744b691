package io.twinworks.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end of a soak: whether every acknowledged reading was applied, in order; whether the heap stayed
 * bounded; whether the stack kept up with the fleet's rate. Loss and back-pressure are told apart: a
 * stack that cannot keep up makes the fleet publish less (in-flight window full) or lets the backlog
 * between Kafka and the twins grow, but loses nothing; loss is an acknowledged reading that never
 * became a change event.
 *
 * @param delivery       the loss accounting
 * @param outOfOrder     readings applied after a later reading of the same device
 * @param subscriberDrops times the subscriber's session closed during the run
 * @param heap           the heap judgement
 * @param throughput     the keep-up judgement
 */
public record SoakVerdict(Delivery delivery, long outOfOrder, long subscriberDrops, Heap heap, Throughput throughput) {

    /** Exit code of a clean soak. */
    public static final int PASSED = 0;
    /** Exit code of a soak with loss (or loss that cannot be ruled out), disorder or a growing heap. */
    public static final int FAILED = 1;
    /** Exit code of a soak without loss whose stack could not keep up with the target rate. */
    public static final int COULD_NOT_KEEP_UP = 3;

    /** Growth of the heap after GC tolerated at least, in bytes. */
    static final long HEAP_GROWTH_FLOOR_BYTES = 32L * 1024 * 1024;
    /** Growth of the heap after GC tolerated relative to the early level. */
    static final double HEAP_GROWTH_FRACTION = 0.25;
    /** The stack keeps up when it acknowledged at least this share of the target rate ... */
    static final double KEEP_UP_SHARE = 0.95;
    /** ... and the backlog between Kafka and the twins at the end is at most this many seconds of the target rate. */
    static final double BACKLOG_SECONDS = 10;

    /**
     * The loss accounting after the drain.
     *
     * @param lost       acknowledged readings never applied (a lower bound unless {@code exact})
     * @param exact      whether {@code lost} is exact (every publish acknowledged, none failed)
     * @param conclusive whether the run proves 0 lost or proves loss (false: readings are missing that may be
     *                   unacknowledged or failed publishes, so neither can be claimed)
     * @param missing    readings never applied among those the fleet published (as far as known)
     * @param how        how the figure was reached, for the report
     * @param sample     the first few missing readings as {@code device-index#seq}
     */
    public record Delivery(long lost, boolean exact, boolean conclusive, long missing, String how, List<String> sample) {
        public Delivery {
            sample = List.copyOf(sample);
        }

        /**
         * This accounting after a drain that ended while the stack was still applying: the missing readings
         * may be a backlog rather than loss, so the run proves neither.
         */
        public Delivery cutShort(java.time.Duration maxDrain) {
            if (missing == 0) {
                return this;
            }
            return new Delivery(0, false, false, missing, "the stack was still applying when the longest drain ("
                    + maxDrain.toSeconds() + " s) ended: the missing readings may be a backlog; " + how, sample);
        }

        /**
         * Books the fleet's final counters against the ledger. Every device's readings are numbered 1, 2, ...
         * and the fleet publishes round-robin, so while no publish failed the published readings are known
         * exactly by sequence number; a failed publish may skip a number (and a device that is not connected
         * skips its turn), after which only bounds are known.
         */
        public static Delivery of(long published, long acknowledged, long failed, SoakLedger ledger) {
            if (failed == 0) {
                SoakLedger.Missing missing = ledger.missing(SoakLedger.roundRobin(published, ledger.devices()), 20);
                long unacknowledged = published - acknowledged;
                if (unacknowledged == 0) {
                    return new Delivery(missing.count(), true, true, missing.count(),
                            "exact, by sequence number: every published reading was acknowledged", missing.sample());
                }
                long lost = Math.max(0, missing.count() - unacknowledged);
                return new Delivery(lost, false, missing.count() == 0 || lost > 0, missing.count(),
                        unacknowledged + " readings were still unacknowledged when the fleet stopped: lost = missing - unacknowledged"
                                + " (a lower bound)", missing.sample());
            }
            SoakLedger.Counts counts = ledger.counts();
            long lost = Math.max(0, acknowledged - counts.distinct());
            return new Delivery(lost, false, lost > 0, Math.max(0, published - counts.distinct()),
                    failed + " publishes failed (their readings may be missing rightly): lost = acknowledged - applied (a lower bound)",
                    List.of());
        }
    }

    /**
     * The heap judgement: the mean heap after GC of the last third of the report lines against the mean of
     * the first third, both after the first (warm-up) line; bounded when the growth is at most
     * max({@value #HEAP_GROWTH_FLOOR_BYTES} bytes, {@code HEAP_GROWTH_FRACTION} x the early mean).
     *
     * @param judged      whether there were enough lines (at least 3 after the warm-up line)
     * @param earlyBytes  the early mean
     * @param lateBytes   the late mean
     * @param boundBytes  the tolerated growth
     */
    public record Heap(boolean judged, long earlyBytes, long lateBytes, long boundBytes) {

        /** Judges the rows' heap figures. */
        public static Heap of(List<SoakRow> rows) {
            List<Long> heap = new ArrayList<>();
            for (int i = 1; i < rows.size(); i++) {
                if (rows.get(i).heapAfterGcBytes() >= 0) {
                    heap.add(rows.get(i).heapAfterGcBytes());
                }
            }
            if (heap.size() < 3) {
                return new Heap(false, -1, -1, -1);
            }
            int third = (heap.size() + 2) / 3;
            long early = mean(heap.subList(0, third));
            long late = mean(heap.subList(heap.size() - third, heap.size()));
            return new Heap(true, early, late, Math.max(HEAP_GROWTH_FLOOR_BYTES, Math.round(HEAP_GROWTH_FRACTION * early)));
        }

        private static long mean(List<Long> values) {
            return Math.round(values.stream().mapToLong(Long::longValue).average().orElse(0));
        }

        /** The growth from the early to the late mean (negative: it shrank). */
        public long growthBytes() {
            return lateBytes - earlyBytes;
        }

        /** Whether the heap grew beyond the bound. */
        public boolean grew() {
            return judged && growthBytes() > boundBytes;
        }
    }

    /**
     * The keep-up judgement.
     *
     * @param targetRate       messages/s the fleet aimed at
     * @param acknowledgedRate messages/s acknowledged over the publishing time
     * @param appliedRate      readings/s applied over the publishing time
     * @param firstBacklog     acknowledged-but-not-applied at the first report line
     * @param lastBacklog      the same at the last report line
     */
    public record Throughput(double targetRate, double acknowledgedRate, double appliedRate, long firstBacklog, long lastBacklog) {

        /** Judges the rows against the target rate. */
        public static Throughput of(double targetRate, List<SoakRow> rows) {
            if (rows.isEmpty()) {
                return new Throughput(targetRate, 0, 0, 0, 0);
            }
            SoakRow last = rows.get(rows.size() - 1);
            return new Throughput(targetRate, last.acknowledged() / last.elapsedSeconds(), last.applied() / last.elapsedSeconds(),
                    rows.get(0).notYetApplied(), last.notYetApplied());
        }

        /** Whether the stack sustained the target rate without a backlog building up. */
        public boolean keptUp() {
            return acknowledgedRate >= KEEP_UP_SHARE * targetRate && lastBacklog <= BACKLOG_SECONDS * targetRate;
        }
    }

    /** Whether the soak failed: loss (or loss not ruled out), disorder, a subscriber drop or a growing heap. */
    public boolean failed() {
        return delivery.lost() > 0 || !delivery.conclusive() || outOfOrder > 0 || subscriberDrops > 0 || heap.grew();
    }

    /** The process exit code: {@link #FAILED}, else {@link #COULD_NOT_KEEP_UP}, else {@link #PASSED}. */
    public int exitCode() {
        if (failed()) {
            return FAILED;
        }
        return throughput.keptUp() ? PASSED : COULD_NOT_KEEP_UP;
    }

    /** The verdict's lines. */
    public List<String> format() {
        List<String> lines = new ArrayList<>();
        String deliveryWord = delivery.lost() > 0 ? "LOST" : !delivery.conclusive() ? "INCONCLUSIVE" : "ok";
        lines.add(String.format(Locale.ROOT, "delivery: %s, %,d acknowledged readings lost, %,d missing (%s)%s", deliveryWord,
                delivery.lost(), delivery.missing(), delivery.how(),
                delivery.sample().isEmpty() ? "" : "; first missing: " + String.join(", ", delivery.sample())));
        lines.add(String.format(Locale.ROOT, "order: %s, %,d readings applied after a later one of the same device",
                outOfOrder == 0 ? "ok" : "OUT OF ORDER", outOfOrder));
        if (subscriberDrops > 0) {
            lines.add("subscriber: its WebSocket session closed " + subscriberDrops + " time(s) during the run (events missed)");
        }
        lines.add(heap.judged()
                ? String.format(Locale.ROOT, "heap: %s, after GC %s MB early -> %s MB late (growth %d MB, bound %s MB = max(%d MB, %.0f %% of early);"
                        + " means of the first and last third of the lines after the warm-up line)",
                heap.grew() ? "GREW" : "bounded", SoakRow.mb(heap.earlyBytes()), SoakRow.mb(heap.lateBytes()),
                Math.round(heap.growthBytes() / (1024.0 * 1024.0)), SoakRow.mb(heap.boundBytes()), HEAP_GROWTH_FLOOR_BYTES / (1024 * 1024),
                100 * HEAP_GROWTH_FRACTION)
                : "heap: not judged (fewer than 3 report lines after the warm-up line)");
        lines.add(String.format(Locale.ROOT, "throughput: %s, %,.0f acknowledged/s and %,.0f applied/s of %,.0f targeted (%.1f %%);"
                        + " backlog Kafka -> twins %,d at the first line, %,d at the last (kept up = >= %.0f %% acknowledged and backlog <= %.0f s of the rate)",
                throughput.keptUp() ? "kept up" : "COULD NOT KEEP UP (back-pressure, not loss)", throughput.acknowledgedRate(),
                throughput.appliedRate(), throughput.targetRate(), 100 * throughput.acknowledgedRate() / throughput.targetRate(),
                throughput.firstBacklog(), throughput.lastBacklog(), 100 * KEEP_UP_SHARE, BACKLOG_SECONDS));
        lines.add("verdict: " + (failed() ? "FAILED" : throughput.keptUp() ? "PASSED" : "NO LOSS, BUT THE STACK COULD NOT KEEP UP")
                + " (exit " + exitCode() + ")");
        return lines;
    }
}
