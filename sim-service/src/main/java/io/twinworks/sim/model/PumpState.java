package io.twinworks.sim.model;

/**
 * The state a pump model starts from.
 *
 * @param hours        operating hours so far
 * @param bearingWear  accumulated bearing wear (0 new, 1 worn out; may exceed 1)
 * @param temperatureC casing temperature
 */
public record PumpState(double hours, double bearingWear, double temperatureC) {

    public PumpState {
        if (!Double.isFinite(hours) || hours < 0) {
            throw new IllegalArgumentException("hours must be >= 0: " + hours);
        }
        if (!Double.isFinite(bearingWear) || bearingWear < 0) {
            throw new IllegalArgumentException("bearingWear must be >= 0: " + bearingWear);
        }
        if (!Double.isFinite(temperatureC)) {
            throw new IllegalArgumentException("temperatureC must be finite");
        }
    }

    /** A new pump at ambient temperature. */
    public static PumpState fresh(PumpParameters parameters) {
        return new PumpState(0, 0, parameters.ambientC());
    }
}
