package io.twinworks.sim.whatif;

import org.jspecify.annotations.Nullable;
import io.twinworks.sim.model.Fault;
import io.twinworks.sim.model.FaultType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A what-if scenario, as sent in the payload of a {@code simulate} live message, e.g.
 * {@code {"horizonHours":72,"loadFactor":1.2}}.
 *
 * @param horizonHours       how far to run the model forward, {@code (0, maxHorizonHours]}
 * @param loadFactor         relative speed/load during the horizon, {@code (0, 1.5]} (default 1)
 * @param vibrationLimitMmS  alarm limit of the vibration RMS (default from the service config)
 * @param wearPerHour        bearing wear rate to assume, when given (else the twin's {@code attributes/model/wearPerHour},
 *                           else the standard pump's)
 * @param faults             faults to inject, at hours from now
 * @param temperatureLimitC  winding temperature limit of a motor (default {@value #DEFAULT_TEMPERATURE_LIMIT_C} °C,
 *                           insulation class F); pumps ignore it
 */
public record Scenario(double horizonHours, double loadFactor, double vibrationLimitMmS, OptionalDouble wearPerHour,
                       List<Fault> faults, double temperatureLimitC) {

    /** Hot-spot limit of insulation class F (IEC 60085). */
    public static final double DEFAULT_TEMPERATURE_LIMIT_C = 155;

    private static final Set<String> KEYS = Set.of("horizonHours", "loadFactor", "vibrationLimitMmS", "wearPerHour", "faults",
            "temperatureLimitC");
    private static final Set<String> FAULT_KEYS = Set.of("type", "atHours", "severity", "signal");

    public Scenario {
        faults = List.copyOf(faults);
    }

    /**
     * Reads and validates a scenario.
     *
     * @param payload            the message payload (a JSON object as text)
     * @param defaultLimitMmS    vibration limit when the scenario gives none
     * @param maxHorizonHours    the longest horizon the service accepts
     * @throws InvalidScenarioException naming the first problem found
     */
    public static Scenario parse(@Nullable String payload, double defaultLimitMmS, double maxHorizonHours) throws InvalidScenarioException {
        if (payload == null || payload.isBlank()) {
            throw new InvalidScenarioException("the message has no payload; send a JSON object such as {\"horizonHours\":72,\"loadFactor\":1.2}");
        }
        JsonObject json = payloadObject(payload, KEYS, "known fields: ");
        double horizon = number(json, "horizonHours").orElseThrow(() ->
                new InvalidScenarioException("horizonHours is required"));
        if (!(horizon > 0) || horizon > maxHorizonHours) {
            throw new InvalidScenarioException("horizonHours must be within (0, " + maxHorizonHours + "]: " + horizon);
        }
        double load = number(json, "loadFactor").orElse(1.0);
        if (!(load > 0) || load > 1.5) {
            throw new InvalidScenarioException("loadFactor must be within (0, 1.5]: " + load);
        }
        double limit = number(json, "vibrationLimitMmS").orElse(defaultLimitMmS);
        if (!(limit > 0) || limit > 100) {
            throw new InvalidScenarioException("vibrationLimitMmS must be within (0, 100]: " + limit);
        }
        Optional<Double> wear = number(json, "wearPerHour");
        if (wear.isPresent() && (!(wear.get() >= 0) || wear.get() > 1)) {
            throw new InvalidScenarioException("wearPerHour must be within [0, 1]: " + wear.get());
        }
        double temperatureLimit = number(json, "temperatureLimitC").orElse(DEFAULT_TEMPERATURE_LIMIT_C);
        if (!(temperatureLimit > 0) || temperatureLimit > 250) {
            throw new InvalidScenarioException("temperatureLimitC must be within (0, 250]: " + temperatureLimit);
        }
        return new Scenario(horizon, load, limit, wear.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                faults(json, horizon), temperatureLimit);
    }

    private static List<Fault> faults(JsonObject json, double horizon) throws InvalidScenarioException {
        Object raw = json.getValue("faults");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof JsonArray array)) {
            throw new InvalidScenarioException("faults must be an array");
        }
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject item)) {
                throw new InvalidScenarioException("faults[" + i + "] must be an object");
            }
            for (String key : item.fieldNames()) {
                if (!FAULT_KEYS.contains(key)) {
                    throw new InvalidScenarioException("faults[" + i + "]: unknown field '" + key + "'; known fields: " + FAULT_KEYS);
                }
            }
            Object typeName = item.getValue("type");
            FaultType type = typeName instanceof String name ? FaultType.fromWireName(name).orElse(null) : null;
            if (type == null) {
                throw new InvalidScenarioException("faults[" + i + "].type must be one of bearingDefect, sealLeak, sensorDrift, stuckSensor");
            }
            double at = number(item, "atHours").orElse(0.0);
            if (at > horizon) {
                throw new InvalidScenarioException("faults[" + i + "].atHours is beyond the horizon: " + at);
            }
            Object signal = item.getValue("signal");
            if (signal != null && !(signal instanceof String)) {
                throw new InvalidScenarioException("faults[" + i + "].signal must be a string");
            }
            try {
                faults.add(new Fault(type, at, number(item, "severity").orElse(type.isSensorFault() ? 0.0 : 1.0), (String) signal));
            } catch (IllegalArgumentException e) {
                throw new InvalidScenarioException("faults[" + i + "]: " + e.getMessage());
            }
        }
        return faults;
    }

    private static Optional<Double> number(JsonObject json, String key) throws InvalidScenarioException {
        return number(json, key, key);
    }

    /**
     * A what-if message's payload as a JSON object with only known fields (shared by every asset type's
     * scenario; the caller has checked that the payload is not blank).
     *
     * @param knownLabel how the message lists the known fields, e.g. {@code "known fields: "}
     */
    static JsonObject payloadObject(@Nullable String payload, Set<String> known, String knownLabel) throws InvalidScenarioException {
        JsonObject json;
        try {
            json = new JsonObject(payload);
        } catch (DecodeException | ClassCastException e) {
            throw new InvalidScenarioException("the payload is not a JSON object: " + e.getMessage());
        }
        for (String key : json.fieldNames()) {
            if (!known.contains(key)) {
                throw new InvalidScenarioException("unknown scenario field '" + key + "'; " + knownLabel + known);
            }
        }
        return json;
    }

    /** A finite number at {@code key}, empty when absent; {@code path} names it in the error. */
    static Optional<Double> number(JsonObject json, String key, String path) throws InvalidScenarioException {
        Object value = json.getValue(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new InvalidScenarioException(path + " must be a number: " + value);
        }
        return Optional.of(number.doubleValue());
    }

    /** The scenario as written to {@code /features/simulation/properties/scenario}. */
    public JsonObject toJson() {
        JsonArray faultsJson = new JsonArray();
        for (Fault fault : faults) {
            JsonObject item = new JsonObject().put("type", fault.type().wireName()).put("atHours", fault.atHours())
                    .put("severity", fault.severity());
            if (fault.signal() != null) {
                item.put("signal", fault.signal());
            }
            faultsJson.add(item);
        }
        JsonObject json = new JsonObject().put("horizonHours", horizonHours).put("loadFactor", loadFactor)
                .put("vibrationLimitMmS", vibrationLimitMmS).put("temperatureLimitC", temperatureLimitC).put("faults", faultsJson);
        wearPerHour.ifPresent(rate -> json.put("wearPerHour", rate));
        return json;
    }
}
