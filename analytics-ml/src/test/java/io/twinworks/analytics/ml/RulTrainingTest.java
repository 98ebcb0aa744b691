package io.twinworks.analytics.ml;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tiny models on four engines: proves the mechanics (split, versioning, metrics, round trip), not accuracy. */
class RulTrainingTest {

    private static final RulTraining.Settings TINY = new RulTraining.Settings(5, 15, 64, 3e-3, 1, 0.25, 125, 16);

    @TempDir
    static Path models;
    static List<CmapssData.Unit> units;
    static RulTraining.Result result;
    static final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void trainOnce() throws Exception {
        units = CmapssData.read(MlTestData.excerpt());
        result = new RulTraining(TINY, CmapssData.FD001_SENSORS).train(units, "rul-test", models, new RulTraining.Progress() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches) {
            }

            @Override
            public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                progress.add(epoch + "/" + epochs);
            }
        });
    }

    @Test
    void wholeUnitsAreHeldOutAndTheModelIsSavedAsVersionOneWithItsMetrics() throws Exception {
        assertThat(result.validationUnits()).hasSize(1);
        assertThat(result.directory()).isEqualTo(models.resolve("rul-test-1"));
        assertThat(Files.exists(result.directory().resolve("model.zip"))).isTrue();
        RulModel loaded = RulModel.load(result.directory());
        assertThat(loaded.version()).isEqualTo("1");
        assertThat(loaded.property("validationUnits")).isEqualTo(String.valueOf(result.validationUnits().get(0)));
        assertThat(Double.parseDouble(loaded.property("validationRmse"))).isEqualTo(result.validationRmse(), org.assertj.core.api.Assertions.within(1e-3));
        assertThat(loaded.property("seed")).isEqualTo("1");
        assertThat(progress).hasSize(15).endsWith("15/15");
    }

    @Test
    void aLoadedModelPredictsWhatTheTrainedOneDid() throws Exception {
        RulModel loaded = RulModel.load(result.directory());
        List<double[][]> histories = List.of(RulTraining.history(loaded, units.get(0), 50), RulTraining.history(loaded, units.get(1), 10));
        assertThat(loaded.predict(histories)).containsExactly(result.model().predict(histories));
    }

    @Test
    void theModelHasLearnedThatEnginesNearFailureHaveLessLifeLeft() {
        CmapssData.Unit trainingUnit = units.stream().filter(u -> !result.validationUnits().contains(u.id())).findFirst().orElseThrow();
        double early = RulPrediction.atLastCycle(result.model(), List.of(cut(trainingUnit, 20))).get(0).rul();
        double late = RulPrediction.atLastCycle(result.model(), List.of(trainingUnit)).get(0).rul();
        assertThat(early).isGreaterThan(late + 30);
    }

    @Test
    void aShortHistoryIsPaddedAndAWrongCycleWidthIsRefused() {
        RulModel model = result.model();
        assertThat(model.predict(List.<double[][]>of(new double[][] {units.get(0).values(0, model.inputs())}))[0]).isNotNegative();
        assertThatIllegalArgumentException().isThrownBy(() -> model.predict(List.<double[][]>of(new double[][] {{1.0, 2.0}})));
        assertThatIllegalArgumentException().isThrownBy(() -> model.predict(List.<double[][]>of(new double[0][])));
    }

    @Test
    void aSecondRunBecomesTheNextVersion() throws Exception {
        assertThat(RulTraining.nextVersion(models, "rul-test")).isEqualTo(2);
        assertThat(RulTraining.nextVersion(models, "other")).isEqualTo(1);
        assertThat(RulTraining.nextVersion(models.resolve("missing"), "rul-test")).isEqualTo(1);
    }

    @Test
    void invalidSettingsAndUnknownInputsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(0, 1, 1, 1e-3, 1, 0.2, 125, 8));
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(5, 1, 1, 1e-3, 1, 1.0, 125, 8));
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining(TINY, List.of("s99")));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new RulTraining(TINY, CmapssData.FD001_SENSORS).train(units.subList(0, 1), "x", models, null));
    }

    private static CmapssData.Unit cut(CmapssData.Unit unit, int cycles) {
        return new CmapssData.Unit(unit.id(), java.util.Arrays.copyOf(unit.rows(), cycles));
    }
}
