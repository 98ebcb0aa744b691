package io.twinworks.cli;

import io.twinworks.analytics.bench.AnalyticsBenchmark;
import io.twinworks.analytics.ml.RulModel;
import io.twinworks.cli.bench.AdapterBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code twinworks bench ...}: measured figures, each with a baseline from the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures and a ratio against a baseline measured in the same run.",
        subcommands = {BenchIngestCommand.class, BenchAlarmCommand.class, BenchSoakCommand.class, BenchDesCommand.class, BenchCommand.Analytics.class, BenchCommand.Adapters.class,
                CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code twinworks bench analytics}. */
    @Command(name = "analytics", mixinStandardHelpOptions = true,
            description = {"Feature updates per second per core through the full detector path (baseline: bare detectors),",
                    "heap per asset at --memory-assets assets, and DL4J batched RUL inference (baseline: batch size 1)."})
    public static final class Analytics implements Callable<Integer> {

        @Option(names = "--assets", defaultValue = "10000", description = "Assets in the throughput run (default: ${DEFAULT-VALUE}).")
        int assets;

        @Option(names = "--rounds", defaultValue = "50", description = "Readings per signal per asset in the throughput run (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--memory-assets", defaultValue = "100000", description = "Assets in the memory run (default: ${DEFAULT-VALUE}).")
        int memoryAssets;

        @Option(names = "--model", paramLabel = "DIR", description = "RUL model for the inference run (default: the newest in --models).")
        Path model;

        @Option(names = "--models", defaultValue = "models", paramLabel = "DIR", description = "Model directory (default: ${DEFAULT-VALUE}).")
        Path models;

        @Option(names = "--batch-size", defaultValue = "256", description = "Inference batch size (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            // per-asset health log lines would drown the figures (and cost time inside the measurement)
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.twinworks.analytics"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            out.printf(Locale.ROOT, "twinworks bench analytics (%d available processors; the throughput run uses one thread)%n",
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            AnalyticsBenchmark.Throughput throughput = AnalyticsBenchmark.throughput(assets, rounds);
            out.printf(Locale.ROOT, "feature updates/s per core, full path (%d assets x 4 signals, %d readings): %,.0f%n",
                    throughput.assets(), throughput.readings(), throughput.readingsPerSecond());
            out.printf(Locale.ROOT, "  baseline, bare SignalDetector.update: %,.0f/s; full path keeps %.2f of it%n",
                    throughput.bareDetectorPerSecond(), throughput.ratio());
            out.printf(Locale.ROOT, "  false alarms: %d of %d assets not 'ok' after stationary noise (default warm-up)%n",
                    throughput.assetsNotOk(), throughput.assets());
            out.flush();
            AnalyticsBenchmark.Memory memory = AnalyticsBenchmark.memory(memoryAssets);
            out.printf(Locale.ROOT, "heap per asset at %,d assets (4 learned signals each): %,.0f bytes%n", memory.assets(), memory.bytesPerAsset());
            out.printf(Locale.ROOT, "  baseline, 4 bare detectors: %,.0f bytes (bookkeeping: %.1fx)%n",
                    memory.bareDetectorBytesPerAsset(), memory.bytesPerAsset() / memory.bareDetectorBytesPerAsset());
            out.printf(Locale.ROOT, "  + learned detector state per asset when turned on (off by default; 4 signals past probation, forecaster shared per signal): %,.0f bytes%n",
                    memory.learnedBytesPerAsset());
            out.flush();
            AnalyticsBenchmark.Inference forecast = AnalyticsBenchmark.forecastInference(batchSize, 200_000);
            out.printf(Locale.ROOT, "DL4J %s, batches of %d: %,.0f forecasts/s%n", forecast.model(), forecast.batchSize(),
                    forecast.batchedPerSecond());
            out.printf(Locale.ROOT, "  baseline, batch size 1: %,.0f/s; batching gains %.1fx%n", forecast.singlePerSecond(), forecast.ratio());
            out.flush();
            Optional<Path> modelDir = model != null ? Optional.of(model) : RulModel.latest(models);
            if (modelDir.isEmpty()) {
                out.println("DL4J inference: skipped, no model (run 'twinworks train rul' first or give --model)");
                return 0;
            }
            AnalyticsBenchmark.Inference inference = AnalyticsBenchmark.inference(RulModel.load(modelDir.get()), batchSize, 20_000);
            out.printf(Locale.ROOT, "DL4J RUL inference (%s), batches of %d: %,.0f predictions/s%n",
                    inference.model(), inference.batchSize(), inference.batchedPerSecond());
            out.printf(Locale.ROOT, "  baseline, batch size 1: %,.0f predictions/s; batching gains %.1fx%n",
                    inference.singlePerSecond(), inference.ratio());
            return 0;
        }
    }

    /** {@code twinworks bench adapters}. */
    @Command(name = "adapters", mixinStandardHelpOptions = true,
            description = {"Readings/s from serial lines (socat pty) and from the plant broker (mosquitto) to PUBACK,",
                    "outbox on, against the raw Paho publish rate to the same local-stack endpoint."})
    static final class Adapters implements Callable<Integer> {

        @Option(names = "--readings", defaultValue = "20000", description = "Readings per measurement (default: ${DEFAULT-VALUE}).")
        int readings;

        @Option(names = "--in-flight", defaultValue = "32", description = "Publishes awaiting PUBACK, adapter and baseline alike (default: ${DEFAULT-VALUE}).")
        int inFlight;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return new AdapterBench(readings, inFlight, spec.commandLine().getOut()).run();
        }
    }
}
