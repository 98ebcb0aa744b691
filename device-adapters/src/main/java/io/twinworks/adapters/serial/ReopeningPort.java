package io.twinworks.adapters.serial;

import io.twinworks.core.retry.Backoff;
import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The thread of one serial port, whatever speaks on it (a line protocol, Modbus RTU): opens the port,
 * retrying with back-off while it cannot be opened (unplugged, busy, not there yet); uses it until it fails
 * or the adapter stops; closes it and opens it again. One loop for every port adapter.
 *
 * @param <P> the open port (a jSerialComm port, a Modbus master)
 */
public final class ReopeningPort<P> implements AutoCloseable {

    /** What a port adapter does with its port. */
    public interface Session<P> {

        /** Opens the port; empty when it cannot be opened now (counted and logged here; retried after a delay). */
        Optional<P> open();

        /**
         * Uses the open port until {@code loop} {@linkplain ReopeningPort#running() stops running}; throws when
         * the port fails (then it is closed and opened again).
         */
        void use(P port, ReopeningPort<P> loop);

        /** Closes the port after use, or after a failure. */
        void close(P port);
    }

    private final Session<P> session;
    private final Backoff reopenBackoff;
    private final Consumer<RuntimeException> onLost;
    private final Thread thread;
    private final long joinMillis;
    private volatile boolean running = true;
    private volatile @Nullable P open;

    /**
     * @param threadName    the port thread's name
     * @param session       opens, uses and closes the port
     * @param reopenBackoff delays between attempts to open the port (reset once it opened)
     * @param onLost        hears of a port that failed while in use (not of one failing because of a stop)
     * @param joinMillis    how long {@link #close()} waits for the thread
     */
    public ReopeningPort(String threadName, Session<P> session, Backoff reopenBackoff,
                         Consumer<RuntimeException> onLost, long joinMillis) {
        this.session = Objects.requireNonNull(session, "session");
        this.reopenBackoff = Objects.requireNonNull(reopenBackoff, "reopenBackoff");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
        this.joinMillis = joinMillis;
        this.thread = new Thread(this::run, Objects.requireNonNull(threadName, "threadName"));
        thread.setDaemon(true);
    }

    /** Starts the port thread. */
    public void start() {
        thread.start();
    }

    /** Whether the adapter still runs (false once {@link #close()} was called). */
    public boolean running() {
        return running;
    }

    /** The open port, or empty while it is closed. */
    public Optional<P> port() {
        return Optional.ofNullable(open);
    }

    /** Sleeps on the port thread; an interrupt (the stop) ends the loop. */
    public void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void run() {
        Backoff.Delays delays = reopenBackoff.delays();
        while (running) {
            Optional<P> opened = session.open();
            if (opened.isEmpty()) {
                pause(delays.next());
                continue;
            }
            P port = opened.get();
            delays.reset();
            open = port;
            try {
                session.use(port, this);
            } catch (RuntimeException e) {
                if (running) {
                    onLost.accept(e);
                }
            } finally {
                open = null;
                session.close(port);
            }
        }
    }

    /** Stops the loop, waits for the thread and closes the port if the thread could not. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(joinMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        P stillOpen = open;
        if (stillOpen != null && thread.isAlive()) {
            session.close(stillOpen);
        }
    }
}
