package io.twinworks.analytics.rul;

import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulTraining;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A real but tiny DL4J RUL model (one epoch, inputs s2 and s3, window 3) on synthetic wearing engines. */
final class TinyRulModels {

    private TinyRulModels() {
    }

    static RulTraining.Result train(Path modelsDir) throws IOException {
        return train(modelsDir, new RulTraining.Settings(3, 1, 32, 1e-2, 1, 0.25, 125, 4));
    }

    /** The same with the engine's age and the sensors' slopes as summary inputs (the model reads {@code cycle} too). */
    static RulTraining.Result trainWithAge(Path modelsDir) throws IOException {
        return train(modelsDir, new RulTraining.Settings(RulTraining.Architecture.MLP, 3, 1, 32, 1e-2, 1, 0.25, 125, 4, 1, 1,
                java.time.Duration.ofMinutes(1), 1, java.util.Set.of(io.twinworks.analytics.ml.RulModel.Feature.AGE,
                        io.twinworks.analytics.ml.RulModel.Feature.SLOPE), 0));
    }

    private static RulTraining.Result train(Path modelsDir, RulTraining.Settings settings) throws IOException {
        return new RulTraining(settings, List.of("s2", "s3"))
                .train(engines(), "rul-tiny", modelsDir, new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                    }
                });
    }

    private static List<CmapssData.Unit> engines() {
        Random random = new Random(3);
        List<CmapssData.Unit> units = new ArrayList<>();
        for (int id = 1; id <= 4; id++) {
            double[][] rows = new double[40 + id * 5][CmapssData.COLUMNS.size()];
            for (int c = 0; c < rows.length; c++) {
                for (int col = 2; col < rows[c].length; col++) {
                    rows[c][col] = 10 + c * 0.05 + random.nextGaussian() * 0.1;
                }
                rows[c][0] = id;
                rows[c][1] = c + 1;
            }
            units.add(new CmapssData.Unit(id, rows));
        }
        return units;
    }
}
