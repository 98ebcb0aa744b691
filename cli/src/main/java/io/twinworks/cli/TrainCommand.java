package io.twinworks.cli;

import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulModel;
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

        private static final RulTraining.Settings DEFAULTS = RulTraining.Settings.defaults();

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training file, C-MAPSS layout (e.g. train_FD001.txt).")
        Path data;

        @Option(names = "--out", defaultValue = "models", paramLabel = "DIR", description = "Model directory (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--name", defaultValue = "rul-cmapss", description = "Model name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--arch", paramLabel = "cnn|lstm|mlp", converter = ArchitectureConverter.class,
                description = "Network: 1-D CNN, LSTM or MLP (default: mlp: it validated as well as the CNN in a tenth of the time).")
        RulTraining.Architecture architecture = DEFAULTS.architecture();

        @Option(names = "--ensemble", paramLabel = "N", description = "Networks trained with seeds seed..seed+N-1 and averaged into one model (default: ${DEFAULT-VALUE}).")
        int ensemble = DEFAULTS.ensemble();

        @Option(names = "--epochs", description = "Most training epochs per network (default: ${DEFAULT-VALUE}).")
        int epochs = DEFAULTS.epochs();

        @Option(names = "--patience", description = "Epochs without a better early-stopping RMSE before stopping early (default: ${DEFAULT-VALUE}).")
        int patience = DEFAULTS.patience();

        @Option(names = "--stopping", paramLabel = "PERCENT",
                description = {"Share of the TRAINING units each network holds out to stop early on (a different slice per network;",
                        "0 = no early stopping, every epoch trained; the validation units never pick an epoch) (default: ${DEFAULT-VALUE})."})
        double stoppingPercent = DEFAULTS.stoppingFraction() * 100;

        @Option(names = "--features", split = ",", paramLabel = "age|slope|baseline",
                description = {"Summary inputs appended to the MLP's window: age (the cycle number of the last row; adds the input",
                        "'cycle'), slope (per sensor, over the window), baseline (per sensor, the last value minus the mean of the",
                        "engine's first 30 cycles; needs age); 'none' for the window alone (default: age,slope,baseline for the",
                        "MLP, none for the CNN and the LSTM)."})
        List<String> features;

        @Option(names = "--time-budget", paramLabel = "MINUTES",
                description = "Wall time for training (all networks; each stops after the epoch that spends its share, keeping its best epoch) (default: ${DEFAULT-VALUE}).")
        double timeBudgetMinutes = DEFAULTS.timeBudget().toMillis() / 60_000.0;

        @Option(names = "--window", description = "Cycles of history per prediction (default: ${DEFAULT-VALUE}).")
        int window = DEFAULTS.window();

        @Option(names = "--smoothing", paramLabel = "ALPHA",
                description = {"Causal exponential smoothing of every input before windowing: weight of the newest cycle, (0, 1];",
                        "1 = none (default: ${DEFAULT-VALUE}). Stored in the model, so predict-rul and the service smooth alike."})
        double smoothingAlpha = DEFAULTS.smoothingAlpha();

        @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
        int batchSize = DEFAULTS.batchSize();

        @Option(names = "--hidden", description = "Width of the dense layer (CNN), first hidden layer (MLP) or first LSTM layer (default: ${DEFAULT-VALUE}).")
        int hidden = DEFAULTS.hidden();

        @Option(names = "--learning-rate", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate = DEFAULTS.learningRate();

        @Option(names = "--seed", description = "Seed of the split, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
        long seed = DEFAULTS.seed();

        @Option(names = "--validation", paramLabel = "PERCENT",
                description = "Share of the units held out for validation (default: ${DEFAULT-VALUE}).")
        int validationPercent = (int) Math.round(DEFAULTS.validationFraction() * 100);

        @Option(names = "--fold", paramLabel = "K",
                description = "Which block of the seeded shuffle to hold out (0 .. 100/PERCENT - 1; disjoint folds for a "
                        + "mean and spread over several runs; default: ${DEFAULT-VALUE}, the split of earlier models).")
        int fold = 0;

        @Option(names = {"--cap", "--rul-cap"}, description = "Cap of the piecewise-linear RUL target (default: ${DEFAULT-VALUE}).")
        double rulCap = DEFAULTS.rulCap();

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
                RulTraining.Settings settings = new RulTraining.Settings(architecture, window, epochs, batchSize, learningRate, seed,
                        validationPercent / 100.0, rulCap, hidden, ensemble, patience,
                        java.time.Duration.ofMillis(Math.round(timeBudgetMinutes * 60_000)), smoothingAlpha, features(),
                        stoppingPercent / 100.0);
                RulTraining training = new RulTraining(settings, inputs);
                List<CmapssData.Unit> units = CmapssData.read(data);
                stdout.printf(Locale.ROOT, "training %s on %s: %d units, %d held out for validation, up to %d epochs (patience %d) x %d network(s)%n",
                        architecture.name().toLowerCase(Locale.ROOT), data, units.size(),
                        Math.max(1, Math.round(units.size() * settings.validationFraction())), epochs, patience, ensemble);
                stdout.flush();
                RulTraining.Result result = training.train(units, fold, name, out, RulTraining.Progress.bar(System.err));
                stdout.printf(Locale.ROOT, "model %s (%s)%n", result.directory(), result.model().property("architecture"));
                stdout.printf(Locale.ROOT, "validation units: %s%n", result.validationUnits());
                RulTraining.Validation v = result.validation();
                stdout.printf(Locale.ROOT, "best epochs: %s%n", result.bestEpochs());
                stdout.printf(Locale.ROOT, "validation RMSE, every cycle of the held-out units (RUL capped at %.0f): %.2f cycles%n",
                        rulCap, v.allCyclesRmse());
                stdout.printf(Locale.ROOT, "test-like validation (%d random cuts of the held-out units, true RUL <= 145, last cycle predicted):%n",
                        v.cuts());
                stdout.printf(Locale.ROOT, "  true RUL:   RMSE %.2f cycles, PHM08 score %.1f per 100 cuts%n", v.testLikeRmse(), v.testLikeScore());
                stdout.printf(Locale.ROOT, "  capped RUL: RMSE %.2f cycles, PHM08 score %.1f per 100 cuts%n", v.testLikeCappedRmse(),
                        v.testLikeCappedScore());
                stdout.printf(Locale.ROOT, "training RMSE: %.2f; took %d s%n", result.trainingRmse(), result.took().toSeconds());
                return 0;
            } catch (IllegalArgumentException | IOException e) {
                err.println("twinworks train rul: " + e.getMessage());
                return 2;
            }
        }

        /** The {@code --features} values ({@code none}: no feature); without the option the defaults' for the MLP, none otherwise. */
        private java.util.Set<RulModel.Feature> features() {
            if (features == null) {
                return architecture == RulTraining.Architecture.MLP ? DEFAULTS.features() : java.util.Set.of();
            }
            java.util.Set<RulModel.Feature> parsed = java.util.EnumSet.noneOf(RulModel.Feature.class);
            for (String feature : features) {
                if (!feature.equalsIgnoreCase("none")) {
                    try {
                        parsed.add(RulModel.Feature.valueOf(feature.strip().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown feature '" + feature + "' (age, slope, baseline or none)");
                    }
                }
            }
            return parsed;
        }
    }

    /** Parses {@code --arch} case-insensitively with the list of known architectures in the error. */
    static final class ArchitectureConverter implements CommandLine.ITypeConverter<RulTraining.Architecture> {
        @Override
        public RulTraining.Architecture convert(String value) {
            try {
                return RulTraining.Architecture.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
