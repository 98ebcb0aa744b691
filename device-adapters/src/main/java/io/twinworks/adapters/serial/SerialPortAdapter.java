package io.twinworks.adapters.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.hono.ReadingPublisher;
import io.twinworks.core.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one serial port (jSerialComm) on its own thread ({@link ReopeningPort}) and writes command lines to
 * it. When the port cannot be opened or goes away (unplugged), it is closed and reopened with exponential
 * backoff; every failure and reopen is counted ({@code adapter.serial.open{outcome}},
 * {@code adapter.serial.lost}).
 */
public final class SerialPortAdapter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SerialPortAdapter.class);
    private static final int READ_TIMEOUT_MILLIS = 200;

    private final SerialPortSettings settings;
    private final SerialLineReader reader;
    private final PortMeters portMeters;
    private final Counter lost;
    private final ReopeningPort<SerialPort> loop;

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
        lost = Counter.builder("adapter.serial.lost").tag("port", settings.path())
                .description("times an open port failed (unplugged, closed by the peer)").register(meters);
        loop = new ReopeningPort<>("serial " + settings.path(), new LineSession(), reopenBackoff, e -> {
            lost.increment();
            LOG.warn("serial port {} lost: {}; reopening", settings.path(), e.getMessage());
        }, 2_000);
        portMeters = new PortMeters(settings.path(), this::isOpen, meters);
    }

    /** Starts reading. */
    public void start() {
        loop.start();
    }

    /** The port settings. */
    public SerialPortSettings settings() {
        return settings;
    }

    /** Whether the port is open. */
    public boolean isOpen() {
        return loop.port().isPresent();
    }

    /** The line protocol on the port: read lines until the port fails or the adapter stops. */
    private final class LineSession implements ReopeningPort.Session<SerialPort> {

        private final byte[] buffer = new byte[4096];

        @Override
        public Optional<SerialPort> open() {
            return openPort();
        }

        @Override
        public void use(SerialPort port, ReopeningPort<SerialPort> running) {
            while (running.running()) {
                int read = port.readBytes(buffer, buffer.length);
                if (read < 0) {
                    throw new IllegalStateException("read failed (error code " + port.getLastErrorCode() + ")");
                }
                if (read == 0 && !port.isOpen()) {
                    throw new IllegalStateException("port closed");
                }
                reader.accept(buffer, read);
            }
        }

        @Override
        public void close(SerialPort port) {
            reader.reset();
            port.closePort();
        }
    }

    /** The port, open; empty when it cannot be opened now (counted, retried by the caller). */
    private Optional<SerialPort> openPort() {
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
        Optional<SerialPort> open = loop.port();
        if (open.isEmpty()) {
            return false;
        }
        SerialPort current = open.get();
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

    @Override
    public void close() {
        loop.close();
    }
}
