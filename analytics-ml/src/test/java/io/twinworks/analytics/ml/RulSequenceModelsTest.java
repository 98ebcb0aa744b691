package io.twinworks.analytics.ml;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tiny CNN and LSTM ensembles on four engines: the mechanics of the sequence models (layout, ensemble
 * artefact, early stopping's kept weights, round trip), not their accuracy.
 */
class RulSequenceModelsTest {

    @TempDir
    static Path models;
    static List<CmapssData.Unit> units;
    static RulTraining.Result cnn;
    static RulTraining.Result lstm;
    /** Per ensemble member of the CNN, the early-stopping RMSE of each epoch. */
    static final List<List<Double>> cnnStoppingRmses = new ArrayList<>();
    static final List<String> members = new ArrayList<>();
    /** The CNN's early-stopping share: one of the three training units per member. */
    static final double STOPPING = 0.34;

    @BeforeAll
    static void trainOnce() throws Exception {
        units = CmapssData.read(MlTestData.excerpt());
        cnn = new RulTraining(new RulTraining.Settings(RulTraining.Architecture.CNN, 8, 4, 64, 3e-3, 5, 0.25, 125, 8, 2, 2, RulTraining.UNLIMITED,
                1, java.util.Set.of(), STOPPING),
                CmapssData.FD001_SENSORS).train(units, "rul-cnn", models, recording(cnnStoppingRmses));
        lstm = new RulTraining(new RulTraining.Settings(RulTraining.Architecture.LSTM, 4, 1, 64, 3e-3, 5, 0.25, 125, 4, 1, 1, RulTraining.UNLIMITED),
                CmapssData.FD001_SENSORS).train(units, "rul-lstm", models, recording(new ArrayList<>()));
    }

    @Test
    void anEnsembleIsOneArtefactWithOneNetworkFilePerMember() throws Exception {
        assertThat(members).containsExactly("1/2", "2/2", "1/1");
        assertThat(Files.exists(cnn.directory().resolve("model.zip"))).isTrue();
        assertThat(Files.exists(cnn.directory().resolve("model-2.zip"))).isTrue();
        RulModel loaded = RulModel.load(cnn.directory());
        assertThat(loaded.ensembleSize()).isEqualTo(2);
        assertThat(loaded.property("inputLayout")).isEqualTo("image");
        assertThat(loaded.property("architecture")).startsWith("CNN 14x8");
        assertThat(loaded.property("bestEpochs").split(",")).hasSize(2);
    }

    @Test
    void loadedSequenceModelsPredictWhatTheTrainedOnesDid() throws Exception {
        for (RulTraining.Result result : List.of(cnn, lstm)) {
            RulModel loaded = RulModel.load(result.directory());
            List<double[][]> histories = List.of(RulTraining.history(loaded, units.get(0), 60), RulTraining.history(loaded, units.get(2), 3));
            assertThat(loaded.predict(histories)).containsExactly(result.model().predict(histories));
        }
    }

    @Test
    void theEnsemblePredictsTheMeanOfItsMembers() {
        RulModel ensemble = cnn.model();
        List<double[][]> histories = List.<double[][]>of(RulTraining.history(ensemble, units.get(1), 100));
        double sum = 0;
        for (var network : ensemble.members()) {
            sum += new RulModel(network, propertiesOf(ensemble)).predict(histories)[0];
        }
        assertThat(ensemble.predict(histories)[0]).isCloseTo(sum / 2, within(1e-6));
    }

    @Test
    void eachMemberKeepsTheWeightsOfItsBestEpochOnTrainingUnitsItHeldOutAndNeverOnTheValidationUnits() {
        List<CmapssData.Unit> training = RulTraining.split(units, 5, 0.25, 0).training();
        for (int member = 0; member < 2; member++) {
            List<CmapssData.Unit> stopping = RulTraining.stoppingSplit(training, 5, STOPPING, member).validation();
            assertThat(stopping).hasSize(1).allSatisfy(unit -> assertThat(cnn.validationUnits()).doesNotContain(unit.id()));
            List<Double> rmses = cnnStoppingRmses.get(member);
            int best = cnn.bestEpochs().get(member);
            assertThat(rmses.get(best - 1)).isEqualTo(rmses.stream().min(Double::compare).orElseThrow());
            RulModel alone = new RulModel(cnn.model().members().get(member), propertiesOf(cnn.model()));
            assertThat(RulTraining.allCyclesRmse(alone, stopping)).isCloseTo(rmses.get(best - 1), within(1e-3));
        }
    }

    @Test
    void theTestLikeFiguresAreStoredWithTheModel() throws Exception {
        RulModel loaded = RulModel.load(lstm.directory());
        assertThat(Double.parseDouble(loaded.property("validationTestLikeRmse"))).isCloseTo(lstm.validation().testLikeRmse(), within(1e-3));
        assertThat(Double.parseDouble(loaded.property("validationTestLikeScore"))).isCloseTo(lstm.validation().testLikeScore(), within(1e-3));
        assertThat(lstm.validation().cuts()).isEqualTo(RulTraining.CUTS_PER_UNIT);
    }

    private static java.util.Properties propertiesOf(RulModel model) {
        java.util.Properties properties = new java.util.Properties();
        for (String key : List.of("name", "version", "inputs", "window", "inputMeans", "inputScales", "rulCap", "inputLayout")) {
            properties.setProperty(key, model.property(key));
        }
        return properties;
    }

    private static RulTraining.Progress recording(List<List<Double>> stoppingRmses) {
        return new RulTraining.Progress() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches) {
            }

            @Override
            public void epoch(int epoch, int epochs, double trainingLoss, double stoppingRmse) {
                stoppingRmses.get(stoppingRmses.size() - 1).add(stoppingRmse);
            }

            @Override
            public void member(int member, int count) {
                members.add(member + "/" + count);
                stoppingRmses.add(new ArrayList<>());
            }
        };
    }
}
