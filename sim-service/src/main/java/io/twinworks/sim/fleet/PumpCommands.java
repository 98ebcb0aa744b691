package io.twinworks.sim.fleet;

import io.twinworks.sim.model.PumpModel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * What a virtual pump does with the actions of the pump's Thing Model when they arrive as Hono commands
 * (the bare message payload, Ditto's {@code RawMessage} contract), and what it answers:
 * <ul>
 *   <li>{@code setSpeed} {@code {"rpm": n}}: {@code n} in {@code (0, 2·}{@value #NOMINAL_RPM}{@code ]} sets
 *       the relative speed {@code n/}{@value #NOMINAL_RPM} (the affinity laws of {@link PumpModel} move flow,
 *       pressure, vibration and wear with it) and starts a stopped pump; {@code 0} stops it. 200
 *       {@code {"rpm": n, "running": ...}}; 400 for a missing, non-numeric or out-of-range speed; 409 while the pump
 *       is tripped;</li>
 *   <li>{@code stop}: a controlled stop (no flow, no wear, the casing cools). 200 {@code {"running": false}};</li>
 *   <li>{@code resetAlarm}: 200 {@code {"alarmActive": false}} when no alarm is latched any more; 409 while the
 *       pump is tripped on its worn-out bearing (the alarm clears with the repair);</li>
 *   <li>anything else: 404 {@code {"error": "unknown command <name>"}}.</li>
 * </ul>
 * Not thread-safe: called on the thread that steps the model.
 */
public final class PumpCommands {

    /** Shaft speed at load factor 1 (a 4-pole motor on 50 Hz). */
    public static final double NOMINAL_RPM = 1450;

    /**
     * A device's answer.
     *
     * @param status HTTP status, as Hono's command response carries it
     * @param json   the JSON body
     */
    public record Answer(int status, String json) {
        /** The body as bytes (UTF-8). */
        public byte[] payload() {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }

    private PumpCommands() {
    }

    /** Applies the command to the pump and answers. */
    public static Answer apply(PumpModel pump, String name, byte[] payload) {
        return switch (name) {
            case "setSpeed" -> setSpeed(pump, payload);
            case "stop" -> {
                pump.stop();
                yield new Answer(200, new JsonObject().put("running", false).encode());
            }
            case "resetAlarm" -> pump.tripped()
                    ? error(409, "the pump tripped on a worn-out bearing: the alarm clears with its repair")
                    : new Answer(200, new JsonObject().put("alarmActive", false).encode());
            default -> error(404, "unknown command " + name);
        };
    }

    private static Answer setSpeed(PumpModel pump, byte[] payload) {
        Object rpm;
        try {
            rpm = new JsonObject(new String(payload, StandardCharsets.UTF_8)).getValue("rpm");
        } catch (DecodeException | ClassCastException e) {
            return error(400, "setSpeed needs a JSON object {\"rpm\": <number>}");
        }
        if (!(rpm instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            return error(400, "setSpeed needs a JSON object {\"rpm\": <number>}");
        }
        double value = number.doubleValue();
        if (value < 0 || value > 2 * NOMINAL_RPM) {
            return error(400, "rpm " + value + " is outside this pump's speed range [0, " + 2 * NOMINAL_RPM + "]");
        }
        if (pump.tripped()) {
            return error(409, "the pump tripped on a worn-out bearing: it cannot run before its repair");
        }
        if (value == 0) {
            pump.stop();
        } else {
            pump.setLoadFactor(value / NOMINAL_RPM);
            pump.start();
        }
        return new Answer(200, new JsonObject().put("rpm", value).put("running", value > 0).encode());
    }

    private static Answer error(int status, String message) {
        return new Answer(status, new JsonObject().put("error", message).encode());
    }
}
