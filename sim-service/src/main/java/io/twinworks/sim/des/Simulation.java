package io.twinworks.sim.des;

import java.util.Arrays;
import java.util.Objects;

/**
 * A process-oriented discrete-event simulation in the style of SimPy, built for speed: the event
 * list is a binary heap over parallel primitive arrays (time, insertion order, process, wake
 * token), processes are continuations (a {@link Process#resume()} callback driven by the process's
 * own state field) rather than threads, and nothing is boxed on the hot path.
 *
 * <p>Events at the same time run in the order they were scheduled (FIFO), which makes a run
 * deterministic. A process that is interrupted or woken otherwise leaves a stale heap entry behind;
 * entries carry the wake token the process had when they were made and are skipped when it no
 * longer matches (lazy cancellation).
 *
 * <p>Not thread-safe: one simulation runs on one thread.
 */
public final class Simulation {

    private double now;
    private double[] times = new double[1024];
    private long[] orders = new long[1024];
    private Process[] processes = new Process[1024];
    private long[] tokens = new long[1024];
    private int size;
    private long nextOrder;
    private long events;
    private boolean stopped;

    /** Current simulation time. */
    public double now() {
        return now;
    }

    /** Events processed so far (stale entries of cancelled waits are not counted). */
    public long events() {
        return events;
    }

    /** Starts {@code process} now: its {@link Process#resume()} runs after the events already due now. */
    public void activate(Process process) {
        activate(process, 0);
    }

    /** Starts {@code process} after {@code delay}. */
    public void activate(Process process, double delay) {
        Objects.requireNonNull(process, "process");
        if (process.simulation() != this) {
            throw new IllegalArgumentException("process belongs to another simulation");
        }
        process.wakeAfter(delay);
    }

    /** Runs until no event is left. */
    public void run() {
        run(Double.POSITIVE_INFINITY);
    }

    /**
     * Runs until the next event would be later than {@code until} (the clock then stands at
     * {@code until}), until no event is left, or until {@link #stop()}.
     */
    public void run(double until) {
        if (Double.isNaN(until) || until < now) {
            throw new IllegalArgumentException("cannot run until " + until + ", the clock is at " + now);
        }
        stopped = false;
        while (size > 0 && !stopped) {
            double time = times[0];
            if (time > until) {
                break;
            }
            Process process = processes[0];
            long token = tokens[0];
            removeTop();
            if (process.wakeToken() != token) {
                continue;
            }
            now = time;
            events++;
            process.beforeResume();
            process.resume();
        }
        if (!stopped && until != Double.POSITIVE_INFINITY) {
            now = until;
        }
    }

    /** Stops {@link #run} after the current event. */
    public void stop() {
        stopped = true;
    }

    /** Events waiting in the heap (including stale ones). */
    int pending() {
        return size;
    }

    void schedule(Process process, double delay, long token) {
        if (!(delay >= 0) || delay == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("delay must be a finite number >= 0: " + delay);
        }
        if (size == times.length) {
            int capacity = size * 2;
            times = Arrays.copyOf(times, capacity);
            orders = Arrays.copyOf(orders, capacity);
            processes = Arrays.copyOf(processes, capacity);
            tokens = Arrays.copyOf(tokens, capacity);
        }
        double time = now + delay;
        long order = nextOrder++;
        int index = size++;
        // Sift up.
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (times[parent] < time || (times[parent] == time && orders[parent] < order)) {
                break;
            }
            move(parent, index);
            index = parent;
        }
        set(index, time, order, process, token);
    }

    private void removeTop() {
        int last = --size;
        double time = times[last];
        long order = orders[last];
        Process process = processes[last];
        long token = tokens[last];
        processes[last] = null;
        if (last == 0) {
            return;
        }
        int index = 0;
        int half = last >>> 1;
        // Sift down.
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < last && (times[right] < times[child] || (times[right] == times[child] && orders[right] < orders[child]))) {
                child = right;
            }
            if (time < times[child] || (time == times[child] && order < orders[child])) {
                break;
            }
            move(child, index);
            index = child;
        }
        set(index, time, order, process, token);
    }

    private void move(int from, int to) {
        times[to] = times[from];
        orders[to] = orders[from];
        processes[to] = processes[from];
        tokens[to] = tokens[from];
    }

    private void set(int index, double time, long order, Process process, long token) {
        times[index] = time;
        orders[index] = order;
        processes[index] = process;
        tokens[index] = token;
    }
}
