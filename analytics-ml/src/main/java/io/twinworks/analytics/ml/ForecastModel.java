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

import java.util.Collections;
import java.util.Objects;
import java.util.Random;

/**
 * The learned part of the anomaly detector: a small DL4J network that forecasts the next value of a
 * signal from its last {@link #window()} values, trained on normal operation only. Inputs and output
 * are in the asset's own standardised units (value minus the mean of its normal operation, divided by
 * its standard deviation), so one model can serve every asset that shares a signal: it learns the
 * signal's dynamics, the caller supplies each asset's level and spread.
 *
 * <p>An anomaly is a reading the model did not expect: the caller compares the forecast error with
 * {@link #residualRmse()}, the error the model makes on its normal training data.
 *
 * <p>Thread-safe for {@link #predict}: DL4J's {@code output} is synchronised per network.
 */
public final class ForecastModel {

    /** Standardised values are clipped to this magnitude so one wild reading cannot swamp the network. */
    public static final double CLIP = 10.0;
    /** Gradient steps a training run takes at least (more epochs when there are few windows). */
    static final int MIN_STEPS = 300;

    /**
     * Training settings.
     *
     * @param window       values one forecast looks at
     * @param hidden       units of the hidden layer (tanh)
     * @param epochs       passes over the training windows (more if that gives fewer than 300 steps)
     * @param batchSize    windows per gradient step
     * @param learningRate Adam's step size
     * @param seed         weight initialisation and shuffling
     */
    public record Settings(int window, int hidden, int epochs, int batchSize, double learningRate, long seed) {
        /** Window 12, 16 hidden units, 20 epochs, batch 64, Adam 0.005, seed 42 (one setting for every signal and file). */
        public static final Settings DEFAULTS = new Settings(12, 16, 20, 64, 0.005, 42);

        public Settings {
            if (window < 2 || hidden < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("invalid forecast settings: " + window + "/" + hidden + "/" + epochs
                        + "/" + batchSize + "/" + learningRate);
            }
        }
    }

    private final MultiLayerNetwork network;
    private final int window;
    private final double residualRmse;
    private final int trainingWindows;

    private ForecastModel(MultiLayerNetwork network, int window, double residualRmse, int trainingWindows) {
        this.network = network;
        this.window = window;
        this.residualRmse = residualRmse;
        this.trainingWindows = trainingWindows;
    }

    /**
     * Trains a forecaster on standardised windows of normal operation.
     *
     * @param windows each the last {@code settings.window()} standardised values, oldest first
     * @param targets the standardised value that followed each window
     * @throws IllegalArgumentException with fewer than 10 windows or mismatched shapes
     */
    public static ForecastModel train(double[][] windows, double[] targets, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        if (windows.length != targets.length) {
            throw new IllegalArgumentException(windows.length + " windows but " + targets.length + " targets");
        }
        if (windows.length < 10) {
            throw new IllegalArgumentException("at least 10 training windows are needed, got " + windows.length);
        }
        int width = settings.window();
        for (double[] w : windows) {
            if (w.length != width) {
                throw new IllegalArgumentException("a window needs " + width + " values, got " + w.length);
            }
        }
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .updater(new Adam(settings.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .l2(1e-4)
                .list()
                .layer(new DenseLayer.Builder().nIn(width).nOut(settings.hidden()).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        Random shuffle = new Random(settings.seed());
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < windows.length; i++) {
            order.add(i);
        }
        // A short probation gives few windows: at least MIN_STEPS gradient steps, whatever the data size.
        int batchesPerEpoch = (windows.length + settings.batchSize() - 1) / settings.batchSize();
        int epochs = Math.max(settings.epochs(), (MIN_STEPS + batchesPerEpoch - 1) / batchesPerEpoch);
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(order, shuffle);
            for (int from = 0; from < order.size(); from += settings.batchSize()) {
                int to = Math.min(order.size(), from + settings.batchSize());
                double[] x = new double[(to - from) * width];
                double[] y = new double[to - from];
                for (int i = from; i < to; i++) {
                    int k = order.get(i);
                    for (int t = 0; t < width; t++) {
                        x[(i - from) * width + t] = clip(windows[k][t]);
                    }
                    y[i - from] = clip(targets[k]);
                }
                network.fit(Nd4j.create(x, new long[] {to - from, width}, 'c'), Nd4j.create(y, new long[] {to - from, 1}, 'c'));
            }
        }
        ForecastModel untested = new ForecastModel(network, width, Double.NaN, windows.length);
        double[] forecasts = untested.predict(windows);
        double sum = 0;
        for (int i = 0; i < forecasts.length; i++) {
            double error = forecasts[i] - clip(targets[i]);
            sum += error * error;
        }
        return new ForecastModel(network, width, Math.sqrt(sum / forecasts.length), windows.length);
    }

    /** Forecasts the next standardised value after each window, in one batched call. */
    public double[] predict(double[][] windows) {
        if (windows.length == 0) {
            return new double[0];
        }
        double[] x = new double[windows.length * window];
        for (int i = 0; i < windows.length; i++) {
            if (windows[i].length != window) {
                throw new IllegalArgumentException("a window needs " + window + " values, got " + windows[i].length);
            }
            for (int t = 0; t < window; t++) {
                x[i * window + t] = clip(windows[i][t]);
            }
        }
        INDArray output = network.output(Nd4j.create(x, new long[] {windows.length, window}, 'c'), false);
        double[] forecasts = new double[windows.length];
        for (int i = 0; i < forecasts.length; i++) {
            forecasts[i] = output.getDouble(i, 0);
        }
        return forecasts;
    }

    /**
     * Writes the network (DL4J {@code ModelSerializer}, without updater state: the model is frozen)
     * to {@code networkFile}. The residual RMSE and window are the caller's metadata to keep.
     */
    public void writeNetwork(java.nio.file.Path networkFile) throws java.io.IOException {
        org.deeplearning4j.util.ModelSerializer.writeModel(network, networkFile.toFile(), false);
    }

    /**
     * Reads a network written by {@link #writeNetwork} back as a forecaster.
     *
     * @param residualRmse    the model's error on its training windows, as recorded when it was saved
     * @param trainingWindows windows it was trained on, as recorded
     * @param expected        the settings the caller scores with: the network must take {@code window}
     *                        inputs through {@code hidden} units to one output
     * @throws java.io.IOException when the file is missing, not a DL4J model, or of another shape
     */
    public static ForecastModel readNetwork(java.nio.file.Path networkFile, double residualRmse, int trainingWindows, Settings expected)
            throws java.io.IOException {
        if (!(residualRmse >= 0) || !Double.isFinite(residualRmse) || trainingWindows < 1) {
            throw new java.io.IOException("invalid forecaster metadata: residual RMSE " + residualRmse + ", " + trainingWindows + " training windows");
        }
        MultiLayerNetwork network;
        try {
            network = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(networkFile.toFile(), false);
        } catch (java.io.IOException e) {
            throw e;
        } catch (RuntimeException e) {
            // a truncated or foreign zip surfaces as ND4J/Jackson runtime exceptions
            throw new java.io.IOException(networkFile + " is not a DL4J network: " + e, e);
        }
        if (network.getnLayers() != 2
                || !(network.getLayerWiseConfigurations().getConf(0).getLayer() instanceof DenseLayer first)
                || !(network.getLayerWiseConfigurations().getConf(1).getLayer() instanceof OutputLayer last)
                || first.getNIn() != expected.window() || first.getNOut() != expected.hidden() || last.getNOut() != 1) {
            throw new java.io.IOException(networkFile + " is not a forecaster of window " + expected.window() + " with "
                    + expected.hidden() + " hidden units");
        }
        return new ForecastModel(network, expected.window(), residualRmse, trainingWindows);
    }

    /** Values one forecast looks at. */
    public int window() {
        return window;
    }

    /** Root-mean-square forecast error on the training windows, in standardised units. */
    public double residualRmse() {
        return residualRmse;
    }

    /** Windows the model was trained on. */
    public int trainingWindows() {
        return trainingWindows;
    }

    /**
     * The training windows of a standardised series: every run of {@code window} consecutive values
     * with the value that followed it as target.
     *
     * @return {@code [windows, targets]}; windows is {@code double[n][window]}, targets {@code double[1][n]}
     */
    public static double[][][] trainingSet(double[] series, int window) {
        int n = Math.max(0, series.length - window);
        double[][] windows = new double[n][];
        double[][] targets = new double[1][n];
        for (int i = 0; i < n; i++) {
            windows[i] = java.util.Arrays.copyOfRange(series, i, i + window);
            targets[0][i] = series[i + window];
        }
        return new double[][][] {windows, targets};
    }

    /** Clips a standardised value to ±{@link #CLIP}. */
    public static double clip(double standardised) {
        return Math.max(-CLIP, Math.min(CLIP, standardised));
    }
}
