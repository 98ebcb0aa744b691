package io.twinworks.adapters.serial;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.BooleanSupplier;

/**
 * The meters every serial port has, whatever speaks over it (text lines or Modbus RTU): opens by outcome
 * ({@code adapter.serial.open{port,outcome}}) and whether it is open now ({@code adapter.serial.connected{port}}).
 */
public final class PortMeters {

    private final Counter opened;
    private final Counter openFailed;

    /**
     * @param path   the port, the {@code port} tag
     * @param isOpen read by the gauge
     */
    public PortMeters(String path, BooleanSupplier isOpen, MeterRegistry meters) {
        opened = Counter.builder("adapter.serial.open").tag("port", path).tag("outcome", "success").register(meters);
        openFailed = Counter.builder("adapter.serial.open").tag("port", path).tag("outcome", "failure").register(meters);
        Gauge.builder("adapter.serial.connected", () -> isOpen.getAsBoolean() ? 1 : 0).tag("port", path).register(meters);
    }

    /** The port opened. */
    public void opened() {
        opened.increment();
    }

    /** An attempt to open the port failed. */
    public void openFailed() {
        openFailed.increment();
    }
}
