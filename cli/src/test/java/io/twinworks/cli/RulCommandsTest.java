package io.twinworks.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RulCommandsTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void trainRulSavesAVersionedModelAndPredictRulPrintsOneLinePerUnit() throws Exception {
        Path data = engines(4);
        Path models = dir.resolve("models");
        assertThat(run("train", "rul", "--data", data.toString(), "--out", models.toString(), "--epochs", "1",
                "--window", "3", "--hidden", "4", "--validation", "25")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("validation RMSE").contains("rul-cmapss-1");
        assertThat(Files.readString(models.resolve("rul-cmapss-1/model.properties"))).contains("validationRmse=")
                .contains("features=age,slope,baseline").contains("baselineCycles=30").contains("baselineMeans=")
                .contains("stoppingFraction=0.0");

        out.getBuffer().setLength(0);
        assertThat(run("predict-rul", "--model", models.resolve("rul-cmapss-1").toString(), "--data", data.toString()))
                .as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("unit,rul");
        assertThat(lines.subList(1, 5)).allSatisfy(line -> assertThat(line).matches("[1-4],\\d+\\.\\d"));
    }

    @Test
    void anLstmEnsembleIsOneArtefactThatPredictRulReadsAndTheTestLikeFiguresArePrinted() throws Exception {
        Path data = engines(4);
        Path models = dir.resolve("models");
        assertThat(run("train", "rul", "--arch", "LSTM", "--ensemble", "2", "--data", data.toString(), "--out", models.toString(),
                "--epochs", "1", "--window", "3", "--hidden", "4", "--validation", "25", "--cap", "30")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("training lstm").contains("x 2 network(s)").contains("best epochs: [1, 1]")
                .contains("true RUL:   RMSE").contains("capped RUL: RMSE").contains("PHM08 score");
        String properties = Files.readString(models.resolve("rul-cmapss-1/model.properties"));
        assertThat(properties).contains("ensembleMembers=2").contains("inputLayout=sequence").contains("rulCap=30.0")
                .contains("validationTestLikeScore=").contains("features=\n").doesNotContain(",cycle");

        assertPredictRulPrintsEachOfFourUnits(models.resolve("rul-cmapss-1"), data);
    }

    @Test
    void trainRulRefusesAnUnknownArchitectureListingTheKnownOnes() throws Exception {
        assertThat(run("train", "rul", "--arch", "gru", "--data", engines(2).toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown architecture 'gru' (cnn, lstm or mlp)");
        assertThat(dir.resolve("rul-cmapss-1")).doesNotExist();
    }

    @Test
    void aSmoothedModelStoresItsSmoothingAndPredictRulSmoothesAlike() throws Exception {
        Path data = engines(4);
        Path models = dir.resolve("models");
        assertThat(run("train", "rul", "--smoothing", "0.5", "--data", data.toString(), "--out", models.toString(), "--epochs", "1",
                "--window", "3", "--hidden", "4", "--validation", "25")).as(err.toString()).isZero();
        String properties = Files.readString(models.resolve("rul-cmapss-1/model.properties"));
        assertThat(properties).contains("smoothingAlpha=0.5").contains("smoothingCycles=7");
        assertPredictRulPrintsEachOfFourUnits(models.resolve("rul-cmapss-1"), data);
    }

    @Test
    void anAgeAndSlopeModelReadsTheCycleColumnAndPredictRulPrintsEachUnit() throws Exception {
        Path data = engines(4);
        Path models = dir.resolve("models");
        assertThat(run("train", "rul", "--features", "age,slope", "--stopping", "34", "--data", data.toString(), "--out",
                models.toString(), "--epochs", "2", "--window", "3", "--hidden", "4", "--validation", "25")).as(err.toString()).isZero();
        String properties = Files.readString(models.resolve("rul-cmapss-1/model.properties"));
        assertThat(properties).contains("features=age,slope").contains("stoppingFraction=0.34").contains("cycle");
        assertPredictRulPrintsEachOfFourUnits(models.resolve("rul-cmapss-1"), data);
    }

    @Test
    void trainRulRefusesAnUnknownFeatureAndFeaturesForASequenceModel() throws Exception {
        assertThat(run("train", "rul", "--features", "age,curvature", "--data", engines(2).toString(), "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown feature 'curvature' (age, slope, baseline or none)");
        assertThat(run("train", "rul", "--features", "slope,baseline", "--data", engines(2).toString(), "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("the baseline feature needs the age feature");
        assertThat(run("train", "rul", "--arch", "cnn", "--features", "slope", "--data", engines(2).toString(), "--out",
                dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("for the MLP only, not cnn");
        assertThat(dir.resolve("rul-cmapss-1")).doesNotExist();
    }

    @Test
    void trainRulRefusesAStoppingShareThatLeavesNoTrainingUnit() throws Exception {
        assertThat(run("train", "rul", "--stopping", "100", "--data", engines(4).toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("stoppingFraction must be within [0, 1)");
    }

    @Test
    void trainRulRefusesASmoothingWeightOutsideZeroToOne() throws Exception {
        assertThat(run("train", "rul", "--smoothing", "0", "--data", engines(2).toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("smoothingAlpha must be within (0, 1]");
        assertThat(dir.resolve("rul-cmapss-1")).doesNotExist();
    }

    @Test
    void trainRulRefusesAnEmptyEnsemble() throws Exception {
        assertThat(run("train", "rul", "--ensemble", "0", "--data", engines(2).toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("ensemble").contains("must be positive");
    }

    @Test
    void predictRulRefusesADirectoryThatIsNoModel() {
        assertThat(run("predict-rul", "--model", dir.toString(), "--data", dir.resolve("x.txt").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a model directory");
    }

    @Test
    void trainRulRefusesAMissingFileAndAMalformedOne() throws Exception {
        assertThat(run("train", "rul", "--data", dir.resolve("missing.txt").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "1 1 2 3\n");
        assertThat(run("train", "rul", "--data", bad.toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(":1: expected 26 numbers, found 4");
    }

    private int run(String... args) {
        CommandLine commandLine = TwinworksCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** Synthetic run-to-failure engines in the C-MAPSS layout (26 columns, sensors drifting with wear). */
    private Path engines(int count) throws Exception {
        Random random = new Random(2);
        StringBuilder text = new StringBuilder();
        for (int unit = 1; unit <= count; unit++) {
            for (int cycle = 1; cycle <= 30 + unit * 3; cycle++) {
                text.append(unit).append(' ').append(cycle);
                for (int col = 2; col < 26; col++) {
                    text.append(' ').append(String.format(Locale.ROOT, "%.4f", 100 + cycle * 0.1 + random.nextGaussian()));
                }
                text.append('\n');
            }
        }
        return Files.writeString(dir.resolve("engines.txt"), text.toString());
    }

    /** {@code predict-rul} with the model on the four-engine file: exit 0 and one {@code unit,rul} line per engine. */
    private void assertPredictRulPrintsEachOfFourUnits(Path model, Path data) {
        out.getBuffer().setLength(0);
        assertThat(run("predict-rul", "--model", model.toString(), "--data", data.toString())).as(err.toString()).isZero();
        assertThat(out.toString().lines().skip(1).toList()).hasSize(4).allSatisfy(line -> assertThat(line).matches("[1-4],\\d+\\.\\d"));
    }
}
