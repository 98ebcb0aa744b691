package io.twinworks.sim.model;

import java.util.List;

/**
 * Applies sensor faults (drift, stuck) to a model's measured signals. Process faults are the
 * model's own business; this class only falsifies what a sensor reports.
 */
final class SensorFaults {

    private final List<String> signals;
    private final Fault[] faults;
    private final double[] stuckValue;
    private final boolean[] stuck;

    /**
     * @param signals the model's signal names, in the order of the value arrays passed to {@link #apply}
     * @param faults  every fault of the model; sensor faults must name one of {@code signals}
     */
    SensorFaults(List<String> signals, List<Fault> faults) {
        this.signals = List.copyOf(signals);
        this.faults = faults.stream().filter(fault -> fault.type().isSensorFault()).toArray(Fault[]::new);
        for (Fault fault : this.faults) {
            if (!this.signals.contains(fault.signal())) {
                throw new IllegalArgumentException("unknown signal '" + fault.signal() + "' for " + fault.type().wireName()
                        + "; this model measures " + this.signals);
            }
        }
        this.stuckValue = new double[this.faults.length];
        this.stuck = new boolean[this.faults.length];
    }

    /** Falsifies {@code measured} in place for the faults active at {@code hours}. */
    void apply(double hours, double[] measured) {
        for (int i = 0; i < faults.length; i++) {
            Fault fault = faults[i];
            if (!fault.activeAt(hours)) {
                continue;
            }
            int signal = signals.indexOf(fault.signal());
            if (fault.type() == FaultType.SENSOR_DRIFT) {
                measured[signal] += fault.severity() * (hours - fault.atHours());
            } else {
                if (!stuck[i]) {
                    stuck[i] = true;
                    stuckValue[i] = measured[signal];
                }
                measured[signal] = stuckValue[i];
            }
        }
    }
}
