package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The baseline feature: each engine's wear relative to its own first cycles, how histories carry them, and refusals. */
class RulBaselineTest {

    @TempDir
    Path models;

    @Test
    void theBaselineInputIsTheLastValueMinusTheMeanOfTheEnginesFirstCycles() {
        // window 2, baseline over the first 2 cycles; s2 = 1, 3, 5, 9: baseline 2, last 9 -> 7; s3 constant -> 0
        RulModel model = model(2, 2, "s2,s3,cycle", "0,0,0", "1,1,1", "0,0");
        float[] encoded = model.encode(new double[][] {{1, 4, 1}, {3, 4, 2}, {5, 4, 3}, {9, 4, 4}});
        // window (s2, s3) x 2, age, baseline (s2, s3)
        assertThat(encoded).containsExactly(5f, 4f, 9f, 4f, 4f, 7f, 0f);
    }

    @Test
    void theBaselineIsInTrainingDeviations() {
        // s2 has mean 10 and scale 2: baseline raw 12 -> 1, last raw 16 -> 3: 2 deviations above the baseline
        RulModel model = model(1, 1, "s2,cycle", "10,0", "2,1", "0");
        float[] encoded = model.encode(new double[][] {{12, 1}, {16, 2}});
        assertThat(encoded[encoded.length - 1]).isCloseTo(2f, within(1e-6f));
    }

    @Test
    void aHistoryShorterThanTheBaselineAveragesEveryCycleItHas() {
        RulModel model = model(2, 30, "s2,cycle", "0,0", "1,1", "100");
        // one cycle: padded window 6, 6; baseline 6 -> 0 (not the training mean 100)
        assertThat(model.encode(new double[][] {{6, 1}})).containsExactly(6f, 6f, 1f, 0f);
        // three cycles: baseline (2 + 4 + 9) / 3 = 5, last 9 -> 4
        float[] three = model.encode(new double[][] {{2, 1}, {4, 2}, {9, 3}});
        assertThat(three[three.length - 1]).isCloseTo(4f, within(1e-6f));
    }

    @Test
    void aConstantSensorHasBaselineZeroWhateverItsLevel() {
        RulModel model = model(3, 2, "s2,s3,cycle", "500,0,0", "1,1,1", "0,0");
        float[] encoded = model.encode(new double[][] {{500, 1, 1}, {500, 2, 2}, {500, 3, 3}, {500, 4, 4}});
        assertThat(encoded[encoded.length - 2]).isZero();
    }

    @Test
    void aHistoryThatDoesNotStartAtTheFirstCycleGetsTheTrainingEnginesMeanBaseline() {
        // the first cycles were not seen (a service started mid-life): the stored mean baseline 3 is used, not cycle 40's value 0
        RulModel model = model(2, 2, "s2,cycle", "0,0", "1,1", "3");
        float[] encoded = model.encode(new double[][] {{0, 40}, {0, 41}, {5, 42}});
        assertThat(encoded[encoded.length - 1]).isCloseTo(2f, within(1e-6f));
    }

    @Test
    void theFirstCyclesAndTheLastWindowMayHaveAGapBetweenThem() {
        RulModel model = model(2, 2, "s2,cycle", "0,0", "1,1", "0");
        double[][] gap = {{1, 1}, {3, 2}, {20, 99}, {30, 100}};
        assertThat(model.encode(gap)).containsExactly(20f, 30f, 100f, 28f);
    }

    @Test
    void aTrainingHistoryIsTheEnginesFirstCyclesThenItsLastWindow() throws Exception {
        CmapssData.Unit unit = CmapssData.read(MlTestData.excerpt()).get(0);
        RulModel model = model(5, 3, "s2,cycle", "0,0", "1,1", "0");
        double[][] late = RulTraining.history(model, unit, 100);
        assertThat(late.length).isEqualTo(3 + 5);
        assertThat(late[0][1]).isEqualTo(1);
        assertThat(late[2][1]).isEqualTo(3);
        assertThat(late[3][1]).isEqualTo(97);
        assertThat(late[7][1]).isEqualTo(101);
        // early on the first cycles are part of the window and not repeated
        double[][] early = RulTraining.history(model, unit, 5);
        assertThat(early.length).isEqualTo(6);
        assertThat(java.util.Arrays.stream(early).mapToDouble(c -> c[1]).toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aBaselineModelWithoutTheAgeFeatureIsRefused() {
        Properties metadata = metadata(2, 2, "s2,s3", "0,0", "1,1", "0,0");
        metadata.setProperty("features", "baseline");
        assertThatIllegalArgumentException().isThrownBy(() -> new RulModel(TinyRulModels.linearNetwork(6), metadata))
                .withMessageContaining("the baseline feature needs the age feature");
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(RulTraining.Architecture.MLP, 30, 1, 64, 1e-3, 1,
                0.2, 125, 8, 1, 1, RulTraining.UNLIMITED, 1, Set.of(RulModel.Feature.BASELINE), 0))
                .withMessageContaining("the baseline feature needs the age feature");
    }

    @Test
    void aBaselineModelWithoutItsCyclesOrMeansIsRefusedOnLoad() throws Exception {
        Path directory = models.resolve("baseline-1");
        new RulModel(TinyRulModels.linearNetwork(2 * 2 + 1 + 2), metadata(2, 2, "s2,s3,cycle", "0,0,0", "1,1,1", "0,0")).save(directory);
        rewrite(directory, "baselineCycles", null);
        assertThatIOException().isThrownBy(() -> RulModel.load(directory)).withMessageContaining("baselineCycles of at least 1");
        rewrite(directory, "baselineCycles", "0");
        assertThatIOException().isThrownBy(() -> RulModel.load(directory)).withMessageContaining("baselineCycles of at least 1");
        rewrite(directory, "baselineCycles", "2");
        rewrite(directory, "baselineMeans", "0");
        assertThatIOException().isThrownBy(() -> RulModel.load(directory))
                .withMessageContaining("baselineMeans for the 2 windowed inputs, has 1");
        rewrite(directory, "baselineMeans", null);
        assertThatIOException().isThrownBy(() -> RulModel.load(directory))
                .withMessageContaining("baselineMeans for the 2 windowed inputs, has 0");
    }

    @Test
    void aCycleOfTheWrongWidthAmongTheFirstCyclesIsRefused() {
        RulModel model = model(1, 3, "s2,cycle", "0,0", "1,1", "0");
        assertThatIllegalArgumentException().isThrownBy(() -> model.encode(new double[][] {{1, 1}, {2}, {3, 3}}))
                .withMessageContaining("a cycle needs 2 values, got 1");
    }

    @Test
    void aTrainedBaselineModelStoresItsBaselineAndLoadsPredictingTheSame() throws Exception {
        List<CmapssData.Unit> units = CmapssData.read(MlTestData.excerpt());
        RulTraining.Settings settings = new RulTraining.Settings(RulTraining.Architecture.MLP, 5, 2, 64, 3e-3, 1, 0.25, 125, 8, 1, 2,
                RulTraining.UNLIMITED, 0.5, Set.of(RulModel.Feature.AGE, RulModel.Feature.SLOPE, RulModel.Feature.BASELINE), 0);
        RulTraining.Result result = new RulTraining(settings, List.of("s2", "s3")).train(units, "rul-baseline", models,
                new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double stoppingRmse) {
                    }
                });
        RulModel loaded = RulModel.load(result.directory());
        assertThat(loaded.property("features")).isEqualTo("age,slope,baseline");
        assertThat(loaded.baselineCycles()).isEqualTo(RulTraining.BASELINE_CYCLES);
        assertThat(loaded.encodedSize()).isEqualTo(2 * 5 + 1 + 2 + 2);
        // the stored mean baseline is the training units' mean of their first cycles, in the inputs' own units
        List<CmapssData.Unit> training = RulTraining.split(units, 1, 0.25, 0).training();
        double expected = training.stream().mapToDouble(u -> java.util.stream.IntStream.range(0, RulTraining.BASELINE_CYCLES)
                .mapToDouble(c -> u.values(c, List.of("s2"))[0]).average().orElseThrow()).average().orElseThrow();
        assertThat(RulModel.parse(loaded.property("baselineMeans"))[0]).isCloseTo(expected, within(1e-6));
        assertThat(RulPrediction.atLastCycle(loaded, units)).extracting(RulPrediction.UnitRul::rul)
                .containsExactlyElementsOf(RulPrediction.atLastCycle(result.model(), units).stream().map(RulPrediction.UnitRul::rul).toList());
    }

    private static void rewrite(Path directory, String key, String value) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.load(in);
        }
        if (value == null) {
            properties.remove(key);
        } else {
            properties.setProperty(key, value);
        }
        try (OutputStream out = Files.newOutputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.store(out, null);
        }
    }

    /** An age, baseline model (no slope) with a linear network whose input width matches the encoding. */
    private static RulModel model(int window, int baselineCycles, String inputs, String means, String scales, String baselineMeans) {
        int windowed = inputs.split(",").length - 1;
        Properties metadata = metadata(window, baselineCycles, inputs, means, scales, baselineMeans);
        return new RulModel(TinyRulModels.linearNetwork(windowed * window + 1 + windowed), metadata);
    }

    private static Properties metadata(int window, int baselineCycles, String inputs, String means, String scales, String baselineMeans) {
        Properties metadata = TinyRulModels.metadata("rul-baseline", window, "age,baseline", inputs, means, scales);
        metadata.setProperty("baselineCycles", String.valueOf(baselineCycles));
        metadata.setProperty("baselineMeans", baselineMeans);
        return metadata;
    }
}
