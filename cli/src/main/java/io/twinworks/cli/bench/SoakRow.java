package io.twinworks.cli.bench;

import java.util.Locale;

/**
 * One report line of a soak: the fleet's and the subscriber's counters at a point of the run, and the
 * JVM's memory.
 *
 * @param elapsedSeconds   seconds since the fleet started
 * @param published        readings handed to MQTT
 * @param acknowledged     readings the Hono endpoint acknowledged (PUBACK: accepted downstream)
 * @param failed           publishes that failed (refused, connection lost, device disconnected)
 * @param applied          distinct readings seen as twin change events
 * @param overdue          readings published before the previous report line and still not applied
 * @param reconnects       MQTT connections the endpoint accepted beyond the fleet's initial ones
 * @param heapAfterGcBytes heap in use after a full collection forced for this line (-1 unknown)
 * @param rssBytes         the process's resident set size (-1 unknown)
 * @param cpuNanos         CPU time this JVM (stack, analytics, fleet, subscriber) used since the fleet started
 * @param loadAverage      the machine's one-minute load average at this line (NaN unknown): a figure taken while
 *                         other work shares the cores says more about the machine than about the stack
 * @param twinThreadNanos  CPU time the twin service's command thread used since the fleet started (it applies every
 *                         reading, one at a time: near a whole core it is the stack's limit)
 * @param diskWriteBytes   bytes this JVM had written to storage since the fleet started ({@code /proc/self/io};
 *                         -1 unknown): the twin store's journal and the broker's log
 */
public record SoakRow(double elapsedSeconds, long published, long acknowledged, long failed, long applied, long overdue,
                      long reconnects, long heapAfterGcBytes, long rssBytes, long cpuNanos, double loadAverage,
                      long twinThreadNanos, long diskWriteBytes) {

    /** Readings published but not (yet) acknowledged: in flight between fleet and endpoint. */
    public long inFlight() {
        return published - acknowledged - failed;
    }

    /** Readings acknowledged but not (yet) applied: the backlog between Kafka and the twins. */
    public long notYetApplied() {
        return Math.max(0, acknowledged - applied);
    }

    /** The line, with the rates since {@code previous} ({@code null}: since the start). */
    public String format(SoakRow previous) {
        double since = previous == null ? elapsedSeconds : elapsedSeconds - previous.elapsedSeconds;
        long ackedBefore = previous == null ? 0 : previous.acknowledged;
        long appliedBefore = previous == null ? 0 : previous.applied;
        long cpuSince = cpuNanos - (previous == null ? 0 : previous.cpuNanos);
        long twinSince = twinThreadNanos - (previous == null ? 0 : previous.twinThreadNanos);
        long writtenBefore = previous == null ? 0 : previous.diskWriteBytes;
        return String.format(Locale.ROOT, "t=%5.0fs published %,d acknowledged %,d applied %,d | interval: %,.0f acked/s %,.0f applied/s"
                        + " | in flight %,d, not yet applied %,d, overdue %,d | failed %,d, reconnects %d | heap after GC %s MB, RSS %s MB"
                        + " | twin thread %.0f %% of a core, disk %s KB written per applied"
                        + " | JVM CPU %.2f cores, %s ms per 1,000 applied, load %s",
                elapsedSeconds, published, acknowledged, applied, (acknowledged - ackedBefore) / since, (applied - appliedBefore) / since,
                inFlight(), notYetApplied(), overdue, failed, reconnects, mb(heapAfterGcBytes), mb(rssBytes),
                twinSince / 1e7 / since,
                diskWriteBytes < 0 || writtenBefore < 0 || applied == appliedBefore ? "?"
                        : String.format(Locale.ROOT, "%.2f", (diskWriteBytes - writtenBefore) / 1024.0 / (applied - appliedBefore)),
                cpuSince / 1e9 / since, perThousand(cpuSince, applied - appliedBefore),
                Double.isNaN(loadAverage) ? "?" : String.format(Locale.ROOT, "%.1f", loadAverage));
    }

    /** CPU milliseconds per 1,000 readings applied in the interval ("-" when none were). */
    static String perThousand(long cpuNanos, long appliedInInterval) {
        return appliedInInterval <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f", cpuNanos / 1e6 * 1000 / appliedInInterval);
    }

    static String mb(long bytes) {
        return bytes < 0 ? "?" : String.valueOf(Math.round(bytes / (1024.0 * 1024.0)));
    }
}
