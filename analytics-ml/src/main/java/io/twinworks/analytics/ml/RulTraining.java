package io.twinworks.analytics.ml;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Trains a remaining-useful-life model on run-to-failure trajectories (C-MAPSS layout).
 *
 * <p>Validation is honest for data without a labelled test set: whole units (engines) are held out
 * from training by a seeded draw, so no cycle of a validation engine is ever seen in training. The
 * target is the piecewise-linear RUL capped at {@link Settings#rulCap()} (the usual FD001 practice).
 * Three validation figures are reported: RMSE over every cycle of the held-out engines (capped
 * target), and "test-like" RMSE where each held-out engine is cut at seeded random cycles and only
 * the last cycle is predicted, like NASA's test files, against the true and against the capped RUL.
 */
public final class RulTraining {

    /** The training knobs; {@link #defaults()} is what {@code twinworks train rul} uses. */
    public record Settings(int window, int epochs, int batchSize, double learningRate, long seed,
                           double validationFraction, double rulCap, int hidden) {
        public Settings {
            if (window < 1 || epochs < 1 || batchSize < 1 || hidden < 1) {
                throw new IllegalArgumentException("window, epochs, batchSize and hidden must be positive");
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validationFraction must be within (0, 1): " + validationFraction);
            }
            if (!(learningRate > 0) || !(rulCap > 0)) {
                throw new IllegalArgumentException("learningRate and rulCap must be positive");
            }
        }

        /** Window 30, 25 epochs, batch 256, Adam 1e-3, seed 42, 20 % of the units for validation, cap 125. */
        public static Settings defaults() {
            return new Settings(30, 25, 256, 1e-3, 42, 0.2, 125, 64);
        }
    }

    /** Receives progress: called after every mini-batch and at the end of each epoch. */
    public interface Progress {
        void batch(int epoch, int epochs, int batch, int batches);

        void epoch(int epoch, int epochs, double trainingLoss, double validationRmse);

        /** Draws a one-line progress bar on a terminal stream. */
        static Progress bar(PrintStream out) {
            return new Progress() {
                @Override
                public void batch(int epoch, int epochs, int batch, int batches) {
                    int width = 30;
                    int filled = (int) ((long) batch * width / batches);
                    out.printf(Locale.ROOT, "\repoch %3d/%d [%s%s] %3d%%", epoch, epochs,
                            "#".repeat(filled), ".".repeat(width - filled), batch * 100 / batches);
                    out.flush();
                }

                @Override
                public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                    out.printf(Locale.ROOT, "\repoch %3d/%d [%s] loss %.5f  validation RMSE %.2f cycles%n",
                            epoch, epochs, "#".repeat(30), trainingLoss, validationRmse);
                }
            };
        }
    }

    /** What a training run produced. */
    public record Result(RulModel model, Path directory, double validationRmse, double validationTestLikeRmse,
                         double validationTestLikeCappedRmse, double trainingRmse, List<Integer> validationUnits,
                         Duration took) {
    }

    /**
     * Dropout on the first layer (DL4J's retain probability) and L2 weight decay: without them the
     * MLP overfits FD001 (training RMSE 7.5, validation 16.5); with them validation is about 13.
     */
    static final double KEEP_PROBABILITY = 0.7;
    static final double L2 = 1e-3;

    private final Settings settings;
    private final List<String> inputs;

    /** @param inputs the columns used as model inputs (e.g. {@link CmapssData#FD001_SENSORS}) */
    public RulTraining(Settings settings, List<String> inputs) {
        this.settings = settings;
        this.inputs = List.copyOf(inputs);
        for (String input : inputs) {
            if (!CmapssData.COLUMNS.contains(input)) {
                throw new IllegalArgumentException("unknown input column '" + input + "'");
            }
        }
    }

    /**
     * Trains on {@code units}, evaluates on the held-out ones and saves the model as the next
     * version {@code <modelsDir>/<name>-<n>}.
     */
    public Result train(List<CmapssData.Unit> units, String name, Path modelsDir, Progress progress) throws IOException {
        Instant started = Instant.now();
        if (units.size() < 2) {
            throw new IllegalArgumentException("need at least 2 units (one for validation), got " + units.size());
        }
        List<CmapssData.Unit> shuffled = new ArrayList<>(units);
        Collections.shuffle(shuffled, new Random(settings.seed()));
        int validationCount = Math.max(1, (int) Math.round(units.size() * settings.validationFraction()));
        List<CmapssData.Unit> validation = shuffled.subList(0, validationCount);
        List<CmapssData.Unit> training = shuffled.subList(validationCount, shuffled.size());

        double[][] normalisation = normalisation(training);
        Properties metadata = new Properties();
        metadata.setProperty("name", name);
        metadata.setProperty("inputs", String.join(",", inputs));
        metadata.setProperty("window", String.valueOf(settings.window()));
        metadata.setProperty("inputMeans", join(normalisation[0]));
        metadata.setProperty("inputScales", join(normalisation[1]));
        metadata.setProperty("rulCap", String.valueOf(settings.rulCap()));
        metadata.setProperty("version", "0");
        RulModel model = new RulModel(network(), metadata);

        double[][] trainX = new double[0][];
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (CmapssData.Unit unit : training) {
            addWindows(model, unit, xs, ys);
        }
        trainX = xs.toArray(trainX);
        double[] trainY = ys.stream().mapToDouble(Double::doubleValue).toArray();
        int batches = (trainX.length + settings.batchSize() - 1) / settings.batchSize();
        Random shuffle = new Random(settings.seed());
        Integer[] order = new Integer[trainX.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double validationRmse = Double.NaN;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            Collections.shuffle(java.util.Arrays.asList(order), shuffle);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * settings.batchSize();
                int to = Math.min(trainX.length, from + settings.batchSize());
                int width = trainX[0].length;
                double[] xFlat = new double[(to - from) * width];
                double[] yFlat = new double[to - from];
                for (int i = from; i < to; i++) {
                    System.arraycopy(trainX[order[i]], 0, xFlat, (i - from) * width, width);
                    yFlat[i - from] = trainY[order[i]] / settings.rulCap();
                }
                INDArray x = Nd4j.create(xFlat, new long[] {to - from, width}, 'c');
                INDArray y = Nd4j.create(yFlat, new long[] {to - from, 1}, 'c');
                model.network().fit(x, y);
                lossSum += model.network().score();
                progress.batch(epoch, settings.epochs(), b + 1, batches);
            }
            validationRmse = allCyclesRmse(model, validation);
            progress.epoch(epoch, settings.epochs(), lossSum / batches, validationRmse);
        }
        double testLike = testLikeRmse(model, validation, false);
        double testLikeCapped = testLikeRmse(model, validation, true);
        double trainingRmse = allCyclesRmse(model, training);
        Duration took = Duration.between(started, Instant.now());

        int version = nextVersion(modelsDir, name);
        metadata.setProperty("version", String.valueOf(version));
        metadata.setProperty("trainedAt", Instant.now().toString());
        metadata.setProperty("trainingSeconds", String.valueOf(took.toSeconds()));
        metadata.setProperty("architecture", "MLP " + inputs.size() * settings.window() + "-" + settings.hidden() + "-"
                + settings.hidden() / 2 + "-1 (ReLU, Adam, dropout keep " + KEEP_PROBABILITY + " on layer 1, L2 " + L2 + ")");
        metadata.setProperty("epochs", String.valueOf(settings.epochs()));
        metadata.setProperty("batchSize", String.valueOf(settings.batchSize()));
        metadata.setProperty("learningRate", String.valueOf(settings.learningRate()));
        metadata.setProperty("seed", String.valueOf(settings.seed()));
        metadata.setProperty("trainingUnits", String.valueOf(training.size()));
        metadata.setProperty("validationUnits", validation.stream().map(u -> String.valueOf(u.id())).sorted(
                (a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))).collect(Collectors.joining(",")));
        metadata.setProperty("validationRmse", format(validationRmse));
        metadata.setProperty("validationTestLikeRmse", format(testLike));
        metadata.setProperty("validationTestLikeCappedRmse", format(testLikeCapped));
        metadata.setProperty("trainingRmse", format(trainingRmse));
        Path directory = modelsDir.resolve(name + "-" + version);
        RulModel saved = new RulModel(model.network(), metadata);
        saved.save(directory);
        return new Result(saved, directory, validationRmse, testLike, testLikeCapped, trainingRmse,
                validation.stream().map(CmapssData.Unit::id).sorted().toList(), took);
    }

    /** RMSE over every cycle of the units, against the capped RUL. */
    static double allCyclesRmse(RulModel model, List<CmapssData.Unit> units) {
        List<double[][]> histories = new ArrayList<>();
        List<Double> truth = new ArrayList<>();
        for (CmapssData.Unit unit : units) {
            for (int end = 0; end < unit.cycles(); end++) {
                histories.add(history(model, unit, end));
                truth.add(Math.min(unit.cycles() - 1 - end, model.rulCapValue()));
            }
        }
        return rmse(model.predict(histories), truth);
    }

    /** RMSE at the last cycle of seeded random cuts of each unit (10 per unit), like NASA's test files. */
    static double testLikeRmse(RulModel model, List<CmapssData.Unit> units, boolean capped) {
        Random random = new Random(7);
        List<double[][]> histories = new ArrayList<>();
        List<Double> truth = new ArrayList<>();
        for (CmapssData.Unit unit : units) {
            for (int k = 0; k < 10; k++) {
                int end = Math.min(unit.cycles() - 1, 30 + random.nextInt(Math.max(1, unit.cycles() - 30)));
                histories.add(history(model, unit, end));
                double rul = unit.cycles() - 1 - end;
                truth.add(capped ? Math.min(rul, model.rulCapValue()) : rul);
            }
        }
        return rmse(model.predict(histories), truth);
    }

    private void addWindows(RulModel model, CmapssData.Unit unit, List<double[]> xs, List<Double> ys) {
        for (int end = 0; end < unit.cycles(); end++) {
            xs.add(model.flatten(history(model, unit, end)));
            ys.add(Math.min(unit.cycles() - 1 - end, settings.rulCap()));
        }
    }

    /** The cycles of a unit up to and including {@code end}, restricted to the model's last window. */
    static double[][] history(RulModel model, CmapssData.Unit unit, int end) {
        int from = Math.max(0, end - model.window() + 1);
        double[][] history = new double[end - from + 1][];
        for (int i = from; i <= end; i++) {
            history[i - from] = unit.values(i, model.inputs());
        }
        return history;
    }

    private double[][] normalisation(List<CmapssData.Unit> units) {
        double[] sum = new double[inputs.size()];
        double[] sumSq = new double[inputs.size()];
        long n = 0;
        for (CmapssData.Unit unit : units) {
            for (int c = 0; c < unit.cycles(); c++) {
                double[] v = unit.values(c, inputs);
                for (int f = 0; f < v.length; f++) {
                    sum[f] += v[f];
                    sumSq[f] += v[f] * v[f];
                }
                n++;
            }
        }
        double[] means = new double[inputs.size()];
        double[] scales = new double[inputs.size()];
        for (int f = 0; f < means.length; f++) {
            means[f] = sum[f] / n;
            // A constant input gets scale 1 so it normalises to 0 instead of dividing by zero.
            double variance = sumSq[f] / n - means[f] * means[f];
            scales[f] = variance > 1e-12 ? Math.sqrt(variance) : 1.0;
        }
        return new double[][] {means, scales};
    }

    private MultiLayerNetwork network() {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .updater(new Adam(settings.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .l2(L2)
                .list()
                .layer(new DenseLayer.Builder().nIn(inputs.size() * settings.window()).nOut(settings.hidden())
                        .activation(Activation.RELU).dropOut(KEEP_PROBABILITY).build())
                .layer(new DenseLayer.Builder().nOut(Math.max(1, settings.hidden() / 2)).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }

    static int nextVersion(Path modelsDir, String name) throws IOException {
        if (!Files.isDirectory(modelsDir)) {
            return 1;
        }
        try (Stream<Path> entries = Files.list(modelsDir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(name + "-") && n.substring(name.length() + 1).matches("\\d+"))
                    .mapToInt(n -> Integer.parseInt(n.substring(name.length() + 1)))
                    .max().orElse(0) + 1;
        }
    }

    private static double rmse(double[] predicted, List<Double> truth) {
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - truth.get(i);
            sum += d * d;
        }
        return Math.sqrt(sum / predicted.length);
    }

    private static String join(double[] values) {
        return java.util.Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.9g", v)).collect(Collectors.joining(","));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
