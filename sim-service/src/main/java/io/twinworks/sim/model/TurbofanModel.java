package io.twinworks.sim.model;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Turbofan-like degradation of a health index, after the damage propagation used to generate
 * NASA's C-MAPSS data (Saxena et al., 2008): each unit starts with a random initial wear {@code d}
 * and its health index falls as {@code HI = 1 − d − (exp(a·τ^b) − 1)}, where τ is the number of
 * load-weighted flight cycles; the unit fails when HI reaches 0. The rate parameters are drawn per
 * unit from the seed, so a fleet of seeds has a spread of lives. A bearing defect accelerates the
 * effective cycles. Sensors (exhaust gas temperature, compressor outlet pressure, fan speed) move
 * with the lost health.
 */
public final class TurbofanModel {

    /** The measured signals, in the order sensor faults refer to them. */
    public static final List<String> SIGNALS = List.of("egt", "ps30", "nf");

    private final List<Fault> faults;
    private final SensorFaults sensorFaults;
    private final SplittableRandom random;
    private final double noiseScale;
    private final double initialWear;
    private final double exponent;
    private final double rate;
    private final double[] measured = new double[SIGNALS.size()];
    private double cycles;
    private double effectiveCycles;
    private double loadFactor;

    /**
     * @param loadFactor     severity of operation (1 = nominal); effective cycles grow with its square
     * @param faults         bearing defect and sensor faults on {@link #SIGNALS}
     * @param seed           draws the unit's initial wear, degradation law and noise
     * @param noiseScale     measurement noise multiplier (0 = exact)
     */
    public TurbofanModel(double loadFactor, List<Fault> faults, long seed, double noiseScale) {
        for (Fault fault : faults) {
            if (fault.type() == FaultType.SEAL_LEAK) {
                throw new IllegalArgumentException("the turbofan model has no seal leak");
            }
        }
        this.faults = List.copyOf(faults);
        this.sensorFaults = new SensorFaults(SIGNALS, this.faults);
        this.random = new SplittableRandom(seed);
        this.noiseScale = noiseScale;
        this.initialWear = 0.01 + 0.04 * random.nextDouble();
        this.exponent = 1.5 + random.nextDouble();
        double lifeCycles = Math.max(80, 200 + 40 * random.nextGaussian());
        this.rate = Math.log(2 - initialWear) / Math.pow(lifeCycles, exponent);
        setLoadFactor(loadFactor);
    }

    /** Changes the severity of operation from now on. */
    public void setLoadFactor(double loadFactor) {
        if (!(loadFactor > 0 && loadFactor <= 2)) {
            throw new IllegalArgumentException("loadFactor must be within (0, 2]: " + loadFactor);
        }
        this.loadFactor = loadFactor;
    }

    /** Flies {@code cycles} more flight cycles. */
    public TurbofanReading step(double flightCycles) {
        if (!(flightCycles > 0) || !Double.isFinite(flightCycles)) {
            throw new IllegalArgumentException("cycles must be a finite number > 0: " + flightCycles);
        }
        double defect = 0;
        for (Fault fault : faults) {
            if (fault.type() == FaultType.BEARING_DEFECT && fault.activeAt(cycles)) {
                defect = Math.max(defect, fault.severity());
            }
        }
        cycles += flightCycles;
        effectiveCycles += flightCycles * loadFactor * loadFactor * (1 + 2 * defect);
        double health = Math.max(0, 1 - initialWear - (Math.exp(rate * Math.pow(effectiveCycles, exponent)) - 1));
        double lost = 1 - health;
        measured[0] = 1400 + 45 * lost + noiseScale * 0.5 * random.nextGaussian();
        measured[1] = 47.5 - 1.2 * lost + noiseScale * 0.05 * random.nextGaussian();
        measured[2] = 2388 + 0.25 * lost + noiseScale * 0.02 * random.nextGaussian();
        sensorFaults.apply(cycles, measured);
        return new TurbofanReading(cycles, health, measured[0], measured[1], measured[2]);
    }

    /**
     * One flight cycle of the turbofan model (fault times count in cycles for this model).
     *
     * @param cycles      flight cycles flown
     * @param healthIndex 1 new, 0 failed
     * @param egt         exhaust gas temperature (°R as in C-MAPSS T50)
     * @param ps30        static pressure at HPC outlet (psia)
     * @param nf          physical fan speed (rpm)
     */
    public record TurbofanReading(double cycles, double healthIndex, double egt, double ps30, double nf) {
        /** Whether the unit has failed. */
        public boolean failed() {
            return healthIndex <= 0;
        }
    }
}
