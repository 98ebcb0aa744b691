package io.twinworks.cli;

import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code twinworks train ...}: trains the analytics service's models. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Trains the analytics service's models.",
        subcommands = {TrainCommand.Rul.class, CommandLine.HelpCommand.class})
public final class TrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code twinworks train rul}: a DL4J remaining-useful-life model on C-MAPSS run-to-failure data. */
    @Command(name = "rul", mixinStandardHelpOptions = true,
            description = {"Trains a remaining-useful-life model (DL4J) on C-MAPSS run-to-failure trajectories.",
                    "Whole units are held out for validation (seeded); the model is saved as <out>/<name>-<n>",
                    "(model.zip + model.properties with its metrics)."})
    public static final class Rul implements Callable<Integer> {

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training file, C-MAPSS layout (e.g. train_FD001.txt).")
        Path data;

        @Option(names = "--out", defaultValue = "models", paramLabel = "DIR", description = "Model directory (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--name", defaultValue = "rul-cmapss", description = "Model name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--epochs", defaultValue = "25", description = "Training epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--window", defaultValue = "30", description = "Cycles of history per prediction (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--batch-size", defaultValue = "256", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--hidden", defaultValue = "64", description = "Width of the first hidden layer (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--validation", defaultValue = "20", paramLabel = "PERCENT",
                description = "Share of the units held out for validation (default: ${DEFAULT-VALUE}).")
        int validationPercent;

        @Option(names = "--rul-cap", defaultValue = "125", description = "Cap of the piecewise-linear RUL target (default: ${DEFAULT-VALUE}).")
        double rulCap;

        @Option(names = "--inputs", split = ",", description = "Input columns (default: the 14 sensors that vary in FD001).")
        List<String> inputs = CmapssData.FD001_SENSORS;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            if (!Files.isReadable(data)) {
                err.println("twinworks train rul: cannot read " + data);
                return 2;
            }
            try {
                RulTraining.Settings settings = new RulTraining.Settings(window, epochs, batchSize, learningRate, seed,
                        validationPercent / 100.0, rulCap, hidden);
                RulTraining training = new RulTraining(settings, inputs);
                List<CmapssData.Unit> units = CmapssData.read(data);
                stdout.printf(Locale.ROOT, "training on %s: %d units, %d held out for validation, %d epochs%n",
                        data, units.size(), Math.max(1, Math.round(units.size() * settings.validationFraction())), epochs);
                stdout.flush();
                RulTraining.Result result = training.train(units, name, out, RulTraining.Progress.bar(System.err));
                stdout.printf(Locale.ROOT, "model %s (%s)%n", result.directory(), result.model().property("architecture"));
                stdout.printf(Locale.ROOT, "validation units: %s%n", result.validationUnits());
                stdout.printf(Locale.ROOT, "validation RMSE, every cycle of the held-out units (RUL capped at %.0f): %.2f cycles%n",
                        rulCap, result.validationRmse());
                stdout.printf(Locale.ROOT, "validation RMSE, last cycle of random cuts (test-like), capped truth: %.2f, true RUL: %.2f%n",
                        result.validationTestLikeCappedRmse(), result.validationTestLikeRmse());
                stdout.printf(Locale.ROOT, "training RMSE: %.2f; took %d s%n", result.trainingRmse(), result.took().toSeconds());
                return 0;
            } catch (IllegalArgumentException | IOException e) {
                err.println("twinworks train rul: " + e.getMessage());
                return 2;
            }
        }
    }
}
