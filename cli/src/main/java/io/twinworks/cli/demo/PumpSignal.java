package io.twinworks.cli.demo;

import java.util.Random;

/**
 * A small, deterministic pump signal for the demo: vibration that grows with bearing wear, a
 * temperature that follows it, and flow/pressure with noise. The simulation service's physics
 * models replace this; it exists so that `twinworks up --demo` shows a live loop on its own.
 */
final class PumpSignal {

    private final Random random;
    private final double wearPerMinute;
    private long samples;

    PumpSignal(long seed, double wearPerMinute) {
        this.random = new Random(seed);
        this.wearPerMinute = wearPerMinute;
    }

    /** The next reading, {@code secondsPerSample} after the previous one. */
    PumpReading next(double secondsPerSample) {
        double minutes = samples++ * secondsPerSample / 60.0;
        double wear = wearPerMinute * minutes;
        double load = 0.8 + 0.05 * Math.sin(minutes / 3.0);
        double vibrationRms = 1.1 + wear + 0.04 * random.nextGaussian();
        double temperature = 42.0 + 10.0 * load + 4.0 * wear + 0.2 * random.nextGaussian();
        double flow = 118.0 * load + 0.8 * random.nextGaussian();
        double pressure = 4.2 * load * load + 0.03 * random.nextGaussian();
        return new PumpReading(samples, round(vibrationRms, 3), round(temperature, 2), round(flow, 1), round(pressure, 3));
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** One reading; {@code seq} counts from 1 per device. */
    record PumpReading(long seq, double vibrationRms, double temperature, double flow, double pressure) {
    }
}
