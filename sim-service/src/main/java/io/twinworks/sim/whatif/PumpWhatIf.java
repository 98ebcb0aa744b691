package io.twinworks.sim.whatif;

import static io.twinworks.sim.whatif.Rounding.round;

import io.twinworks.sim.model.PumpModel;
import io.twinworks.sim.model.PumpParameters;
import io.twinworks.sim.model.PumpReading;
import io.twinworks.sim.model.PumpState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.OptionalDouble;

/**
 * Runs the pump model forward from a twin's current state under a scenario: the bearing wear is the
 * one that explains the last vibration reading, the casing starts at the last temperature, and the
 * expected (noise-free) trajectory answers "when will vibration cross the limit?".
 */
public final class PumpWhatIf {

    /** The asset type (thing attribute {@code type}) this model answers for. */
    public static final String ASSET_TYPE = "centrifugal-pump";
    /** Model name written to the feature. */
    public static final String MODEL = "centrifugal-pump-physics";
    /** Model version written to the feature. */
    public static final String MODEL_VERSION = "1";

    private static final int STEPS = 2000;
    private static final int POINTS = 24;

    private PumpWhatIf() {
    }

    /**
     * The twin's state the run starts from.
     *
     * @param vibrationRmsMmS  last vibration reading
     * @param temperatureC     last temperature reading, if any
     * @param wearPerHour      the twin's calibrated wear rate ({@code attributes/model/wearPerHour}), if any
     */
    public record TwinState(double vibrationRmsMmS, OptionalDouble temperatureC, OptionalDouble wearPerHour) {
    }

    /**
     * The outcome of a what-if run.
     *
     * @param timeToThresholdHours hours from now until the vibration limit is crossed, empty if not within the horizon
     * @param summary              start/end/extremes of the signals
     * @param trajectory           evenly spaced points of the expected trajectory
     */
    public record Result(OptionalDouble timeToThresholdHours, JsonObject summary, JsonArray trajectory) {
    }

    /** Runs the scenario from the twin's state. */
    public static Result run(Scenario scenario, TwinState twin) {
        PumpParameters base = PumpParameters.STANDARD.withNoiseScale(0);
        double wearRate = scenario.wearPerHour().orElse(twin.wearPerHour().orElse(base.wearPerHour()));
        PumpParameters parameters = base.withWearPerHour(wearRate);
        PumpState initial = new PumpState(0, PumpModel.wearForVibration(parameters, twin.vibrationRmsMmS()),
                twin.temperatureC().orElse(parameters.ambientC()));
        PumpModel model = new PumpModel(parameters, initial, scenario.loadFactor(), scenario.faults(), 0);
        double dt = scenario.horizonHours() / STEPS;
        double limit = scenario.vibrationLimitMmS();

        JsonArray trajectory = new JsonArray();
        OptionalDouble crossing = twin.vibrationRmsMmS() >= limit ? OptionalDouble.of(0) : OptionalDouble.empty();
        double previousVibration = twin.vibrationRmsMmS();
        double maxVibration = previousVibration;
        double maxTemperature = initial.temperatureC();
        double flowSum = 0;
        double pressureSum = 0;
        PumpReading reading = null;
        for (int step = 1; step <= STEPS; step++) {
            reading = model.step(dt);
            double vibration = reading.vibrationRmsMmS();
            if (crossing.isEmpty() && vibration >= limit) {
                // Linear interpolation inside the step.
                double fraction = (limit - previousVibration) / (vibration - previousVibration);
                crossing = OptionalDouble.of(reading.hours() - dt + fraction * dt);
            }
            previousVibration = vibration;
            maxVibration = Math.max(maxVibration, vibration);
            maxTemperature = Math.max(maxTemperature, reading.temperatureC());
            flowSum += reading.flowM3h();
            pressureSum += reading.pressureBar();
            if (step % (STEPS / POINTS) == 0) {
                trajectory.add(new JsonObject()
                        .put("hours", round(reading.hours(), 3))
                        .put("vibrationRms", round(vibration, 3))
                        .put("temperature", round(reading.temperatureC(), 2))
                        .put("flow", round(reading.flowM3h(), 2))
                        .put("pressure", round(reading.pressureBar(), 3))
                        .put("bearingWear", round(reading.truth().bearingWear(), 5)));
            }
        }
        JsonObject summary = new JsonObject()
                .put("vibrationRms", new JsonObject().put("start", round(twin.vibrationRmsMmS(), 3))
                        .put("end", round(reading.vibrationRmsMmS(), 3)).put("max", round(maxVibration, 3)))
                .put("temperature", new JsonObject().put("start", round(initial.temperatureC(), 2))
                        .put("end", round(reading.temperatureC(), 2)).put("max", round(maxTemperature, 2)))
                .put("flow", new JsonObject().put("mean", round(flowSum / STEPS, 2)))
                .put("pressure", new JsonObject().put("mean", round(pressureSum / STEPS, 3)))
                .put("bearingWear", new JsonObject().put("start", round(initial.bearingWear(), 5))
                        .put("end", round(reading.truth().bearingWear(), 5)))
                .put("shaftPowerKw", new JsonObject().put("end", round(reading.truth().shaftPowerKw(), 2)))
                .put("wearPerHour", wearRate);
        OptionalDouble rounded = crossing.isPresent() ? OptionalDouble.of(round(crossing.getAsDouble(), 3)) : crossing;
        return new Result(rounded, summary, trajectory);
    }
}
