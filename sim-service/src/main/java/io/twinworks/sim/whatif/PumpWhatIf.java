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
 * expected (noise-free) trajectory answers "when will vibration cross the limit?" and "when will the
 * worn-out bearing trip the pump?"; the run ends at the trip (a stopped pump has no trajectory).
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
     * @param timeToFailureHours   hours from now until the worn-out bearing trips the pump, empty if not within the horizon
     * @param summary              start/end/extremes of the signals (end: the horizon, or the trip)
     * @param trajectory           evenly spaced points of the expected trajectory up to the horizon or the trip
     *                             (then the trip is the last point)
     */
    public record Result(OptionalDouble timeToThresholdHours, OptionalDouble timeToFailureHours, JsonObject summary,
                         JsonArray trajectory) {
    }

    /** Runs the scenario from the twin's state. */
    public static Result run(Scenario scenario, TwinState twin) {
        Result full = run(scenario, twin, scenario.horizonHours());
        if (full.timeToFailureHours().isEmpty()) {
            return full;
        }
        // The pump trips within the horizon: sample the trajectory up to the trip, where it ends.
        double failure = full.timeToFailureHours().getAsDouble();
        if (failure <= 0) {
            return full;
        }
        Result untilTrip = run(scenario, twin, failure);
        JsonArray trajectory = untilTrip.trajectory();
        JsonObject last = trajectory.getJsonObject(trajectory.size() - 1);
        last.put("hours", failure).put("running", false);
        untilTrip.summary().put("runningAtEnd", false);
        return new Result(full.timeToThresholdHours(), full.timeToFailureHours(), untilTrip.summary(), trajectory);
    }

    private static Result run(Scenario scenario, TwinState twin, double horizonHours) {
        PumpParameters base = PumpParameters.STANDARD.withNoiseScale(0);
        double wearRate = scenario.wearPerHour().orElse(twin.wearPerHour().orElse(base.wearPerHour()));
        PumpParameters parameters = base.withWearPerHour(wearRate);
        PumpState initial = new PumpState(0, PumpModel.wearForVibration(parameters, twin.vibrationRmsMmS()),
                twin.temperatureC().orElse(parameters.ambientC()));
        PumpModel model = new PumpModel(parameters, initial, scenario.loadFactor(), scenario.faults(), 0);
        double dt = horizonHours / STEPS;
        double limit = scenario.vibrationLimitMmS();

        JsonArray trajectory = new JsonArray();
        OptionalDouble crossing = twin.vibrationRmsMmS() >= limit ? OptionalDouble.of(0) : OptionalDouble.empty();
        double previousVibration = twin.vibrationRmsMmS();
        double maxVibration = previousVibration;
        double maxTemperature = initial.temperatureC();
        double flowSum = 0;
        double pressureSum = 0;
        PumpReading reading = null;
        PumpReading lastRunning = null;
        OptionalDouble failure = OptionalDouble.empty();
        int steps = 0;
        for (int step = 1; step <= STEPS; step++) {
            reading = model.step(dt);
            if (!reading.running()) {
                failure = OptionalDouble.of(model.tripHours());
                trajectory.add(point(model.tripHours(), lastRunning == null ? twin.vibrationRmsMmS() : lastRunning.vibrationRmsMmS(),
                        reading));
                break;
            }
            lastRunning = reading;
            steps++;
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
                trajectory.add(point(reading.hours(), vibration, reading));
            }
        }
        // the summary describes the running pump: at a trip, its last running state
        PumpReading last = java.util.Objects.requireNonNull(reading, "STEPS >= 1: a step ran");
        PumpReading end = lastRunning != null ? lastRunning : last;
        steps = Math.max(1, steps);
        JsonObject summary = new JsonObject()
                .put("vibrationRms", new JsonObject().put("start", round(twin.vibrationRmsMmS(), 3))
                        .put("end", round(end.vibrationRmsMmS(), 3)).put("max", round(maxVibration, 3)))
                .put("temperature", new JsonObject().put("start", round(initial.temperatureC(), 2))
                        .put("end", round(end.temperatureC(), 2)).put("max", round(maxTemperature, 2)))
                .put("flow", new JsonObject().put("mean", round(flowSum / steps, 2)))
                .put("pressure", new JsonObject().put("mean", round(pressureSum / steps, 3)))
                .put("bearingWear", new JsonObject().put("start", round(initial.bearingWear(), 5))
                        .put("end", round(last.truth().bearingWear(), 5)).put("failure", PumpModel.FAILURE_WEAR))
                .put("shaftPowerKw", new JsonObject().put("end", round(end.truth().shaftPowerKw(), 2)))
                .put("wearPerHour", wearRate)
                .put("runningAtEnd", failure.isEmpty());
        return new Result(rounded(crossing), rounded(failure), summary, trajectory);
    }

    private static OptionalDouble rounded(OptionalDouble hours) {
        return hours.isPresent() ? OptionalDouble.of(round(hours.getAsDouble(), 3)) : hours;
    }

    private static JsonObject point(double hours, double vibration, PumpReading reading) {
        return new JsonObject()
                .put("hours", round(hours, 3))
                .put("running", reading.running())
                .put("vibrationRms", round(vibration, 3))
                .put("temperature", round(reading.temperatureC(), 2))
                .put("flow", round(reading.flowM3h(), 2))
                .put("pressure", round(reading.pressureBar(), 3))
                .put("bearingWear", round(reading.truth().bearingWear(), 5));
    }
}
