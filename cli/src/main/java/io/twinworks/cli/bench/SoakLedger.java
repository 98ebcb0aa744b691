package io.twinworks.cli.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which readings of a soak's devices reached a subscriber as twin change events, by (device index,
 * sequence number), sequence numbers counting from 1 per device as the virtual fleet numbers them
 * ({@code vibration.seq}). Tolerates what a subscriber may see (duplicates) and counts what must not
 * happen (a device's events out of order). Thread-safe.
 */
public final class SoakLedger {

    private final BitSet[] applied;
    private final long[] highestSeq;
    private long distinct;
    private long duplicates;
    private long outOfOrder;
    private long foreign;

    /** A ledger for {@code devices} devices (indexes {@code 0..devices-1}). */
    public SoakLedger(int devices) {
        if (devices < 1) {
            throw new IllegalArgumentException("a soak needs at least one device: " + devices);
        }
        this.applied = new BitSet[devices];
        this.highestSeq = new long[devices];
        for (int device = 0; device < devices; device++) {
            applied[device] = new BitSet();
        }
    }

    /** Records that reading {@code seq} of device {@code device} was applied (outside the fleet: counted as foreign). */
    public synchronized void applied(int device, long seq) {
        if (device < 0 || device >= applied.length || seq < 1 || seq > Integer.MAX_VALUE) {
            foreign++;
            return;
        }
        BitSet seen = applied[device];
        if (seen.get((int) seq)) {
            duplicates++;
            return;
        }
        seen.set((int) seq);
        distinct++;
        if (seq < highestSeq[device]) {
            outOfOrder++;
        } else {
            highestSeq[device] = seq;
        }
    }

    /** Counts an event that names no device of the fleet or carries no usable sequence number. */
    public synchronized void foreign() {
        foreign++;
    }

    /** Devices the ledger tracks. */
    public int devices() {
        return applied.length;
    }

    /** What was seen so far. */
    public synchronized Counts counts() {
        return new Counts(distinct, duplicates, outOfOrder, foreign);
    }

    /**
     * The readings among {@code 1..expected[device]} of every device that were never applied.
     *
     * @param expectedPerDevice the highest sequence number each device should have had applied
     * @param sampleSize        how many of them to name
     */
    public synchronized Missing missing(long[] expectedPerDevice, int sampleSize) {
        if (expectedPerDevice.length != applied.length) {
            throw new IllegalArgumentException("expected counts for " + expectedPerDevice.length + " devices, ledger has " + applied.length);
        }
        long count = 0;
        List<String> sample = new ArrayList<>();
        for (int device = 0; device < applied.length; device++) {
            long expected = Math.min(expectedPerDevice[device], Integer.MAX_VALUE - 1L);
            if (expected < 1) {
                continue;
            }
            BitSet seen = applied[device];
            long present = seen.get(1, (int) expected + 1).cardinality();
            count += expected - present;
            for (int seq = seen.nextClearBit(1); seq <= expected && sample.size() < sampleSize; seq = seen.nextClearBit(seq + 1)) {
                sample.add(device + "#" + seq);
            }
        }
        return new Missing(count, List.copyOf(sample));
    }

    /**
     * How many readings each device has published after {@code published} publishes of a fleet that
     * goes round-robin over its devices from the first (as {@code VirtualFleet} does while no publish
     * fails): the first {@code published % devices} devices have one more.
     */
    public static long[] roundRobin(long published, int devices) {
        long[] counts = new long[devices];
        long each = published / devices;
        long extra = published % devices;
        for (int device = 0; device < devices; device++) {
            counts[device] = each + (device < extra ? 1 : 0);
        }
        return counts;
    }

    /**
     * What a ledger saw.
     *
     * @param distinct   readings applied at least once
     * @param duplicates events of an already applied reading
     * @param outOfOrder readings applied after a later reading of the same device
     * @param foreign    events that are not readings of the fleet
     */
    public record Counts(long distinct, long duplicates, long outOfOrder, long foreign) {
    }

    /**
     * Readings never applied.
     *
     * @param count  how many
     * @param sample the first few as {@code device-index#seq}
     */
    public record Missing(long count, List<String> sample) {
        public Missing {
            sample = List.copyOf(sample);
        }
    }
}
