package io.twinworks.sim.model;

import java.util.Arrays;
import java.util.Optional;

/** The faults that can be injected into an asset model at a set time. */
public enum FaultType {
    /** A spall on a bearing race: extra vibration and faster wear from the moment it appears. */
    BEARING_DEFECT("bearingDefect", false),
    /** A leaking mechanical seal: part of the pumped flow escapes before the flow meter. */
    SEAL_LEAK("sealLeak", false),
    /** A sensor whose reading drifts away linearly ({@code severity} units per hour). */
    SENSOR_DRIFT("sensorDrift", true),
    /** A sensor that keeps reporting the value it had when the fault appeared. */
    STUCK_SENSOR("stuckSensor", true);

    private final String wireName;
    private final boolean sensorFault;

    FaultType(String wireName, boolean sensorFault) {
        this.wireName = wireName;
        this.sensorFault = sensorFault;
    }

    /** The name used in JSON (scenarios, CLI options). */
    public String wireName() {
        return wireName;
    }

    /** Whether the fault falsifies a measurement rather than changing the physics. */
    public boolean isSensorFault() {
        return sensorFault;
    }

    /** The fault type with the given wire name. */
    public static Optional<FaultType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
