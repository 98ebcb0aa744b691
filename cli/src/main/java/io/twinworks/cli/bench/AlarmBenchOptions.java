package io.twinworks.cli.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * What one alarm-latency run ({@code twinworks bench alarm}) does.
 *
 * @param trials         out-of-range readings, each one trial (the health state must be {@code ok} before each)
 * @param devices        background pumps of the virtual fleet (one MQTT connection each)
 * @param ratePerDevice  readings per second of each background pump
 * @param outOfRangeRms  the vibration reading (mm/s) the alarm device publishes once per trial; within the
 *                       Thing Model's range (0..100 mm/s), so the twin service accepts it
 * @param trialTimeout   how long a trial waits for the health state to change before it counts as timed out
 */
public record AlarmBenchOptions(int trials, int devices, double ratePerDevice, double outOfRangeRms, Duration trialTimeout) {

    /** Trials unless told otherwise: the issue asks for at least 100. */
    public static final int DEFAULT_TRIALS = 100;
    /** The highest vibration RMS the pump's Thing Model accepts (mm/s). */
    public static final double MAX_RMS = 100.0;

    public AlarmBenchOptions {
        Objects.requireNonNull(trialTimeout, "trialTimeout");
        if (trials < 1 || trials > 10_000) {
            throw new IllegalArgumentException("--trials must be within [1, 10000]: " + trials);
        }
        if (devices < 1 || devices > 10_000) {
            throw new IllegalArgumentException("--devices must be within [1, 10000]: " + devices);
        }
        if (!(ratePerDevice > 0) || ratePerDevice > 100) {
            throw new IllegalArgumentException("--rate must be within (0, 100] messages/s per device: " + ratePerDevice);
        }
        if (!(outOfRangeRms >= 0) || outOfRangeRms > MAX_RMS) {
            throw new IllegalArgumentException("--out-of-range-rms must be within the Thing Model's [0, " + MAX_RMS
                    + "] mm/s (a reading outside it is refused by WoT validation): " + outOfRangeRms);
        }
        if (trialTimeout.toMillis() < 100 || trialTimeout.toSeconds() > 600) {
            throw new IllegalArgumentException("--trial-timeout-seconds must be within [0.1, 600]: " + trialTimeout);
        }
    }

    /** The background traffic, all pumps together (messages per second). */
    public double backgroundRate() {
        return devices * ratePerDevice;
    }
}
