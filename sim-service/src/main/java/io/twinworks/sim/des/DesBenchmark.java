package io.twinworks.sim.des;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the same queueing models on this engine and on SimPy 2 (Debian {@code python3-simpy}, run
 * with {@code /usr/bin/python3}) in one run, counting one event per arrival and one per departure
 * on both sides, so that events/s compare like with like.
 */
public final class DesBenchmark {

    /** The interpreter that can import Debian's SimPy (the pyenv python3 on PATH cannot). */
    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    private static final String SCRIPT = "simpy_mmc.py";

    private final Path python;

    /** @param python interpreter with SimPy 2 importable ({@link #DEBIAN_PYTHON}) */
    public DesBenchmark(Path python) {
        this.python = Objects.requireNonNull(python, "python");
    }

    /**
     * One queueing model to run on both engines.
     *
     * @param name        shown in the table
     * @param arrivalRate λ
     * @param serviceRate μ per server
     * @param servers     c
     * @param customers   customers served per run
     * @param seed        seed (each engine has its own generator: the samples differ, the statistics agree)
     */
    public record BenchCase(String name, double arrivalRate, double serviceRate, int servers, long customers, long seed) {
        /** Analytic mean waiting time. */
        public double analyticMeanWait() {
            return QueueingModels.analyticMeanWait(arrivalRate, serviceRate, servers);
        }

        /** Arrivals plus departures. */
        public long countedEvents() {
            return 2 * customers;
        }
    }

    /**
     * One engine's run of a case.
     *
     * @param engine   engine name and version
     * @param seconds  wall time of the simulation run (not the process start)
     * @param meanWait measured mean waiting time
     */
    public record Measurement(String engine, double seconds, double meanWait, long events) {
        /** Counted events per wall second. */
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    /** Both engines' runs of one case. */
    public record CaseResult(BenchCase benchCase, Measurement twinworks, Measurement simpy) {
        /** Twinworks events/s over SimPy events/s. */
        public double ratio() {
            return twinworks.eventsPerSecond() / simpy.eventsPerSecond();
        }
    }

    /** The default cases: M/M/1 at ρ = 0.9 (Wq = 9) and M/M/3 at ρ = 0.9. */
    public static List<BenchCase> defaultCases(long customers) {
        return List.of(
                new BenchCase("M/M/1 rho=0.9", 0.9, 1.0, 1, customers, 1),
                new BenchCase("M/M/3 rho=0.9", 2.7, 1.0, 3, customers, 2));
    }

    /** Runs every case on both engines, reporting progress lines before each long run. */
    public List<CaseResult> run(List<BenchCase> cases, Consumer<String> progress) throws IOException, InterruptedException {
        Path script = Files.createTempFile("twinworks-simpy-", ".py");
        try (InputStream resource = DesBenchmark.class.getResourceAsStream(SCRIPT)) {
            Files.write(script, Objects.requireNonNull(resource, SCRIPT + " missing").readAllBytes());
            List<CaseResult> results = new ArrayList<>();
            for (BenchCase benchCase : cases) {
                progress.accept("  " + benchCase.name() + ": Twinworks, " + benchCase.customers() + " customers (after a JIT warm-up)...");
                Measurement twinworks = runTwinworks(benchCase);
                progress.accept("  " + benchCase.name() + ": SimPy, " + benchCase.customers() + " customers...");
                Measurement simpy = runSimPy(script, benchCase);
                results.add(new CaseResult(benchCase, twinworks, simpy));
            }
            return results;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static Measurement runTwinworks(BenchCase benchCase) {
        // Warm-up so that the measured run is compiled code, as SimPy's is its steady interpreter.
        QueueingModels.mmc(benchCase.arrivalRate(), benchCase.serviceRate(), benchCase.servers(),
                Math.min(200_000, benchCase.customers()), benchCase.seed() + 1000);
        long started = System.nanoTime();
        QueueingModels.QueueResult result = QueueingModels.mmc(benchCase.arrivalRate(), benchCase.serviceRate(),
                benchCase.servers(), benchCase.customers(), benchCase.seed());
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Measurement("Twinworks", seconds, result.meanWait(), 2 * result.customers());
    }

    Measurement runSimPy(Path script, BenchCase benchCase) throws IOException, InterruptedException {
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(python + " not found: install Debian's python3 and python3-simpy");
        }
        java.lang.Process process = new ProcessBuilder(python.toString(), script.toString(),
                Double.toString(benchCase.arrivalRate()), Double.toString(benchCase.serviceRate()),
                Integer.toString(benchCase.servers()), Long.toString(benchCase.customers()), Long.toString(benchCase.seed()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(1, TimeUnit.HOURS) || process.exitValue() != 0) {
            throw new IllegalStateException("SimPy run failed" + (output.contains("No module named 'SimPy'")
                    ? " (install Debian's python3-simpy: apt-get install python3-simpy)" : "") + ": " + output);
        }
        String lastLine = output.substring(output.lastIndexOf('\n') + 1);
        try {
            JsonObject json = new JsonObject(lastLine);
            long customers = json.getLong("customers");
            return new Measurement("SimPy " + json.getString("simpy"), json.getDouble("seconds"), json.getDouble("meanWait"),
                    2 * customers);
        } catch (DecodeException | NullPointerException | ClassCastException e) {
            throw new IllegalStateException("SimPy run printed no result: " + output, e);
        }
    }

    /** The result table as printed by {@code twinworks bench des}. */
    public static List<String> table(List<CaseResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-15s %-12s %10s %9s %13s %9s %11s", "model", "engine", "customers", "seconds", "events/s",
                "mean Wq", "analytic Wq"));
        for (CaseResult result : results) {
            BenchCase benchCase = result.benchCase();
            for (Measurement measurement : List.of(result.twinworks(), result.simpy())) {
                lines.add(String.format("%-15s %-12s %10d %9.2f %13.0f %9.3f %11.3f", benchCase.name(), measurement.engine(),
                        measurement.events() / 2, measurement.seconds(), measurement.eventsPerSecond(), measurement.meanWait(),
                        benchCase.analyticMeanWait()));
            }
            lines.add(String.format("%-15s ratio Twinworks/SimPy events/s: %.1fx", benchCase.name(), result.ratio()));
        }
        return lines;
    }
}
