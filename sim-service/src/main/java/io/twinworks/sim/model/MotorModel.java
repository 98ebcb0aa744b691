package io.twinworks.sim.model;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A three-phase induction motor (default 30 kW, 400 V, 4-pole, 92 % efficient at rated load),
 * deterministic for a seed.
 * <ul>
 *   <li>Current: magnetising (no-load) current and load current add in quadrature, so the current
 *   is the rated current at rated load.</li>
 *   <li>Losses: copper losses {@code 3·R(T)·I²} with a winding resistance that rises with temperature
 *   (copper, 0.393 %/K), constant iron and friction losses, plus extra friction from a bearing defect.
 *   Input power = output power + losses (energy balance by construction).</li>
 *   <li>Winding temperature: first-order thermal model ({@code τ·dT/dt = Rth·P_loss − (T − T_amb)}),
 *   integrated in sub-steps of a tenth of the time constant at most.</li>
 * </ul>
 */
public final class MotorModel {

    /** The measured signals, in the order sensor faults refer to them. */
    public static final List<String> SIGNALS = List.of("current", "temperature", "speed");

    private static final double RATED_KW = 30.0;
    private static final double RATED_VOLTAGE = 400.0;
    private static final double RATED_EFFICIENCY = 0.92;
    private static final double RATED_POWER_FACTOR = 0.86;
    private static final double NO_LOAD_CURRENT_SHARE = 0.35;
    private static final double SYNCHRONOUS_RPM = 1500.0;
    private static final double RATED_SLIP = 0.02;
    private static final double AMBIENT_C = 25.0;
    private static final double RATED_TEMPERATURE_RISE_K = 80.0;
    private static final double THERMAL_TIME_CONSTANT_H = 0.5;
    private static final double COPPER_ALPHA = 0.00393;
    private static final double REFERENCE_C = 95.0;

    private final List<Fault> faults;
    private final SensorFaults sensorFaults;
    private final SplittableRandom random;
    private final double noiseScale;
    private final double ratedCurrent;
    private final double activeRatedCurrent;
    private final double noLoadCurrent;
    private final double resistanceAtReference;
    private final double fixedLossKw;
    private final double thermalResistanceKPerKw;
    private final double[] measured = new double[SIGNALS.size()];
    private double hours;
    private double temperature;
    private double load;

    /**
     * @param load       mechanical load as a fraction of rated power, {@code [0, 1.5]}
     * @param faults     faults to inject (bearing defect, sensor faults on {@link #SIGNALS})
     * @param seed       seed of the measurement noise
     * @param noiseScale measurement noise multiplier (0 = exact)
     */
    public MotorModel(double load, List<Fault> faults, long seed, double noiseScale) {
        this(load, faults, seed, noiseScale, AMBIENT_C);
    }

    /**
     * A motor whose winding starts at {@code initialTemperatureC} (e.g. its twin's last reading).
     *
     * @param initialTemperatureC winding temperature at model time 0, {@code [-50, 250]}
     */
    public MotorModel(double load, List<Fault> faults, long seed, double noiseScale, double initialTemperatureC) {
        if (!(initialTemperatureC >= -50 && initialTemperatureC <= 250)) {
            throw new IllegalArgumentException("initial winding temperature must be within [-50, 250] °C: " + initialTemperatureC);
        }
        this.temperature = initialTemperatureC;
        for (Fault fault : faults) {
            if (fault.type() == FaultType.SEAL_LEAK) {
                throw new IllegalArgumentException("a motor has no seal to leak");
            }
        }
        this.faults = List.copyOf(faults);
        this.sensorFaults = new SensorFaults(SIGNALS, this.faults);
        this.random = new SplittableRandom(seed);
        this.noiseScale = noiseScale;
        this.ratedCurrent = RATED_KW * 1000 / (Math.sqrt(3) * RATED_VOLTAGE * RATED_EFFICIENCY * RATED_POWER_FACTOR);
        this.noLoadCurrent = NO_LOAD_CURRENT_SHARE * ratedCurrent;
        this.activeRatedCurrent = Math.sqrt(ratedCurrent * ratedCurrent - noLoadCurrent * noLoadCurrent);
        double ratedLossKw = RATED_KW * (1 / RATED_EFFICIENCY - 1);
        // Half the rated losses are copper losses at the rated winding temperature.
        this.resistanceAtReference = ratedLossKw * 1000 / 2 / (3 * ratedCurrent * ratedCurrent);
        this.fixedLossKw = ratedLossKw / 2;
        this.thermalResistanceKPerKw = RATED_TEMPERATURE_RISE_K / ratedLossKw;
        setLoad(load);
    }

    /** Changes the mechanical load from now on. */
    public void setLoad(double load) {
        if (!(load >= 0 && load <= 1.5)) {
            throw new IllegalArgumentException("motor load must be within [0, 1.5]: " + load);
        }
        this.load = load;
    }

    /** Rated current (A), for tests and displays. */
    public double ratedCurrent() {
        return ratedCurrent;
    }

    /** Advances the model by {@code dtHours}. */
    public MotorReading step(double dtHours) {
        if (!(dtHours > 0) || !Double.isFinite(dtHours)) {
            throw new IllegalArgumentException("step must be a finite number of hours > 0: " + dtHours);
        }
        int substeps = (int) Math.ceil(dtHours / (THERMAL_TIME_CONSTANT_H / 10));
        double h = dtHours / substeps;
        Losses losses = null;
        for (int i = 0; i < substeps; i++) {
            losses = losses(hours);
            temperature += h / THERMAL_TIME_CONSTANT_H
                    * (thermalResistanceKPerKw * losses.total() - (temperature - AMBIENT_C));
            hours += h;
        }
        losses = losses(hours);
        double outputKw = load * RATED_KW;
        double speed = SYNCHRONOUS_RPM * (1 - RATED_SLIP * load);
        measured[0] = losses.current() + noiseScale * 0.2 * random.nextGaussian();
        measured[1] = temperature + noiseScale * 0.3 * random.nextGaussian();
        measured[2] = speed + noiseScale * 0.5 * random.nextGaussian();
        sensorFaults.apply(hours, measured);
        return new MotorReading(hours, measured[0], measured[1], measured[2], outputKw, outputKw + losses.total(),
                losses.copperKw(), losses.fixedKw(), temperature);
    }

    private Losses losses(double at) {
        double current = Math.hypot(noLoadCurrent, load * activeRatedCurrent);
        double resistance = resistanceAtReference * (1 + COPPER_ALPHA * (temperature - REFERENCE_C));
        double copperKw = 3 * resistance * current * current / 1000;
        double defect = 0;
        for (Fault fault : faults) {
            if (fault.type() == FaultType.BEARING_DEFECT && fault.activeAt(at)) {
                defect = Math.max(defect, fault.severity());
            }
        }
        double fixedKw = fixedLossKw * (1 + defect);
        return new Losses(current, copperKw, fixedKw);
    }

    private record Losses(double current, double copperKw, double fixedKw) {
        double total() {
            return copperKw + fixedKw;
        }
    }

    /**
     * One step of the motor model.
     *
     * @param hours         model time
     * @param currentA      measured phase current
     * @param temperatureC  measured winding temperature
     * @param speedRpm      measured shaft speed
     * @param outputKw      mechanical output
     * @param inputKw       electrical input (= output + copper + fixed losses)
     * @param copperLossKw  copper losses
     * @param fixedLossKw   iron, friction and windage losses
     * @param trueTemperatureC the winding temperature the sensor measures
     */
    public record MotorReading(double hours, double currentA, double temperatureC, double speedRpm, double outputKw,
                               double inputKw, double copperLossKw, double fixedLossKw, double trueTemperatureC) {
        /** Efficiency = output / input. */
        public double efficiency() {
            return inputKw == 0 ? 0 : outputKw / inputKw;
        }
    }
}
