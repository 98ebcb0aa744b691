package io.twinworks.analytics.ml;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** Artefacts written before sequence models and ensembles still load; broken ones are refused saying why. */
class RulModelArtefactsTest {

    @TempDir
    static Path models;
    static RulTraining.Result mlp;
    static List<CmapssData.Unit> units;

    @BeforeAll
    static void trainOnce() throws Exception {
        units = CmapssData.read(MlTestData.excerpt());
        mlp = new RulTraining(new RulTraining.Settings(4, 1, 64, 3e-3, 1, 0.25, 125, 8), CmapssData.FD001_SENSORS)
                .train(units, "rul-old", models, new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                    }
                });
    }

    @Test
    void anMlpArtefactWithoutLayoutEnsembleOrSmoothingPropertiesLoadsAsOneFlatUnsmoothedNetwork() throws Exception {
        Path old = copy("old-1");
        edit(old, p -> {
            p.remove("inputLayout");
            p.remove("ensembleMembers");
            p.remove("bestEpochs");
            p.remove("smoothingAlpha");
            p.remove("smoothingCycles");
        });
        RulModel loaded = RulModel.load(old);
        assertThat(loaded.ensembleSize()).isEqualTo(1);
        List<double[][]> histories = List.<double[][]>of(RulTraining.history(loaded, units.get(0), 40));
        assertThat(loaded.predict(histories)).containsExactly(mlp.model().predict(histories));
    }

    @Test
    void aMissingEnsembleMemberIsRefusedNamingTheFile() throws Exception {
        Path broken = copy("broken-1");
        edit(broken, p -> p.setProperty("ensembleMembers", "3"));
        assertThatIOException().isThrownBy(() -> RulModel.load(broken)).withMessageContaining("lacks model-2.zip (ensemble member 2 of 3)");
    }

    @Test
    void anUnknownInputLayoutIsRefusedListingTheKnownOnes() throws Exception {
        Path future = copy("future-1");
        edit(future, p -> p.setProperty("inputLayout", "graph"));
        assertThatIOException().isThrownBy(() -> RulModel.load(future))
                .withMessageContaining("unknown inputLayout 'graph' (this version reads flat, sequence and image)");
    }

    @Test
    void aBadEnsembleCountIsRefused() throws Exception {
        Path zero = copy("zero-1");
        edit(zero, p -> p.setProperty("ensembleMembers", "0"));
        assertThatIOException().isThrownBy(() -> RulModel.load(zero)).withMessageContaining("ensembleMembers must be at least 1");
        Path text = copy("text-1");
        edit(text, p -> p.setProperty("ensembleMembers", "two"));
        assertThatIOException().isThrownBy(() -> RulModel.load(text)).withMessageContaining("ensembleMembers 'two' is not a number");
    }

    private static Path copy(String name) throws IOException {
        Path target = Files.createDirectories(models.resolve("copies").resolve(name));
        for (String file : List.of(RulModel.NETWORK_FILE, RulModel.METADATA_FILE)) {
            Files.copy(mlp.directory().resolve(file), target.resolve(file));
        }
        return target;
    }

    private static void edit(Path directory, java.util.function.Consumer<Properties> change) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.load(in);
        }
        change.accept(properties);
        try (OutputStream out = Files.newOutputStream(directory.resolve(RulModel.METADATA_FILE))) {
            properties.store(out, null);
        }
    }
}
