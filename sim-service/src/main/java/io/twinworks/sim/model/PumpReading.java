package io.twinworks.sim.model;

/**
 * One step of the pump model: what the sensors report and the physical truth behind it.
 *
 * @param hours            model time (operating hours)
 * @param running          false once the pump has tripped on a worn-out bearing (until repaired)
 * @param flowM3h          measured delivered flow (m³/h)
 * @param pressureBar      measured discharge pressure (bar)
 * @param temperatureC     measured casing temperature (°C)
 * @param vibrationRmsMmS  measured vibration velocity RMS (mm/s)
 * @param truth            the physical state the measurements are taken from
 */
public record PumpReading(double hours, boolean running, double flowM3h, double pressureBar, double temperatureC, double vibrationRmsMmS,
                          PumpPhysics truth) {

    /**
     * The physics of one step.
     *
     * @param loadFactor        relative speed (0 while stopped)
     * @param impellerFlowM3h   flow through the impeller
     * @param leakFlowM3h       flow lost at the seal (impeller flow = delivered + leak)
     * @param deliveredFlowM3h  flow leaving the pump
     * @param headM             head the pump delivers
     * @param hydraulicPowerKw  ρ·g·Q·H of the impeller flow
     * @param shaftPowerKw      power the motor delivers (hydraulic + losses)
     * @param heatToCasingKw    losses that heat the casing (friction)
     * @param temperatureC      casing temperature
     * @param vibrationRmsMmS   vibration velocity RMS
     * @param bearingWear       accumulated bearing wear (0 new, 1 worn out)
     */
    public record PumpPhysics(double loadFactor, double impellerFlowM3h, double leakFlowM3h, double deliveredFlowM3h,
                              double headM, double hydraulicPowerKw, double shaftPowerKw, double heatToCasingKw,
                              double temperatureC, double vibrationRmsMmS, double bearingWear) {
    }
}
