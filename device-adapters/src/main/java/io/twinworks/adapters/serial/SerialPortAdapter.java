package io.twinworks.adapters.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.hono.ReadingPublisher;
import io.twinworks.core.retry.Backoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one serial port (jSerialComm) on its own thread and writes command lines to it. When the
 * port cannot be opened or goes away (unplugged), it is closed and reopened with exponential
 * backoff; every failure and reopen is counted ({@code adapter.serial.open{outcome}},
 * {@code adapter.serial.lost}).
 */
public final class SerialPortAdapter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SerialPortAdapter.class);
    private static final int READ_TIMEOUT_MILLIS = 200;

    private final SerialPortSettings settings;
    private final SerialLineReader reader;
    private final Backoff reopenBackoff;
    private final Thread thread;
    private final PortMeters portMeters;
    private final Counter lost;
    private volatile boolean running = true;
    /** The open port; {@code null} while closed (not yet opened, unplugged, reopening). */
    private volatile @Nullable SerialPort port;

    /**
     * @param settings        the port
     * @param publisher       receives the port's readings
     * @param reopenBackoff   delays between attempts to open the port
     * @param meters          receives the port meters
     */
    public SerialPortAdapter(SerialPortSettings settings, ReadingPublisher publisher, Backoff reopenBackoff,
                             MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.reader = new SerialLineReader(settings, publisher, meters);
        this.reopenBackoff = Objects.requireNonNull(reopenBackoff, "reopenBackoff");
        this.thread = new Thread(this::run, "serial " + settings.path());
        thread.setDaemon(true);
        portMeters = new PortMeters(settings.path(), () -> port != null, meters);
        lost = Counter.builder("adapter.serial.lost").tag("port", settings.path())
                .description("times an open port failed (unplugged, closed by the peer)").register(meters);
    }

    /** Starts reading. */
    public void start() {
        thread.start();
    }

    /** The port settings. */
    public SerialPortSettings settings() {
        return settings;
    }

    /** Whether the port is open. */
    public boolean isOpen() {
        return port != null;
    }

    private void run() {
        Backoff.Delays delays = reopenBackoff.delays();
        byte[] buffer = new byte[4096];
        while (running) {
            Optional<SerialPort> opened = open();
            if (opened.isEmpty()) {
                sleep(delays.next());
                continue;
            }
            SerialPort candidate = opened.get();
            delays.reset();
            port = candidate;
            try {
                while (running) {
                    int read = candidate.readBytes(buffer, buffer.length);
                    if (read < 0) {
                        throw new IllegalStateException("read failed (error code " + candidate.getLastErrorCode() + ")");
                    }
                    if (read == 0 && !candidate.isOpen()) {
                        throw new IllegalStateException("port closed");
                    }
                    reader.accept(buffer, read);
                }
            } catch (RuntimeException e) {
                if (running) {
                    lost.increment();
                    LOG.warn("serial port {} lost: {}; reopening", settings.path(), e.getMessage());
                }
            } finally {
                port = null;
                reader.reset();
                candidate.closePort();
            }
        }
    }

    /** The port, open; empty when it cannot be opened now (counted, retried by the caller). */
    private Optional<SerialPort> open() {
        try {
            SerialPort candidate = SerialPort.getCommPort(settings.path());
            candidate.setComPortParameters(settings.baudRate(), settings.dataBits(), stopBits(), parity());
            candidate.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MILLIS, 0);
            if (!candidate.openPort()) {
                portMeters.openFailed();
                LOG.debug("cannot open serial port {} (error code {})", settings.path(), candidate.getLastErrorCode());
                return Optional.empty();
            }
            portMeters.opened();
            LOG.info("serial port {} open ({} baud, {} data bits, parity {}, stop bits {}) for {}", settings.path(),
                    settings.baudRate(), settings.dataBits(), settings.parity(), settings.stopBits(), settings.thingId());
            return Optional.of(candidate);
        } catch (SerialPortInvalidPortException e) {
            // e.g. the path does not name a port (yet): retried like a port that is busy
            portMeters.openFailed();
            LOG.debug("cannot open serial port {}: {}", settings.path(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Writes a line to the port.
     *
     * @return whether all bytes were written
     */
    public boolean write(String line) {
        SerialPort current = port;
        if (current == null) {
            return false;
        }
        byte[] bytes = (line.endsWith("\n") ? line : line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            return current.writeBytes(bytes, bytes.length) == bytes.length;
        }
    }

    private int stopBits() {
        return switch (settings.stopBits()) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
    }

    private int parity() {
        return switch (settings.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
