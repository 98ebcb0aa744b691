package io.twinworks.sim.des;

import java.util.ArrayDeque;

/**
 * A resource with {@code capacity} identical units (servers, machines, operators) and a FIFO queue
 * of waiting processes. It keeps time-weighted statistics: utilisation and mean queue length.
 */
public final class Resource implements Process.Waitable {

    private final Simulation simulation;
    private final int capacity;
    private final ArrayDeque<Process> queue = new ArrayDeque<>();
    private int inUse;
    private double lastChange;
    private double busyIntegral;
    private double queueIntegral;

    /** A resource of {@code simulation} with {@code capacity >= 1} units. */
    public Resource(Simulation simulation, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.simulation = simulation;
        this.capacity = capacity;
    }

    boolean request(Process process) {
        if (inUse < capacity) {
            account();
            inUse++;
            return true;
        }
        account();
        queue.addLast(process);
        process.waitOn(this);
        return false;
    }

    void release() {
        if (inUse == 0) {
            throw new IllegalStateException("release without a granted request");
        }
        account();
        Process next = queue.pollFirst();
        if (next == null) {
            inUse--;
        } else {
            // The unit passes straight to the next process: inUse stays.
            next.grant(null);
        }
    }

    @Override
    public void withdraw(Process process) {
        account();
        queue.remove(process);
    }

    private void account() {
        double now = simulation.now();
        double elapsed = now - lastChange;
        if (elapsed > 0) {
            busyIntegral += elapsed * inUse;
            queueIntegral += elapsed * queue.size();
            lastChange = now;
        }
    }

    /** Units in use now. */
    public int inUse() {
        return inUse;
    }

    /** Processes waiting now. */
    public int queueLength() {
        return queue.size();
    }

    /** Units. */
    public int capacity() {
        return capacity;
    }

    /** Time-averaged share of units in use since time 0. */
    public double utilisation() {
        account();
        double now = simulation.now();
        return now == 0 ? 0 : busyIntegral / (capacity * now);
    }

    /** Time-averaged number of waiting processes since time 0. */
    public double meanQueueLength() {
        account();
        double now = simulation.now();
        return now == 0 ? 0 : queueIntegral / now;
    }
}
