package io.twinworks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.twinworks.sim.line.LineSpec;
import io.twinworks.sim.whatif.InvalidScenarioException;
import io.twinworks.sim.whatif.LineWhatIf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code twinworks simulate line --file LINE}: runs the production-line model the simulation service
 * runs for a line twin's {@code simulate} message — same parsing, same limits, same result — on a line
 * described in a file, without a stack.
 */
@Command(name = "line", mixinStandardHelpOptions = true,
        description = {"Runs the production-line discrete-event model (machines with failure/repair, finite buffers)",
                "on a line file and prints throughput, each station's working/blocked/starved/down shares, buffer",
                "levels and the bottleneck. The file holds the twin's attributes 'stations' and 'buffers' as YAML or",
                "JSON, e.g.",
                "  stations: [{name: feed, ratePerHour: 60, mttfHours: 40, mttrHours: 1.5}, {name: mixer, ratePerHour: 45}]",
                "  buffers: [20]"})
public final class SimulateLineCommand implements Callable<Integer> {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "Line file (YAML or JSON) with stations and buffers.")
    Path file;

    @Option(names = "--hours", defaultValue = "1000", description = "Simulated hours (default: ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--warm-up", paramLabel = "HOURS", description = "Hours left out of the figures (default: a tenth of --hours).")
    Double warmUpHours;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; the same seed gives the same result (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the result as the JSON the simulation feature holds.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonObject attributes;
        try {
            Object parsed = YAML.readValue(file.toFile(), Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                err.println("twinworks simulate line: " + file + " must be a mapping with stations and buffers");
                return 2;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            attributes = new JsonObject(fields);
        } catch (IOException e) {
            err.println("twinworks simulate line: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        JsonObject scenarioJson = new JsonObject().put("horizonHours", hours).put("seed", seed);
        if (warmUpHours != null) {
            scenarioJson.put("warmUpHours", warmUpHours);
        }
        JsonObject result;
        long started = System.nanoTime();
        try {
            LineWhatIf.LineScenario scenario = LineWhatIf.parse(scenarioJson.encode(), Double.MAX_VALUE);
            LineSpec line = LineWhatIf.line(attributes, scenario);
            result = LineWhatIf.run(line, scenario);
        } catch (InvalidScenarioException | LineWhatIf.LineStructureException e) {
            err.println("twinworks simulate line: " + e.getMessage());
            return 2;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (json) {
            out.println(result.encodePrettily());
        } else {
            print(out, result, seconds);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, JsonObject result, double seconds) {
        JsonObject bottleneck = result.getJsonObject("bottleneck");
        out.printf(Locale.ROOT, "throughput %.2f parts/h (%d parts in %.0f measured hours; %d engine events in %.2f s)%n",
                result.getDouble("throughputPerHour"), result.getLong("produced"), result.getDouble("measuredHours"),
                result.getLong("events"), seconds);
        out.printf(Locale.ROOT, "bottleneck %s (active share %.3f; %s)%n", bottleneck.getString("station"),
                bottleneck.getDouble("activeShare"), bottleneck.getString("method"));
        out.printf(Locale.ROOT, "  %-16s %8s %8s %8s %8s %9s %12s%n", "station", "working", "blocked", "starved", "down",
                "failures", "isolated/h");
        JsonArray stations = result.getJsonArray("stations");
        for (int i = 0; i < stations.size(); i++) {
            JsonObject station = stations.getJsonObject(i);
            out.printf(Locale.ROOT, "  %-16s %8.3f %8.3f %8.3f %8.3f %9d %12.2f%n", station.getString("name"),
                    station.getDouble("working"), station.getDouble("blocked"), station.getDouble("starved"),
                    station.getDouble("down"), station.getLong("failures"), station.getDouble("isolatedRatePerHour"));
        }
        JsonArray buffers = result.getJsonArray("buffers");
        for (int i = 0; i < buffers.size(); i++) {
            JsonObject buffer = buffers.getJsonObject(i);
            out.printf(Locale.ROOT, "  buffer %d: capacity %d, mean level %.2f%n", i + 1, buffer.getInteger("capacity"),
                    buffer.getDouble("meanLevel"));
        }
    }
}
