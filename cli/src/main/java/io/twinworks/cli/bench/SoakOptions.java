package io.twinworks.cli.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code twinworks bench soak} runs.
 *
 * @param devices        virtual pumps, {@code [1, 10000]}
 * @param ratePerDevice  readings per second per pump, {@code (0, 100]}
 * @param gateways       gateways the pumps publish through; 0 = every pump connects itself
 * @param duration       how long the fleet publishes
 * @param reportInterval time between two report lines (a minute by default)
 * @param drainQuiet     after the fleet stopped, how long acknowledgements and applied readings may make no
 *                       progress before the missing ones count as lost
 * @param timeScale      model seconds per wall-clock second of the pumps' physics
 * @param maxDrain       the longest drain: readings a stack still applies after it are reported as not yet
 *                       applied (the run is inconclusive), not waited for
 */
public record SoakOptions(int devices, double ratePerDevice, int gateways, Duration duration, Duration reportInterval,
                          Duration drainQuiet, double timeScale, Duration maxDrain) {

    public SoakOptions {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reportInterval, "reportInterval");
        Objects.requireNonNull(drainQuiet, "drainQuiet");
        Objects.requireNonNull(maxDrain, "maxDrain");
        if (devices < 1 || devices > 10_000) {
            throw new IllegalArgumentException("--devices must be within [1, 10000]: " + devices);
        }
        if (!(ratePerDevice > 0) || ratePerDevice > 100) {
            throw new IllegalArgumentException("--rate must be within (0, 100] messages/s per device: " + ratePerDevice);
        }
        if (gateways < 0 || gateways > devices) {
            throw new IllegalArgumentException("--gateways must be within [0, devices]: " + gateways);
        }
        if (duration.toMillis() < 1000) {
            throw new IllegalArgumentException("the soak must run for at least a second: " + duration);
        }
        if (reportInterval.toMillis() < 500 || reportInterval.compareTo(duration) > 0) {
            throw new IllegalArgumentException("the report interval must be within [0.5 s, the run time]: " + reportInterval);
        }
        if (drainQuiet.toMillis() < 1000 || drainQuiet.compareTo(maxDrain) > 0) {
            throw new IllegalArgumentException("the quiet drain time must be within [1 s, the longest drain]: " + drainQuiet);
        }
        if (!(timeScale > 0) || timeScale > 1e6) {
            throw new IllegalArgumentException("the time scale must be within (0, 1e6]: " + timeScale);
        }
    }

    /** The fleet's target rate, messages per second. */
    public double targetRate() {
        return devices * ratePerDevice;
    }
}
