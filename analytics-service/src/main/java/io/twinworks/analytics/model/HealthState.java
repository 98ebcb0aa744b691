package io.twinworks.analytics.model;

/** How an asset is doing, worst last; written as {@code predictions.healthState}. */
public enum HealthState {
    /** Not enough readings yet to judge (the detector is learning the asset's normal operation). */
    LEARNING,
    /** Readings within normal operation. */
    OK,
    /** Readings drifting away from normal operation. */
    WARNING,
    /** Readings far outside normal operation: attention needed. */
    ALARM;

    /** The wire form used in the twin, e.g. {@code "warning"}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code true} when this state is worse than {@code other}. */
    public boolean isWorseThan(HealthState other) {
        return compareTo(other) > 0;
    }
}
