package io.twinworks.sim.model;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A centrifugal pump in a closed system, deterministic for a seed.
 * <ul>
 *   <li>Hydraulics: the operating point is where the pump curve {@code H = H0·s² − kp·Q²} (affinity
 *   laws) meets the system curve {@code H = Hs + ks·D²}; a leaking seal diverts
 *   {@code c·severity·√H} of the impeller flow {@code Q} before the delivered flow {@code D}
 *   ({@code Q = D + leak}).</li>
 *   <li>Power: shaft power = hydraulic power {@code ρ·g·Q·H} / efficiency (parabola around the best
 *   efficiency point, which moves with speed) + bearing friction, which grows with wear.</li>
 *   <li>Heat: friction and a tenth of the hydraulic losses heat the casing (the rest leaves with the
 *   fluid); the casing is a first-order system, integrated exactly.</li>
 *   <li>Bearing wear: grows with the cube of speed (the Lundberg–Palmgren life law), is accelerated
 *   by a bearing defect and by wear itself ({@code dw/dt = r·s³·(1+4d)·(1+2w)}, integrated exactly); it
 *   never decreases. Vibration RMS = base·s² + wear term + defect term.</li>
 *   <li>Failure: when the wear reaches {@value #FAILURE_WEAR} (the bearing is worn out) the machine
 *   protection trips the pump and it stays stopped ({@link PumpReading#running()} false): no flow,
 *   the discharge gauge shows the static head the check valve holds, no vibration, the casing cools
 *   to ambient, wear stands still, until {@link #repair()}. The exact trip time within a step is
 *   solved from the wear law. So readings stay bounded however long the model runs.</li>
 *   <li>Sensors saturate at their measuring ranges (those of the pump's Thing Model), as a
 *   transmitter's output does; only a drifting sensor gets there.</li>
 * </ul>
 */
public final class PumpModel {

    /** The measured signals, in the order sensor faults refer to them. */
    public static final List<String> SIGNALS = List.of("flow", "pressure", "temperature", "vibration");

    private static final double RHO_G = 1000.0 * 9.80665;
    private static final double CASING_SHARE_OF_HYDRAULIC_LOSS = 0.1;
    private static final double DEFECT_VIBRATION_MMS = 1.5;
    /** Bearing wear at which the pump trips (worn out). */
    public static final double FAILURE_WEAR = 1.0;
    /** Measuring ranges (min, max) of the sensors in {@link #SIGNALS} order, as the Thing Model declares them. */
    private static final double[][] MEASURING_RANGES = {{0, 5000}, {0, 100}, {-50, 250}, {0, 100}};

    private final PumpParameters parameters;
    private final List<Fault> faults;
    private final SensorFaults sensorFaults;
    private final SplittableRandom random;
    private final double[] measured = new double[SIGNALS.size()];
    private double hours;
    private double wear;
    private double temperature;
    private double loadFactor;
    private boolean tripped;
    private boolean stopped;
    private double tripHours = Double.NaN;
    private double repairedAtHours;

    /**
     * @param parameters design data
     * @param initial    state to start from
     * @param loadFactor relative speed (1 = nominal), {@code (0, 2]}
     * @param faults     faults to inject; sensor faults name one of {@link #SIGNALS}
     * @param seed       seed of the measurement noise
     */
    public PumpModel(PumpParameters parameters, PumpState initial, double loadFactor, List<Fault> faults, long seed) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.faults = List.copyOf(faults);
        this.sensorFaults = new SensorFaults(SIGNALS, this.faults);
        this.random = new SplittableRandom(seed);
        this.hours = initial.hours();
        this.wear = initial.bearingWear();
        this.temperature = initial.temperatureC();
        setLoadFactor(loadFactor);
    }

    /** Changes the relative speed from now on. */
    public void setLoadFactor(double loadFactor) {
        if (!(loadFactor > 0 && loadFactor <= 2)) {
            throw new IllegalArgumentException("loadFactor must be within (0, 2]: " + loadFactor);
        }
        this.loadFactor = loadFactor;
    }

    /** The relative speed (1 = nominal). */
    public double loadFactor() {
        return loadFactor;
    }

    /**
     * Stops the pump on an operator's command (a controlled stop, not a trip): from the next step on no flow, no
     * wear, the casing cools, until {@link #start()}.
     */
    public void stop() {
        stopped = true;
    }

    /** Starts a pump stopped by {@link #stop()} again (a tripped pump stays tripped until {@link #repair()}). */
    public void start() {
        stopped = false;
    }

    /** Whether an operator stopped the pump. */
    public boolean stopped() {
        return stopped;
    }

    /** Model time in operating hours. */
    public double hours() {
        return hours;
    }

    /** The current state (to save or to hand to another model). */
    public PumpState state() {
        return new PumpState(hours, wear, temperature);
    }

    /** Whether the pump has tripped on a worn-out bearing (and not been repaired since). */
    public boolean tripped() {
        return tripped;
    }

    /** Model time of the last trip, {@code NaN} if it never tripped. */
    public double tripHours() {
        return tripHours;
    }

    /**
     * Replaces the bearing and restarts the pump: wear 0, running again. Process faults (a bearing
     * defect, a seal leak) count their onset from the repair on, as a cause the bearing change does
     * not remove (misalignment, a bent shaft) brings the defect back.
     */
    public void repair() {
        wear = 0;
        tripped = false;
        repairedAtHours = hours;
    }

    /** Advances the model by {@code dtHours} and returns the readings at the end of the step. */
    public PumpReading step(double dtHours) {
        if (!(dtHours > 0) || !Double.isFinite(dtHours)) {
            throw new IllegalArgumentException("step must be a finite number of hours > 0: " + dtHours);
        }
        double runningHours = dtHours;
        boolean standing = tripped || stopped;
        if (!standing) {
            double defect = severity(FaultType.BEARING_DEFECT, hours);
            double s = loadFactor;
            double growth = parameters.wearPerHour() * s * s * s * (1 + 4 * defect);
            // d(1+2w)/dt = 2·growth·(1+2w): exact exponential growth over the step.
            double grown = ((1 + 2 * wear) * Math.exp(2 * growth * dtHours) - 1) / 2;
            if (grown >= FAILURE_WEAR) {
                runningHours = growth > 0 ? Math.log((1 + 2 * FAILURE_WEAR) / (1 + 2 * wear)) / (2 * growth) : 0;
                runningHours = Math.max(0, Math.min(dtHours, runningHours));
                wear = FAILURE_WEAR;
                tripped = true;
                tripHours = hours + runningHours;
            } else {
                wear = grown;
            }
        } else {
            runningHours = 0;
        }
        hours += dtHours;

        PumpReading.PumpPhysics physics = null;
        if (runningHours > 0) {
            physics = physics(severity(FaultType.BEARING_DEFECT, hours), severity(FaultType.SEAL_LEAK, hours));
            double steady = parameters.ambientC() + physics.heatToCasingKw() / parameters.heatConductanceKwPerK();
            temperature = steady + (temperature - steady) * Math.exp(-runningHours / parameters.thermalTimeConstantH());
        }
        if (tripped || stopped) {
            // stopped for the rest of the step: no heat in, the casing cools towards ambient
            temperature = parameters.ambientC() + (temperature - parameters.ambientC())
                    * Math.exp(-(dtHours - runningHours) / parameters.thermalTimeConstantH());
            physics = new PumpReading.PumpPhysics(0, 0, 0, 0, parameters.staticHeadM(), 0, 0, 0, temperature, 0, wear);
        }
        if (physics == null) {
            // a step that neither ran nor stood: cannot be, running 0 h of a step trips the pump (standing)
            throw new IllegalStateException("pump step of " + dtHours + " h neither ran nor stood");
        }
        physics = new PumpReading.PumpPhysics(physics.loadFactor(), physics.impellerFlowM3h(), physics.leakFlowM3h(),
                physics.deliveredFlowM3h(), physics.headM(), physics.hydraulicPowerKw(), physics.shaftPowerKw(),
                physics.heatToCasingKw(), temperature, physics.vibrationRmsMmS(), wear);

        double noise = parameters.noiseScale();
        measured[0] = physics.deliveredFlowM3h() + noise * 0.8 * random.nextGaussian();
        measured[1] = RHO_G * physics.headM() / 1e5 + noise * 0.03 * random.nextGaussian();
        measured[2] = temperature + noise * 0.2 * random.nextGaussian();
        measured[3] = physics.vibrationRmsMmS() + noise * 0.04 * random.nextGaussian();
        sensorFaults.apply(hours, measured);
        for (int i = 0; i < measured.length; i++) {
            measured[i] = Math.max(MEASURING_RANGES[i][0], Math.min(MEASURING_RANGES[i][1], measured[i]));
        }
        return new PumpReading(hours, !tripped && !stopped, measured[0], measured[1], measured[2], measured[3], physics);
    }

    /** The physics at the current state (temperature and wear as they are now). */
    private PumpReading.PumpPhysics physics(double defect, double leakSeverity) {
        double s = loadFactor;
        double shutoff = parameters.shutoffHeadM() * s * s;
        double kp = parameters.pumpCurveCoefficient();
        double ks = parameters.systemCurveCoefficient();
        double leakCoefficient = parameters.leakCoefficient() * leakSeverity;
        double delivered;
        double head;
        double leak;
        if (shutoff <= parameters.staticHeadM()) {
            // The pump cannot lift the static head: it churns against the check valve.
            delivered = 0;
            head = shutoff;
            leak = Math.min(leakCoefficient * Math.sqrt(head), Math.sqrt(shutoff / kp));
        } else {
            // The operating point: pump head at (D + leak(D)) equals system head at D; the mismatch
            // falls monotonically with D, so bisection finds it.
            double low = 0;
            double high = Math.sqrt((shutoff - parameters.staticHeadM()) / ks);
            for (int i = 0; i < 60; i++) {
                double mid = (low + high) / 2;
                double systemHead = parameters.staticHeadM() + ks * mid * mid;
                double impeller = mid + leakCoefficient * Math.sqrt(systemHead);
                if (shutoff - kp * impeller * impeller > systemHead) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            delivered = low;
            head = parameters.staticHeadM() + ks * delivered * delivered;
            leak = leakCoefficient * Math.sqrt(head);
        }
        double impeller = delivered + leak;
        double hydraulicKw = RHO_G * (impeller / 3600.0) * head / 1000.0;
        double bestFlow = parameters.designFlowM3h() * s;
        double offDesign = (impeller - bestFlow) / bestFlow;
        double efficiency = Math.max(0.05, parameters.bestEfficiency() * (1 - offDesign * offDesign));
        double frictionKw = parameters.bearingFrictionKw() * s * (1 + 2 * wear) * (1 + defect);
        double hydraulicLossKw = hydraulicKw / efficiency - hydraulicKw;
        double shaftKw = hydraulicKw + hydraulicLossKw + frictionKw;
        double heatKw = frictionKw + CASING_SHARE_OF_HYDRAULIC_LOSS * hydraulicLossKw;
        double vibration = parameters.baseVibrationMmS() * s * s + parameters.wearVibrationMmS() * wear
                + DEFECT_VIBRATION_MMS * defect;
        return new PumpReading.PumpPhysics(s, impeller, leak, delivered, head, hydraulicKw, shaftKw, heatKw,
                temperature, vibration, wear);
    }

    /** Severity of a process fault at model time {@code at}; onsets count from the last repair. */
    private double severity(FaultType type, double at) {
        double severity = 0;
        for (Fault fault : faults) {
            if (fault.type() == type && fault.activeAt(at - repairedAtHours)) {
                severity = Math.max(severity, fault.severity());
            }
        }
        return severity;
    }

    /**
     * Bearing wear that explains a measured vibration RMS at nominal speed (no defect assumed):
     * the inverse of the vibration law, used to start a model from a twin's last reading.
     */
    public static double wearForVibration(PumpParameters parameters, double vibrationRmsMmS) {
        if (parameters.wearVibrationMmS() == 0) {
            return 0;
        }
        return Math.max(0, (vibrationRmsMmS - parameters.baseVibrationMmS()) / parameters.wearVibrationMmS());
    }
}
