package io.twinworks.sim.model;

import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * A fault injected into an asset model.
 *
 * @param type     what breaks
 * @param atHours  operating hours (model time) at which it appears, {@code >= 0}
 * @param severity how badly: 0..1 for bearing defects and seal leaks, units per hour for drift, ignored when stuck
 * @param signal   the falsified signal for sensor faults (one of the model's signal names), {@code null} otherwise
 */
public record Fault(FaultType type, double atHours, double severity, @Nullable String signal) {

    public Fault {
        Objects.requireNonNull(type, "type");
        if (!Double.isFinite(atHours) || atHours < 0) {
            throw new IllegalArgumentException("fault time must be a finite number of hours >= 0: " + atHours);
        }
        if (!Double.isFinite(severity)) {
            throw new IllegalArgumentException("fault severity must be finite: " + severity);
        }
        if (type.isSensorFault() && (signal == null || signal.isBlank())) {
            throw new IllegalArgumentException(type.wireName() + " needs the signal it falsifies");
        }
        if (!type.isSensorFault() && signal != null) {
            throw new IllegalArgumentException(type.wireName() + " is a process fault and takes no signal");
        }
        if (!type.isSensorFault() && (severity < 0 || severity > 1)) {
            throw new IllegalArgumentException(type.wireName() + " severity must be within [0, 1]: " + severity);
        }
    }

    /** A process fault (bearing defect, seal leak). */
    public static Fault process(FaultType type, double atHours, double severity) {
        return new Fault(type, atHours, severity, null);
    }

    /** A sensor fault on one signal. */
    public static Fault sensor(FaultType type, String signal, double atHours, double severity) {
        return new Fault(type, atHours, severity, signal);
    }

    /** Whether the fault is present at the given model time. */
    public boolean activeAt(double hours) {
        return hours >= atHours;
    }
}
