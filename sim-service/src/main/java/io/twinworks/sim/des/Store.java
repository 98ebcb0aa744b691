package io.twinworks.sim.des;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A FIFO store of items with a capacity (a buffer between machines, a mailbox): {@code put} waits
 * while it is full, {@code get} waits while it is empty. Waiting putters and getters are served in
 * arrival order.
 *
 * @param <T> item type
 */
public final class Store<T> implements Process.Waitable {

    private final int capacity;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<Process> getters = new ArrayDeque<>();
    private final ArrayDeque<PendingPut<T>> putters = new ArrayDeque<>();

    /** A store holding at most {@code capacity >= 0} items (0: every put waits for a getter). */
    public Store(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
    }

    /** An unbounded store. */
    public static <T> Store<T> unbounded() {
        return new Store<>(Integer.MAX_VALUE);
    }

    boolean put(Process process, T item) {
        Process getter = getters.pollFirst();
        if (getter != null) {
            getter.grant(item);
            return true;
        }
        if (items.size() < capacity) {
            items.addLast(item);
            return true;
        }
        putters.addLast(new PendingPut<>(process, item));
        process.waitOn(this);
        return false;
    }

    boolean get(Process process) {
        T item = items.pollFirst();
        if (item != null) {
            process.deliver(item);
            PendingPut<T> pending = putters.pollFirst();
            if (pending != null) {
                items.addLast(pending.item());
                pending.process().grant(null);
            }
            return true;
        }
        PendingPut<T> pending = putters.pollFirst();
        if (pending != null) {
            // Capacity 0: hand over directly.
            process.deliver(pending.item());
            pending.process().grant(null);
            return true;
        }
        getters.addLast(process);
        process.waitOn(this);
        return false;
    }

    @Override
    public void withdraw(Process process) {
        if (!getters.remove(process)) {
            for (Iterator<PendingPut<T>> iterator = putters.iterator(); iterator.hasNext(); ) {
                if (iterator.next().process() == process) {
                    iterator.remove();
                    return;
                }
            }
        }
    }

    /** Items stored now. */
    public int size() {
        return items.size();
    }

    /** Capacity. */
    public int capacity() {
        return capacity;
    }

    private record PendingPut<T>(Process process, T item) {
    }
}
