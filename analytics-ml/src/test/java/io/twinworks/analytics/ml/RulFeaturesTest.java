package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The MLP's summary inputs (age, slopes), how they are stored and refused, and early stopping on training units only. */
class RulFeaturesTest {

    @TempDir
    Path models;

    @Test
    void theAgeIsTheLastCyclesNumberZScoredAndItsInputIsNotWindowed() {
        // inputs s2, cycle; cycle has mean 100 and scale 50: cycle 150 encodes as 1
        RulModel model = model(3, "age", "s2,cycle", "0,100", "1,50");
        double[][] history = {{1, 148}, {2, 149}, {3, 150}};
        assertThat(model.encode(history)).containsExactly(1f, 2f, 3f, 1f);
    }

    @Test
    void theSlopeIsTheLeastSquaresChangeOverTheWindow() {
        RulModel model = model(4, "slope", "s2,s3", "0,0", "1,1");
        // s2 rises by 2 per cycle (6 over the 3-cycle span), s3 is constant
        double[][] history = {{0, 5}, {2, 5}, {4, 5}, {6, 5}};
        float[] encoded = model.encode(history);
        assertThat(encoded).hasSize(2 * 4 + 2);
        assertThat(encoded[8]).isCloseTo(6f, within(1e-5f));
        assertThat(encoded[9]).isZero();
    }

    @Test
    void aNoisySeriesHasTheSlopeOfItsLeastSquaresLineNotOfItsEnds() {
        RulModel model = model(4, "slope", "s2", "0", "1");
        // least squares over t = 0..3 of 0, 3, 0, 3: slope 0.6 per cycle, 1.8 over the span; the ends say 3
        float[] encoded = model.encode(new double[][] {{0}, {3}, {0}, {3}});
        assertThat(encoded[4]).isCloseTo(1.8f, within(1e-5f));
    }

    @Test
    void aHistoryShorterThanTheWindowIsPaddedSoItsSlopeIsTheLeastSquaresSlopeOfThePaddedWindow() {
        RulModel model = model(4, "age,slope", "s2,cycle", "0,0", "1,1");
        // one cycle: padded to four equal cycles, slope 0; the age is the one cycle's number
        assertThat(model.encode(new double[][] {{7, 1}})).containsExactly(7f, 7f, 7f, 7f, 1f, 0f);
        // two cycles: 1, 1, 1, 4 -> least-squares slope 0.9 per cycle, 2.7 over the span
        float[] two = model.encode(new double[][] {{1, 1}, {4, 2}});
        assertThat(two[4]).isEqualTo(2f);
        assertThat(two[5]).isCloseTo(2.7f, within(1e-5f));
    }

    @Test
    void aOneCycleWindowHasSlopeZero() {
        RulModel model = model(1, "slope", "s2", "0", "1");
        assertThat(model.encode(new double[][] {{1}, {9}})).containsExactly(9f, 0f);
    }

    @Test
    void aModelWithoutFeaturesEncodesTheWindowAlone() {
        RulModel model = model(2, "", "s2,cycle", "0,0", "1,1");
        assertThat(model.features()).isEmpty();
        assertThat(model.encode(new double[][] {{1, 10}, {2, 11}})).containsExactly(1f, 10f, 2f, 11f);
    }

    @Test
    void anAgeModelWithoutTheCycleInputIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> model(3, "age", "s2,s3", "0,0", "1,1"))
                .withMessageContaining("the age feature needs the input 'cycle'");
    }

    @Test
    void anAgeModelWhoseOnlyInputIsTheCycleIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> model(3, "age", "cycle", "0", "1"))
                .withMessageContaining("at least one windowed input");
    }

    @Test
    void featuresOnASequenceLayoutAreRefused() {
        Properties metadata = TinyRulModels.metadata("rul-features", 3, "slope", "s2", "0", "1");
        metadata.setProperty("inputLayout", "sequence");
        assertThatIllegalArgumentException().isThrownBy(() -> new RulModel(TinyRulModels.linearNetwork(4), metadata))
                .withMessageContaining("need the flat input layout, not sequence");
    }

    @Test
    void anArtefactOfALaterVersionWithAnUnknownFeatureIsRefusedNamingIt() throws Exception {
        Path directory = models.resolve("future-1");
        new RulModel(TinyRulModels.linearNetwork(4), TinyRulModels.metadata("rul-features", 3, "age", "s2,cycle", "0,0", "1,1")).save(directory);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.load(in);
        }
        properties.setProperty("features", "age,curvature");
        try (OutputStream out = Files.newOutputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.store(out, null);
        }
        assertThatIOException().isThrownBy(() -> RulModel.load(directory))
                .withMessageContaining("unknown feature 'curvature' (this version reads age, baseline and slope)");
    }

    @Test
    void featuresAreForTheMlpOnlyAndTheStoppingShareMustLeaveTrainingData() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(RulTraining.Architecture.CNN, Set.of(RulModel.Feature.AGE), 0))
                .withMessageContaining("for the MLP only, not cnn");
        for (double share : new double[] {-0.1, 1, Double.NaN}) {
            assertThatIllegalArgumentException().isThrownBy(() -> settings(RulTraining.Architecture.MLP, Set.of(), share))
                    .withMessageContaining("stoppingFraction");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> settings(RulTraining.Architecture.MLP, null, 0))
                .withMessageContaining("features is required");
    }

    @Test
    void eachMemberStopsOnADifferentSliceOfTheTrainingUnitsAndTrainsOnTheRest() throws Exception {
        List<CmapssData.Unit> training = CmapssData.read(MlTestData.excerpt());
        Set<Integer> stoppedOn = new HashSet<>();
        for (int member = 0; member < 4; member++) {
            RulTraining.Split split = RulTraining.stoppingSplit(training, 42, 0.25, member);
            assertThat(split.validation()).hasSize(1);
            assertThat(split.training()).hasSize(3).doesNotContainAnyElementsOf(split.validation());
            stoppedOn.add(split.validation().get(0).id());
        }
        assertThat(stoppedOn).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(RulTraining.stoppingSplit(training, 42, 0.25, 4).validation())
                .isEqualTo(RulTraining.stoppingSplit(training, 42, 0.25, 0).validation());
    }

    @Test
    void withoutAStoppingShareEveryTrainingUnitIsTrainedOn() throws Exception {
        List<CmapssData.Unit> training = CmapssData.read(MlTestData.excerpt());
        RulTraining.Split split = RulTraining.stoppingSplit(training, 42, 0, 0);
        assertThat(split.training()).isEqualTo(training);
        assertThat(split.validation()).isEmpty();
    }

    @Test
    void aStoppingShareThatLeavesNothingToTrainOnIsRefused() throws Exception {
        List<CmapssData.Unit> one = CmapssData.read(MlTestData.excerpt()).subList(0, 1);
        assertThatIllegalArgumentException().isThrownBy(() -> RulTraining.stoppingSplit(one, 42, 0.1, 0))
                .withMessageContaining("leaves no unit to train on");
    }

    @Test
    void aTrainedAgeAndSlopeModelReadsTheCycleAndLoadsPredictingTheSame() throws Exception {
        List<CmapssData.Unit> units = CmapssData.read(MlTestData.excerpt());
        RulTraining.Settings settings = new RulTraining.Settings(RulTraining.Architecture.MLP, 5, 2, 64, 3e-3, 1, 0.25, 125, 8, 2, 1,
                RulTraining.UNLIMITED, 0.5, Set.of(RulModel.Feature.AGE, RulModel.Feature.SLOPE), 0.4);
        List<Double> stoppingRmses = new java.util.ArrayList<>();
        RulTraining.Result result = new RulTraining(settings, List.of("s2", "s3", "s4")).train(units, "rul-features", models,
                new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double stoppingRmse) {
                        stoppingRmses.add(stoppingRmse);
                    }
                });
        RulModel loaded = RulModel.load(result.directory());
        assertThat(loaded.inputs()).containsExactly("s2", "s3", "s4", "cycle");
        assertThat(loaded.features()).containsExactly(RulModel.Feature.AGE, RulModel.Feature.SLOPE);
        assertThat(loaded.property("features")).isEqualTo("age,slope");
        assertThat(loaded.encodedSize()).isEqualTo(3 * 5 + 1 + 3);
        assertThat(stoppingRmses).isNotEmpty().allSatisfy(rmse -> assertThat(rmse).isFinite());
        List<RulPrediction.UnitRul> predicted = RulPrediction.atLastCycle(loaded, units);
        assertThat(predicted).extracting(RulPrediction.UnitRul::rul)
                .containsExactlyElementsOf(RulPrediction.atLastCycle(result.model(), units).stream().map(RulPrediction.UnitRul::rul).toList());
    }

    @Test
    void withoutEarlyStoppingEveryEpochIsTrainedAndTheLastKept() throws Exception {
        List<CmapssData.Unit> units = CmapssData.read(MlTestData.excerpt());
        RulTraining.Settings settings = new RulTraining.Settings(RulTraining.Architecture.MLP, 4, 3, 64, 3e-3, 1, 0.25, 125, 8, 1, 1,
                RulTraining.UNLIMITED, 1, Set.of(), 0);
        List<Double> stoppingRmses = new java.util.ArrayList<>();
        RulTraining.Result result = new RulTraining(settings, CmapssData.FD001_SENSORS).train(units, "rul-all-epochs", models,
                new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double stoppingRmse) {
                        stoppingRmses.add(stoppingRmse);
                    }
                });
        assertThat(result.bestEpochs()).containsExactly(3);
        assertThat(stoppingRmses).hasSize(3).allSatisfy(rmse -> assertThat(rmse).isNaN());
    }

    private static RulTraining.Settings settings(RulTraining.Architecture architecture, Set<RulModel.Feature> features, double stopping) {
        return new RulTraining.Settings(architecture, 30, 1, 64, 1e-3, 1, 0.2, 125, 8, 1, 1, RulTraining.UNLIMITED, 1, features, stopping);
    }

    /** A model with mean/scale as given and a linear network whose input width matches the encoding. */
    private static RulModel model(int window, String features, String inputs, String means, String scales) {
        Properties metadata = TinyRulModels.metadata("rul-features", window, features, inputs, means, scales);
        int windowed = inputs.split(",").length - (features.contains("age") ? 1 : 0);
        int width = windowed * window + (features.contains("age") ? 1 : 0) + (features.contains("slope") ? windowed : 0);
        return new RulModel(TinyRulModels.linearNetwork(Math.max(1, width)), metadata);
    }
}
