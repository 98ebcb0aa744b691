package io.twinworks.sim.whatif;

import io.twinworks.sim.model.Fault;
import io.twinworks.sim.model.MotorModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.OptionalDouble;

import static io.twinworks.sim.whatif.Rounding.round;

/**
 * Runs the induction-motor model forward from a twin's current state under a scenario: the winding
 * starts at the twin's last temperature, runs at {@code loadFactor} × rated load (with the
 * scenario's faults), and the expected (noise-free) trajectory answers "when does the winding
 * reach its insulation limit?". The motor model has no wear state, so no calibration is read from
 * the twin; its steady state is bounded (copper losses rise with temperature, but less than the
 * heat it sheds).
 */
public final class MotorWhatIf {

    /** The asset type (Thing Model short name) this model answers for. */
    public static final String ASSET_TYPE = "induction-motor";
    /** Model name written to the feature. */
    public static final String MODEL = "induction-motor-thermal";
    /** Model version written to the feature. */
    public static final String MODEL_VERSION = "1";

    private static final int STEPS = 2000;
    private static final int POINTS = 24;

    private MotorWhatIf() {
    }

    /**
     * The outcome of a motor what-if run.
     *
     * @param timeToThresholdHours hours until the winding reaches the temperature limit, empty if not within the horizon
     * @param summary              start/end/extremes of the signals
     * @param trajectory           evenly spaced points of the expected trajectory
     */
    public record Result(OptionalDouble timeToThresholdHours, JsonObject summary, JsonArray trajectory) {
    }

    /**
     * Runs the scenario from the twin's last winding temperature (ambient if it has none).
     *
     * @throws InvalidScenarioException for faults a motor cannot have (a seal leak, a sensor it does not have)
     */
    public static Result run(Scenario scenario, OptionalDouble temperatureC) throws InvalidScenarioException {
        for (Fault fault : scenario.faults()) {
            if (fault.signal() != null && !MotorModel.SIGNALS.contains(fault.signal())) {
                throw new InvalidScenarioException("a motor measures " + MotorModel.SIGNALS + ", not '" + fault.signal() + "'");
            }
        }
        double start = temperatureC.orElse(25.0);
        MotorModel model;
        try {
            model = new MotorModel(scenario.loadFactor(), scenario.faults(), 0, 0, start);
        } catch (IllegalArgumentException e) {
            throw new InvalidScenarioException(e.getMessage());
        }
        double dt = scenario.horizonHours() / STEPS;
        double limit = scenario.temperatureLimitC();
        JsonArray trajectory = new JsonArray();
        OptionalDouble crossing = start >= limit ? OptionalDouble.of(0) : OptionalDouble.empty();
        double previous = start;
        double max = start;
        MotorModel.MotorReading reading = null;
        for (int step = 1; step <= STEPS; step++) {
            reading = model.step(dt);
            double temperature = reading.trueTemperatureC();
            if (crossing.isEmpty() && temperature >= limit) {
                double fraction = (limit - previous) / (temperature - previous);
                crossing = OptionalDouble.of(round(reading.hours() - dt + fraction * dt, 3));
            }
            previous = temperature;
            max = Math.max(max, temperature);
            if (step % (STEPS / POINTS) == 0) {
                trajectory.add(new JsonObject()
                        .put("hours", round(reading.hours(), 3))
                        .put("temperature", round(temperature, 2))
                        .put("current", round(reading.currentA(), 2))
                        .put("inputKw", round(reading.inputKw(), 3))
                        .put("efficiency", round(reading.efficiency(), 4)));
            }
        }
        MotorModel.MotorReading last = java.util.Objects.requireNonNull(reading, "STEPS >= 1: a step ran");
        JsonObject summary = new JsonObject()
                .put("temperature", new JsonObject().put("start", round(start, 2)).put("end", round(last.trueTemperatureC(), 2))
                        .put("max", round(max, 2)))
                .put("current", new JsonObject().put("end", round(last.currentA(), 2)))
                .put("inputKw", new JsonObject().put("end", round(last.inputKw(), 3)))
                .put("outputKw", new JsonObject().put("end", round(last.outputKw(), 3)))
                .put("efficiency", new JsonObject().put("end", round(last.efficiency(), 4)));
        return new Result(crossing, summary, trajectory);
    }
}
