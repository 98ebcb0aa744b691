package io.twinworks.sim.model;

/**
 * Design data of a centrifugal pump in a closed system (defaults: a 120 m³/h, 45 m end-suction
 * water pump against 20 m static head). Speed is expressed relative to nominal ({@code loadFactor}).
 *
 * @param shutoffHeadM          head at zero flow and nominal speed (m)
 * @param designFlowM3h         flow at the best efficiency point and nominal speed (m³/h)
 * @param designHeadM           head at the design point (m)
 * @param staticHeadM           static head of the system curve (m)
 * @param bestEfficiency        hydraulic efficiency at the best efficiency point (0..1)
 * @param bearingFrictionKw     bearing and seal friction at nominal speed of a new pump (kW)
 * @param ambientC              ambient temperature (°C)
 * @param heatConductanceKwPerK casing-to-ambient heat conductance (kW/K)
 * @param thermalTimeConstantH  time constant of the casing temperature (h)
 * @param baseVibrationMmS      vibration velocity RMS of a new pump at nominal speed (mm/s)
 * @param wearVibrationMmS      extra vibration at full bearing wear (wear = 1) (mm/s)
 * @param wearPerHour           bearing wear per operating hour at nominal speed of a new, defect-free bearing
 * @param leakCoefficient       seal leak flow per √(head) at severity 1 (m³/h per √m)
 * @param noiseScale            measurement noise multiplier (0 = exact readings)
 */
public record PumpParameters(
        double shutoffHeadM,
        double designFlowM3h,
        double designHeadM,
        double staticHeadM,
        double bestEfficiency,
        double bearingFrictionKw,
        double ambientC,
        double heatConductanceKwPerK,
        double thermalTimeConstantH,
        double baseVibrationMmS,
        double wearVibrationMmS,
        double wearPerHour,
        double leakCoefficient,
        double noiseScale) {

    /** The standard pump of the demo and the what-if service. */
    public static final PumpParameters STANDARD = new PumpParameters(
            60.0, 120.0, 45.0, 20.0, 0.78, 0.6, 25.0, 0.04, 0.3, 1.1, 6.0, 2.0e-5, 2.0, 1.0);

    public PumpParameters {
        positive("shutoffHeadM", shutoffHeadM);
        positive("designFlowM3h", designFlowM3h);
        positive("designHeadM", designHeadM);
        if (designHeadM >= shutoffHeadM || staticHeadM >= designHeadM || staticHeadM < 0) {
            throw new IllegalArgumentException("heads must satisfy 0 <= static < design < shutoff");
        }
        if (!(bestEfficiency > 0 && bestEfficiency <= 1)) {
            throw new IllegalArgumentException("bestEfficiency must be within (0, 1]: " + bestEfficiency);
        }
        positive("heatConductanceKwPerK", heatConductanceKwPerK);
        positive("thermalTimeConstantH", thermalTimeConstantH);
        positive("baseVibrationMmS", baseVibrationMmS);
        nonNegative("bearingFrictionKw", bearingFrictionKw);
        nonNegative("wearVibrationMmS", wearVibrationMmS);
        nonNegative("wearPerHour", wearPerHour);
        nonNegative("leakCoefficient", leakCoefficient);
        nonNegative("noiseScale", noiseScale);
        if (!Double.isFinite(ambientC)) {
            throw new IllegalArgumentException("ambientC must be finite");
        }
    }

    /** A copy with another bearing wear rate (e.g. a fast-wearing demo pump). */
    public PumpParameters withWearPerHour(double rate) {
        return new PumpParameters(shutoffHeadM, designFlowM3h, designHeadM, staticHeadM, bestEfficiency, bearingFrictionKw,
                ambientC, heatConductanceKwPerK, thermalTimeConstantH, baseVibrationMmS, wearVibrationMmS, rate,
                leakCoefficient, noiseScale);
    }

    /** A copy with another noise multiplier (0 for the expected, noise-free trajectory). */
    public PumpParameters withNoiseScale(double scale) {
        return new PumpParameters(shutoffHeadM, designFlowM3h, designHeadM, staticHeadM, bestEfficiency, bearingFrictionKw,
                ambientC, heatConductanceKwPerK, thermalTimeConstantH, baseVibrationMmS, wearVibrationMmS, wearPerHour,
                leakCoefficient, scale);
    }

    /** Pump curve coefficient: head = shutoff·s² − k·Q². */
    double pumpCurveCoefficient() {
        return (shutoffHeadM - designHeadM) / (designFlowM3h * designFlowM3h);
    }

    /** System curve coefficient: head = static + k·Q². */
    double systemCurveCoefficient() {
        return (designHeadM - staticHeadM) / (designFlowM3h * designFlowM3h);
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0: " + value);
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0: " + value);
        }
    }
}
