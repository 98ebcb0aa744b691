package io.twinworks.sim.whatif;

import org.jspecify.annotations.Nullable;
import static io.twinworks.sim.whatif.Rounding.round;

import io.twinworks.sim.line.LineResult;
import io.twinworks.sim.line.LineSpec;
import io.twinworks.sim.line.ProductionLineModel;
import io.twinworks.sim.line.Station;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What-if runs of a production line: the line's structure (attributes {@code stations} and
 * {@code buffers} of its twin, or the scenario's replacements) is run through the
 * {@link ProductionLineModel} and summarised as the properties of the line's {@code simulation}
 * feature (Thing Model {@code line-simulation}).
 */
public final class LineWhatIf {

    /** The asset type (Thing Model short name) this model answers for. */
    public static final String ASSET_TYPE = "production-line";
    /** Model name written to the feature. */
    public static final String MODEL = "production-line-des";
    /** Model version written to the feature. */
    public static final String MODEL_VERSION = "1";
    /** The bottleneck criterion, as written to the feature. */
    public static final String BOTTLENECK_METHOD = "highest active share (working + down), ties to the longest mean active period";
    /**
     * Largest run accepted, in expected engine events (the demo line ran 1.2 M events in 0.04 s here,
     * so well under a second, but a message answer must stay short on a loaded machine too): a
     * what-if answers a message, it is not a batch job.
     */
    public static final double MAX_EVENTS = 20_000_000;

    private static final Set<String> KEYS = Set.of("horizonHours", "warmUpHours", "seed", "buffers", "stations");
    private static final Set<String> STATION_KEYS = Set.of("name", "asset", "ratePerHour", "cycleTime", "mttfHours", "mttrHours");
    private static final int MAX_BUFFER = 1_000_000;

    private LineWhatIf() {
    }

    /**
     * A line scenario, e.g. {@code {"horizonHours":500,"buffers":[5,5]}}.
     *
     * @param horizonHours how long to run, {@code (0, maxHorizonHours]}
     * @param warmUpHours  not measured (the line starts empty), {@code [0, horizon)}, default 10 % of the horizon
     * @param seed         seed of the run (same seed, same result)
     * @param buffers      buffer capacities replacing the twin's, if given
     * @param stations     stations replacing the twin's, if given
     */
    public record LineScenario(double horizonHours, double warmUpHours, long seed, Optional<List<Integer>> buffers,
                               Optional<List<Station>> stations) {

        /** The scenario as written to the feature. */
        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("horizonHours", horizonHours).put("warmUpHours", warmUpHours).put("seed", seed);
            buffers.ifPresent(capacities -> json.put("buffers", new JsonArray(new ArrayList<>(capacities))));
            stations.ifPresent(list -> json.put("stations", stationsJson(list)));
            return json;
        }
    }

    /** Reads and validates a line scenario; the exception names the first problem. */
    public static LineScenario parse(@Nullable String payload, double maxHorizonHours) throws InvalidScenarioException {
        if (payload == null || payload.isBlank()) {
            throw new InvalidScenarioException("the message has no payload; send a JSON object such as {\"horizonHours\":500}");
        }
        JsonObject json = Scenario.payloadObject(payload, KEYS, "known fields of a line: ");
        double horizon = Scenario.number(json, "horizonHours", "horizonHours")
                .orElseThrow(() -> new InvalidScenarioException("horizonHours is required"));
        if (!(horizon > 0) || horizon > maxHorizonHours) {
            throw new InvalidScenarioException("horizonHours must be within (0, " + maxHorizonHours + "]: " + horizon);
        }
        double warmUp = Scenario.number(json, "warmUpHours", "warmUpHours").orElse(horizon / 10);
        if (!(warmUp >= 0) || warmUp >= horizon) {
            throw new InvalidScenarioException("warmUpHours must be within [0, horizonHours): " + warmUp);
        }
        double seed = Scenario.number(json, "seed", "seed").orElse(1.0);
        if (seed < 0 || seed != Math.rint(seed) || seed > 9007199254740991.0) {
            throw new InvalidScenarioException("seed must be a whole number >= 0: " + seed);
        }
        Optional<List<Integer>> buffers = json.containsKey("buffers")
                ? Optional.of(buffers(json.getValue("buffers"), "buffers")) : Optional.empty();
        Optional<List<Station>> stations = json.containsKey("stations")
                ? Optional.of(stations(json.getValue("stations"), "stations")) : Optional.empty();
        return new LineScenario(horizon, warmUp, (long) seed, buffers, stations);
    }

    /**
     * The line to run: the scenario's stations and buffers where given, else the twin's attributes.
     *
     * @throws InvalidScenarioException when the scenario's parts do not fit together or the run would be too long
     * @throws LineStructureException   when the twin lacks (or has an invalid) structure the scenario does not replace
     */
    public static LineSpec line(JsonObject attributes, LineScenario scenario) throws InvalidScenarioException, LineStructureException {
        List<Station> stations;
        if (scenario.stations().isPresent()) {
            stations = scenario.stations().get();
        } else if (attributes != null && attributes.containsKey("stations")) {
            try {
                stations = stations(attributes.getValue("stations"), "attributes/stations");
            } catch (InvalidScenarioException e) {
                throw new LineStructureException(e.getMessage());
            }
        } else {
            throw new LineStructureException("the line has no attribute 'stations' (and the scenario gives none)");
        }
        List<Integer> buffers;
        if (scenario.buffers().isPresent()) {
            buffers = scenario.buffers().get();
        } else if (attributes != null && attributes.containsKey("buffers")) {
            try {
                buffers = buffers(attributes.getValue("buffers"), "attributes/buffers");
            } catch (InvalidScenarioException e) {
                throw new LineStructureException(e.getMessage());
            }
        } else if (stations.size() == 1) {
            buffers = List.of();
        } else {
            throw new LineStructureException("the line has no attribute 'buffers' (and the scenario gives none)");
        }
        if (buffers.size() != stations.size() - 1) {
            String message = stations.size() + " stations need " + (stations.size() - 1) + " buffers, got " + buffers.size();
            if (scenario.stations().isPresent() || scenario.buffers().isPresent()) {
                throw new InvalidScenarioException(message);
            }
            throw new LineStructureException(message);
        }
        double events = 0;
        for (Station station : stations) {
            // fetch, work and put per part, and two per failure
            events += scenario.horizonHours() * (3 * station.ratePerHour() + (station.fails() ? 2 / station.mttfHours() : 0));
        }
        if (events > MAX_EVENTS) {
            throw new InvalidScenarioException(String.format("the run would take about %.0f engine events, more than the %.0f"
                    + " a what-if may take; shorten horizonHours", events, MAX_EVENTS));
        }
        try {
            return new LineSpec(stations, buffers);
        } catch (IllegalArgumentException e) {
            throw new InvalidScenarioException(e.getMessage());
        }
    }

    /** Runs the line and returns the feature's properties (without basedOnRevision and computedAt). */
    public static JsonObject run(LineSpec line, LineScenario scenario) {
        LineResult result = ProductionLineModel.run(line, scenario.horizonHours(), scenario.warmUpHours(), scenario.seed());
        JsonArray stations = new JsonArray();
        for (int i = 0; i < line.stations().size(); i++) {
            Station station = line.stations().get(i);
            LineResult.StationStats stats = result.stations().get(i);
            JsonObject item = new JsonObject().put("name", station.name())
                    .put("working", round(stats.working(), 4)).put("blocked", round(stats.blocked(), 4))
                    .put("starved", round(stats.starved(), 4)).put("down", round(stats.down(), 4))
                    .put("active", round(stats.active(), 4))
                    .put("meanActivePeriodHours", round(stats.meanActivePeriodHours(), 4))
                    .put("failures", stats.failures())
                    .put("isolatedRatePerHour", round(station.isolatedRatePerHour(), 4));
            if (station.asset() != null) {
                item.put("asset", station.asset());
            }
            stations.add(item);
        }
        JsonArray buffers = new JsonArray();
        for (LineResult.BufferStats buffer : result.buffers()) {
            buffers.add(new JsonObject().put("capacity", buffer.capacity()).put("meanLevel", round(buffer.meanLevel(), 4)));
        }
        Station bottleneck = line.stations().get(result.bottleneck());
        JsonObject bottleneckJson = new JsonObject().put("station", bottleneck.name()).put("index", result.bottleneck())
                .put("method", BOTTLENECK_METHOD).put("activeShare", round(result.stations().get(result.bottleneck()).active(), 4));
        if (bottleneck.asset() != null) {
            bottleneckJson.put("asset", bottleneck.asset());
        }
        return new JsonObject()
                .put("scenario", scenario.toJson())
                .put("status", "done")
                .put("throughputPerHour", round(result.throughputPerHour(), 4))
                .put("produced", result.produced())
                .put("measuredHours", round(result.measuredHours(), 4))
                .put("stations", stations)
                .put("buffers", buffers)
                .put("bottleneck", bottleneckJson)
                .put("events", result.events())
                .put("model", MODEL)
                .put("modelVersion", MODEL_VERSION);
    }

    private static List<Integer> buffers(Object raw, String path) throws InvalidScenarioException {
        if (!(raw instanceof JsonArray array)) {
            throw new InvalidScenarioException(path + " must be an array of buffer capacities");
        }
        List<Integer> capacities = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object value = array.getValue(i);
            if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                    || number.doubleValue() < 0 || number.doubleValue() > MAX_BUFFER) {
                throw new InvalidScenarioException(path + "[" + i + "] must be a whole number within [0, " + MAX_BUFFER + "]: " + value);
            }
            capacities.add(number.intValue());
        }
        return capacities;
    }

    private static List<Station> stations(Object raw, String path) throws InvalidScenarioException {
        if (!(raw instanceof JsonArray array) || array.isEmpty()) {
            throw new InvalidScenarioException(path + " must be a non-empty array of stations");
        }
        if (array.size() > 1000) {
            throw new InvalidScenarioException(path + " has more than 1000 stations");
        }
        List<Station> stations = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = path + "[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject item)) {
                throw new InvalidScenarioException(where + " must be an object");
            }
            for (String key : item.fieldNames()) {
                if (!STATION_KEYS.contains(key)) {
                    throw new InvalidScenarioException(where + ": unknown field '" + key + "'; known fields: " + STATION_KEYS);
                }
            }
            if (!(item.getValue("name") instanceof String name) || name.isBlank()) {
                throw new InvalidScenarioException(where + ".name must be a non-empty string");
            }
            Object asset = item.getValue("asset");
            if (asset != null && !(asset instanceof String)) {
                throw new InvalidScenarioException(where + ".asset must be a thing ID");
            }
            double rate = Scenario.number(item, "ratePerHour", where + ".ratePerHour")
                    .orElseThrow(() -> new InvalidScenarioException(where + ".ratePerHour is required"));
            Object cycle = item.getValue("cycleTime");
            Station.CycleTime cycleTime = Station.CycleTime.DETERMINISTIC;
            if (cycle != null) {
                cycleTime = null;
                for (Station.CycleTime candidate : Station.CycleTime.values()) {
                    if (candidate.wireName().equals(cycle)) {
                        cycleTime = candidate;
                    }
                }
                if (cycleTime == null) {
                    throw new InvalidScenarioException(where + ".cycleTime must be deterministic or exponential: " + cycle);
                }
            }
            Optional<Double> mttf = Scenario.number(item, "mttfHours", where + ".mttfHours");
            Optional<Double> mttr = Scenario.number(item, "mttrHours", where + ".mttrHours");
            if (mttf.isPresent() != mttr.isPresent()) {
                throw new InvalidScenarioException(where + ": give both mttfHours and mttrHours (or neither: never fails)");
            }
            try {
                stations.add(new Station(name, (String) asset, rate, cycleTime, mttf.orElse(Double.POSITIVE_INFINITY),
                        mttr.orElse(0.0)));
            } catch (IllegalArgumentException e) {
                throw new InvalidScenarioException(where + ": " + e.getMessage());
            }
        }
        return stations;
    }

    private static JsonArray stationsJson(List<Station> stations) {
        JsonArray array = new JsonArray();
        for (Station station : stations) {
            JsonObject item = new JsonObject().put("name", station.name()).put("ratePerHour", station.ratePerHour())
                    .put("cycleTime", station.cycleTime().wireName());
            if (station.asset() != null) {
                item.put("asset", station.asset());
            }
            if (station.fails()) {
                item.put("mttfHours", station.mttfHours()).put("mttrHours", station.mttrHours());
            }
            array.add(item);
        }
        return array;
    }

    /** The line twin lacks the structure a run needs (or has an invalid one). */
    public static final class LineStructureException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message what is missing or wrong */
        public LineStructureException(@Nullable String message) {
            super(message);
        }
    }
}
