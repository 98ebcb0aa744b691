package io.twinworks.analytics.ml;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** Causal exponential smoothing of a RUL model's inputs: what the window holds, how it is stored, what is refused. */
class RulSmoothingTest {

    @TempDir
    Path models;

    @Test
    void theRunInLetsTheStartingCycleWeighLessThanOnePercent() {
        assertThat(RulTraining.smoothingCycles(1)).isZero();
        assertThat(RulTraining.smoothingCycles(0.5)).isEqualTo(7); // 0.5^7 = 0.0078, 0.5^6 = 0.0156
        assertThat(RulTraining.smoothingCycles(0.2)).isEqualTo(21);
        assertThat(Math.pow(0.8, 21)).isLessThan(RulTraining.SMOOTHING_RESIDUE);
        assertThat(Math.pow(0.8, 20)).isGreaterThan(RulTraining.SMOOTHING_RESIDUE);
    }

    @Test
    void aSmoothedModelLooksAtItsWindowPlusTheRunInCycles() {
        RulModel smoothed = model(3, 0.5, 7);
        assertThat(smoothed.window()).isEqualTo(10);
        assertThat(model(3, 1, 0).window()).isEqualTo(3);
    }

    @Test
    void eachInputIsTheExponentialAverageOfItsPastAndNotOfItsFuture() {
        RulModel smoothed = model(3, 0.5, 7);
        // 20 cycles at 0 then a step to 8 in the last cycle: the window ends 0, 0, 0.5 * 8
        double[][] history = ramp(20, 0);
        history[19] = new double[] {8, 8};
        float[] encoded = smoothed.encode(history);
        assertThat(encoded).containsExactly(0f, 0f, 0f, 0f, 4f, 4f);
        // two steps of 8: 4, then 0.5 * 8 + 0.5 * 4 = 6
        history[18] = new double[] {8, 8};
        assertThat(smoothed.encode(history)).containsExactly(0f, 0f, 4f, 4f, 6f, 6f);
    }

    @Test
    void cyclesBeforeTheRunInDoNotChangeTheInput() {
        // the service and predict-rul keep only window() cycles: their input must be the one training saw
        RulModel smoothed = model(3, 0.5, 7);
        double[][] long1 = ramp(30, 1);
        double[][] long2 = ramp(30, 1);
        long2[5] = new double[] {1000, -1000};
        double[][] kept = Arrays.copyOfRange(long1, 30 - smoothed.window(), 30);
        assertThat(smoothed.encode(long2)).containsExactly(smoothed.encode(long1));
        assertThat(smoothed.encode(kept)).containsExactly(smoothed.encode(long1));
    }

    @Test
    void aShortHistoryIsPaddedWithItsFirstCycleSoTheAverageStartsThere() {
        RulModel smoothed = model(3, 0.5, 7);
        float[] encoded = smoothed.encode(new double[][] {{2, 2}, {4, 4}});
        // padded cycles and the first are 2; the last: 0.5 * 4 + 0.5 * 2 = 3
        assertThat(encoded).containsExactly(2f, 2f, 2f, 2f, 3f, 3f);
    }

    @Test
    void withoutSmoothingTheWindowHoldsTheRawCycles() {
        RulModel raw = model(3, 1, 0);
        assertThat(raw.encode(ramp(10, 1))).containsExactly(7f, 7f, 8f, 8f, 9f, 9f);
    }

    @Test
    void aTrainedSmoothedModelStoresItsSmoothingAndLoadsPredictingTheSame() throws Exception {
        List<CmapssData.Unit> units = CmapssData.read(MlTestData.excerpt());
        RulTraining.Settings settings = new RulTraining.Settings(RulTraining.Architecture.MLP, 4, 1, 64, 3e-3, 1, 0.25, 125, 8, 1, 1,
                RulTraining.UNLIMITED, 0.3);
        RulTraining.Result result = new RulTraining(settings, CmapssData.FD001_SENSORS).train(units, "rul-smooth", models, quiet());
        RulModel loaded = RulModel.load(result.directory());
        assertThat(loaded.property("smoothingAlpha")).isEqualTo("0.3");
        assertThat(loaded.property("smoothingCycles")).isEqualTo("13");
        assertThat(loaded.window()).isEqualTo(17);
        List<double[][]> histories = List.of(RulTraining.history(loaded, units.get(0), 60), RulTraining.history(loaded, units.get(1), 3));
        assertThat(histories.get(0).length).isEqualTo(17);
        assertThat(loaded.predict(histories)).containsExactly(result.model().predict(histories));
    }

    @Test
    void aSmoothingWeightOutsideZeroToOneIsRefusedInSettings() {
        for (double alpha : new double[] {0, -0.1, 1.5, Double.NaN}) {
            assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(RulTraining.Architecture.MLP, 30, 1, 64, 1e-3,
                    1, 0.2, 125, 8, 1, 1, Duration.ofMinutes(1), alpha)).withMessageContaining("smoothingAlpha");
        }
    }

    @Test
    void anArtefactWithABadSmoothingIsRefusedNamingTheProperty() throws Exception {
        Path zero = save("zero-1", 3, "0", "7");
        assertThatIOException().isThrownBy(() -> RulModel.load(zero)).withMessageContaining("smoothingAlpha must be within (0, 1], is 0.0");
        Path noRunIn = save("norunin-1", 3, "0.5", "0");
        assertThatIOException().isThrownBy(() -> RulModel.load(noRunIn)).withMessageContaining("smoothingCycles must be positive");
        Path negative = save("negative-1", 3, "1", "-2");
        assertThatIOException().isThrownBy(() -> RulModel.load(negative)).withMessageContaining("smoothingCycles");
        Path text = save("text-1", 3, "half", "7");
        assertThatIOException().isThrownBy(() -> RulModel.load(text)).withMessageContaining("half");
    }

    @Test
    void anArtefactWithSmoothingLoadsWithItsWindowAndPredictsAsTheModelItWasSavedFrom() throws Exception {
        MultiLayerNetwork network = network(3);
        network.params().assign(0.01); // every weight positive: positive inputs give a positive RUL, not the floor of 0
        Path good = save("good-1", network, "0.5", "7");
        RulModel loaded = RulModel.load(good);
        assertThat(loaded.window()).isEqualTo(10);
        RulModel original = new RulModel(network, metadata(3, "0.5", "7"));
        List<double[][]> histories = List.of(ramp(12, 1), ramp(4, 2));
        assertThat(loaded.predict(histories)).containsExactly(original.predict(histories)).doesNotContain(0.0);
        assertThat(loaded.predict(histories)).isNotEqualTo(new RulModel(network, metadata(3, "1", "0")).predict(histories));
    }

    /** A model over inputs a and b (mean 0, scale 1, so the encoding shows the smoothed values) with one linear network. */
    private static RulModel model(int window, double alpha, int runIn) {
        return new RulModel(network(window), metadata(window, String.valueOf(alpha), String.valueOf(runIn)));
    }

    private static MultiLayerNetwork network(int window) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2 * window).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();
        return network;
    }

    private static Properties metadata(int window, String alpha, String runIn) {
        Properties metadata = new Properties();
        metadata.setProperty("name", "rul-smooth");
        metadata.setProperty("version", "1");
        metadata.setProperty("inputs", "s2,s3");
        metadata.setProperty("window", String.valueOf(window));
        metadata.setProperty("inputMeans", "0,0");
        metadata.setProperty("inputScales", "1,1");
        metadata.setProperty("rulCap", "125");
        metadata.setProperty("smoothingAlpha", alpha);
        metadata.setProperty("smoothingCycles", runIn);
        return metadata;
    }

    /** Writes a valid model with the given smoothing properties (written as they are, not validated). */
    private Path save(String name, int window, String alpha, String runIn) throws IOException {
        return save(name, network(window), alpha, runIn);
    }

    private Path save(String name, MultiLayerNetwork network, String alpha, String runIn) throws IOException {
        Path directory = models.resolve(name);
        new RulModel(network, metadata(network.layerInputSize(0) / 2, "1", "0")).save(directory);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.load(in);
        }
        properties.setProperty("smoothingAlpha", alpha);
        properties.setProperty("smoothingCycles", runIn);
        try (OutputStream out = Files.newOutputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.store(out, null);
        }
        return directory;
    }

    /** {@code cycles} cycles whose two inputs both equal the cycle index times {@code slope}. */
    private static double[][] ramp(int cycles, double slope) {
        double[][] history = new double[cycles][];
        for (int c = 0; c < cycles; c++) {
            history[c] = new double[] {c * slope, c * slope};
        }
        return history;
    }

    private static RulTraining.Progress quiet() {
        return new RulTraining.Progress() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches) {
            }

            @Override
            public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
            }
        };
    }
}
