package io.twinworks.analytics;

import io.twinworks.analytics.model.Prediction;

/**
 * Tells the world that an asset's health got worse, e.g. as a Ditto live message from the twin's
 * {@code predictions} feature ({@code healthAlarm}), which dashboards and operators subscribe to.
 */
public interface HealthAlarms {

    /**
     * Never blocks; delivery failures are the implementation's to count and log.
     *
     * @param previous the last written health state, {@code null} for the asset's first write
     */
    void worsened(String thingId, io.twinworks.analytics.model.HealthState previous, Prediction current, String worstSignal);

    /** Sends nothing (embedding without a twin service, tests). */
    HealthAlarms NONE = (thingId, previous, current, worstSignal) -> { };
}
