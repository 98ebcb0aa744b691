package io.twinworks.sim.des;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * A simulated process, written as a continuation: the engine calls {@link #resume()} whenever the
 * process's current wait ends, and the process keeps its own program counter (typically an
 * {@code int state} field switched on in {@code resume()}). Inside {@code resume()} a process either
 * starts exactly one wait and returns, or returns without waiting to terminate.
 *
 * <p>Waits: {@link #hold(double)} (a timeout), {@link #request(Resource)} and {@link #put}/{@link #get}
 * on a {@link Store}. The latter return {@code true} when they succeed at once (the process simply
 * goes on in the same {@code resume()}), {@code false} when the process must wait (it is resumed when
 * granted). {@link #interrupt(Object)} ends any wait early; the resumed process sees
 * {@link #interrupted()}.
 */
public abstract class Process {

    private final Simulation simulation;
    private long wakeToken;
    private @Nullable Object interruptCause;
    private boolean interrupted;
    private @Nullable Waitable waitingOn;
    private @Nullable Object received;
    private boolean scheduled;
    private boolean granted;
    private boolean grantedBeforeInterrupt;

    /** Creates a process of {@code simulation}; it runs once {@link Simulation#activate}d. */
    protected Process(Simulation simulation) {
        this.simulation = Objects.requireNonNull(simulation, "simulation");
    }

    /** Continues the process after its wait ended (or starts it). */
    protected abstract void resume();

    /** The simulation this process belongs to. */
    public final Simulation simulation() {
        return simulation;
    }

    /** Current simulation time. */
    protected final double now() {
        return simulation.now();
    }

    /** Waits {@code delay} time units. */
    protected final void hold(double delay) {
        wakeAfter(delay);
    }

    /**
     * Requests one unit of {@code resource}.
     *
     * @return {@code true} when granted at once; otherwise the process is queued (FIFO) and resumed when granted
     */
    protected final boolean request(Resource resource) {
        return resource.request(this);
    }

    /** Releases one unit of {@code resource}, handing it to the next waiting process if any. */
    protected final void release(Resource resource) {
        resource.release();
    }

    /**
     * Puts {@code item} into {@code store}.
     *
     * @return {@code true} when stored at once; otherwise the process waits until there is room
     */
    protected final <T> boolean put(Store<T> store, T item) {
        return store.put(this, item);
    }

    /**
     * Takes the oldest item of {@code store}; read it with {@link #received()}.
     *
     * @return {@code true} when an item was there; otherwise the process waits for one
     */
    protected final <T> boolean get(Store<T> store) {
        return store.get(this);
    }

    /** The item the last successful {@link #get} delivered; {@code null} while none was (stores hold no nulls). */
    @SuppressWarnings("unchecked")
    protected final <T> @Nullable T received() {
        return (T) received;
    }

    /**
     * Ends the process's current wait now (a hold is cancelled, a queued request or put/get is
     * withdrawn); the process resumes after the events already due now and sees {@link #interrupted()}
     * with {@code cause}. Interrupting a process that is not waiting is refused.
     */
    public final void interrupt(Object cause) {
        if (!isWaiting()) {
            throw new IllegalStateException("only a waiting process can be interrupted");
        }
        Waitable waiting = waitingOn;
        if (waiting != null) {
            waiting.withdraw(this);
            waitingOn = null;
        }
        interrupted = true;
        interruptCause = cause;
        grantedBeforeInterrupt = granted;
        wakeAfter(0);
    }

    /**
     * Whether the wait the last interrupt ended had already been granted (a resource unit handed
     * over, an item taken from or put into a store) before the process could resume. The grant
     * stands: the process holds the unit, {@link #received()} holds the item, the put is done.
     * Without this, a process interrupted in the same instant as its grant would lose the item or
     * put it twice.
     */
    protected final boolean waitGranted() {
        return grantedBeforeInterrupt;
    }

    /** Whether this resumption is due to an interrupt; clears the flag. */
    protected final boolean interrupted() {
        boolean was = interrupted;
        interrupted = false;
        return was;
    }

    /** The cause given to the last {@link #interrupt(Object)}; {@code null} before any interrupt. */
    protected final @Nullable Object interruptCause() {
        return interruptCause;
    }

    /** Whether the process is waiting for a timeout, a resource or a store. */
    public final boolean isWaiting() {
        return waitingOn != null || scheduled;
    }

    final void wakeAfter(double delay) {
        scheduled = true;
        simulation.schedule(this, delay, ++wakeToken);
    }

    final long wakeToken() {
        return wakeToken;
    }

    final void beforeResume() {
        scheduled = false;
        granted = false;
    }

    final void waitOn(Waitable waitable) {
        waitingOn = waitable;
    }

    /** Called by a resource or store that grants the wait: resume now, with an optional item. */
    final void grant(@Nullable Object item) {
        waitingOn = null;
        received = item;
        granted = true;
        wakeAfter(0);
    }

    final void deliver(Object item) {
        received = item;
    }

    final boolean isWaitingOn(Waitable waitable) {
        return waitingOn == waitable;
    }

    /** Something a process can wait in (a resource or a store). */
    interface Waitable {
        void withdraw(Process process);
    }
}
