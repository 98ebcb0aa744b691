package io.twinworks.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Records which benchmark messages arrived at the receiving side and how late, tolerating what real
 * subscribers see: duplicates (at-least-once delivery), reordering (several delivery threads) and
 * messages that are not part of the run. Thread-safe: receivers may call {@link #received} from any
 * number of threads.
 *
 * <p>The messages of a run are identified by (device index, sequence number), sequence numbers per
 * device counting from 1 to the device's expected count; a message received at least once is
 * delivered, every other one is lost.
 */
public final class DeliveryRecorder {

    private final int[] expectedPerDevice;
    private final int[] firstIndexOfDevice;
    private final int expectedTotal;
    private final BitSet seen;
    private final long[] latencyNanos;
    private final long[] highestSeqSeen;
    private int delivered;
    private long duplicates;
    private long outOfOrder;
    private long unexpected;
    private long lastReceivedAtNanos;
    private volatile long lastProgressAtNanos;

    /**
     * @param expectedPerDevice how many messages each device sends (sequence numbers 1..n); index = device index
     */
    public DeliveryRecorder(int[] expectedPerDevice) {
        Objects.requireNonNull(expectedPerDevice, "expectedPerDevice");
        this.expectedPerDevice = expectedPerDevice.clone();
        this.firstIndexOfDevice = new int[expectedPerDevice.length];
        long total = 0;
        for (int device = 0; device < expectedPerDevice.length; device++) {
            if (expectedPerDevice[device] < 0) {
                throw new IllegalArgumentException("negative message count of device " + device);
            }
            firstIndexOfDevice[device] = (int) total;
            total += expectedPerDevice[device];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many messages: " + total);
        }
        this.expectedTotal = (int) total;
        this.seen = new BitSet(expectedTotal);
        this.latencyNanos = new long[expectedTotal];
        this.highestSeqSeen = new long[expectedPerDevice.length];
        this.lastProgressAtNanos = System.nanoTime();
    }

    /**
     * Records one received message.
     *
     * @param device       the sending device's index (outside the run: counted as unexpected)
     * @param seq          its sequence number (outside 1..expected: counted as unexpected)
     * @param sentAtNanos  {@link System#nanoTime()} when it was published
     * @param receivedAtNanos {@link System#nanoTime()} when it arrived
     */
    public synchronized void received(int device, long seq, long sentAtNanos, long receivedAtNanos) {
        if (device < 0 || device >= expectedPerDevice.length || seq < 1 || seq > expectedPerDevice[device]) {
            unexpected++;
            return;
        }
        int index = firstIndexOfDevice[device] + (int) (seq - 1);
        if (seen.get(index)) {
            duplicates++;
            return;
        }
        seen.set(index);
        delivered++;
        latencyNanos[index] = receivedAtNanos - sentAtNanos;
        if (seq < highestSeqSeen[device]) {
            outOfOrder++;
        } else {
            highestSeqSeen[device] = seq;
        }
        lastReceivedAtNanos = Math.max(lastReceivedAtNanos, receivedAtNanos);
        lastProgressAtNanos = receivedAtNanos;
    }

    /** Counts a received message that does not belong to the run at all (e.g. unparseable). */
    public synchronized void unexpected() {
        unexpected++;
    }

    /** How many messages the run sends. */
    public int expected() {
        return expectedTotal;
    }

    /** Distinct messages of the run received so far. */
    public synchronized int delivered() {
        return delivered;
    }

    /** Whether every message of the run arrived. */
    public synchronized boolean complete() {
        return delivered == expectedTotal;
    }

    /** {@link System#nanoTime()} of the last first-time delivery (progress), or of construction. */
    public long lastProgressAtNanos() {
        return lastProgressAtNanos;
    }

    /** What was received so far. */
    public synchronized Deliveries snapshot() {
        long[] latencies = new long[delivered];
        int next = 0;
        for (int index = seen.nextSetBit(0); index >= 0; index = seen.nextSetBit(index + 1)) {
            latencies[next++] = latencyNanos[index];
        }
        List<String> missing = new ArrayList<>();
        for (int device = 0; device < expectedPerDevice.length && missing.size() < 10; device++) {
            for (int seq = 1; seq <= expectedPerDevice[device] && missing.size() < 10; seq++) {
                if (!seen.get(firstIndexOfDevice[device] + seq - 1)) {
                    missing.add(device + "#" + seq);
                }
            }
        }
        return new Deliveries(expectedTotal, delivered, expectedTotal - delivered, duplicates, outOfOrder, unexpected,
                lastReceivedAtNanos, LatencySummary.of(latencies), List.copyOf(missing));
    }

    /**
     * What a receiver got.
     *
     * @param expected         messages of the run
     * @param delivered        distinct messages of the run received
     * @param lost             messages of the run never received
     * @param duplicates       receptions of a message already received
     * @param outOfOrder       messages received after a later message of the same device
     * @param unexpected       receptions that are not messages of the run
     * @param lastReceivedAtNanos {@link System#nanoTime()} of the last first-time reception (0 if none)
     * @param latency          publish → reception of the delivered messages
     * @param firstMissing     up to 10 lost messages as {@code device#seq}
     */
    public record Deliveries(int expected, int delivered, int lost, long duplicates, long outOfOrder, long unexpected,
                             long lastReceivedAtNanos, LatencySummary latency, List<String> firstMissing) {
        public Deliveries {
            firstMissing = List.copyOf(firstMissing);
        }
    }

    @Override
    public String toString() {
        return "DeliveryRecorder" + Arrays.toString(expectedPerDevice);
    }
}
