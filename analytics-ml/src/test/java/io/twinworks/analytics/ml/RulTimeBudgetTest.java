package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RulTimeBudgetTest {

    @TempDir
    Path models;

    @Test
    void eachMemberStopsAfterTheEpochThatSpendsItsShareOfTheBudgetAndSaysSo() throws Exception {
        List<String> events = new ArrayList<>();
        RulTraining.Settings settings = new RulTraining.Settings(RulTraining.Architecture.MLP, 4, 20, 256, 3e-3, 1, 0.25, 125, 4, 2, 20,
                Duration.ofMillis(1));
        RulTraining.Result result = new RulTraining(settings, CmapssData.FD001_SENSORS).train(CmapssData.read(MlTestData.excerpt()),
                "rul-budget", models, new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                        events.add("epoch " + epoch);
                    }

                    @Override
                    public void outOfTime(int epoch, int bestEpoch, double bestValidationRmse) {
                        events.add("out of time after " + epoch + ", best " + bestEpoch);
                    }
                });
        assertThat(events).containsExactly("epoch 1", "out of time after 1, best 1", "epoch 1", "out of time after 1, best 1");
        assertThat(result.bestEpochs()).containsExactly(1, 1);
        assertThat(RulModel.load(result.directory()).ensembleSize()).isEqualTo(2);
    }
}
