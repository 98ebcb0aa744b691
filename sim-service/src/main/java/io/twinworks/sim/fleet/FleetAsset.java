package io.twinworks.sim.fleet;

import io.twinworks.sim.model.Fault;
import io.twinworks.sim.model.PumpParameters;

import java.util.List;
import java.util.Objects;

/**
 * One virtual pump of the fleet.
 *
 * @param deviceId   Hono device ID = Ditto thing ID ({@code namespace:name})
 * @param authId     auth-id of its credentials (used when it connects itself)
 * @param password   its password
 * @param parameters its pump's design data (e.g. a fast wear rate for a demo pump)
 * @param faults     faults injected at operating hours
 * @param seed       seed of its measurement noise
 */
public record FleetAsset(String deviceId, String authId, String password, PumpParameters parameters, List<Fault> faults,
                         long seed) {

    public FleetAsset {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(authId, "authId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(parameters, "parameters");
        faults = List.copyOf(faults);
        int colon = deviceId.indexOf(':');
        if (colon <= 0 || colon == deviceId.length() - 1) {
            throw new IllegalArgumentException("device ID must be a Ditto thing ID <namespace>:<name>: " + deviceId);
        }
    }

    /** The thing's namespace. */
    public String namespace() {
        return deviceId.substring(0, deviceId.indexOf(':'));
    }

    /** The thing's name. */
    public String name() {
        return deviceId.substring(deviceId.indexOf(':') + 1);
    }

    /**
     * A standard fleet of {@code count} pumps {@code <tenant>:pump-<n>} (credentials {@code pump-<n>} /
     * {@code <secretPrefix>-<n>}): every {@code degradingEvery}-th pump gets a bearing defect after
     * {@code defectAtHours} and wears fast enough to cross the vibration alarm within about an hour of
     * model time; the others wear at the standard rate.
     */
    public static List<FleetAsset> pumps(String tenant, int count, String secretPrefix, int degradingEvery, double defectAtHours) {
        if (count < 1) {
            throw new IllegalArgumentException("asset count must be >= 1: " + count);
        }
        List<FleetAsset> assets = new java.util.ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            boolean degrading = degradingEvery > 0 && number % degradingEvery == 0;
            PumpParameters parameters = degrading ? PumpParameters.STANDARD.withWearPerHour(0.3) : PumpParameters.STANDARD;
            List<Fault> faults = degrading
                    ? List.of(Fault.process(io.twinworks.sim.model.FaultType.BEARING_DEFECT, defectAtHours, 0.5)) : List.of();
            assets.add(new FleetAsset(tenant + ":pump-" + number, "pump-" + number, secretPrefix + "-" + number,
                    parameters, faults, number));
        }
        return assets;
    }
}
