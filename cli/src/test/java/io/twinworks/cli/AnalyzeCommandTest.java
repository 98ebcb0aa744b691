package io.twinworks.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeCommandTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesScoresToStandardOutputByDefault() throws Exception {
        Path csv = series();
        assertThat(run("analyze", "--csv", csv.toString())).isZero();
        assertThat(out.toString().lines().findFirst()).contains("timestamp,value,anomaly_score");
        assertThat(out.toString().lines().count()).isEqualTo(501);
    }

    @Test
    void writesScoresToTheOutFile() throws Exception {
        Path result = dir.resolve("scores.csv");
        assertThat(run("analyze", "--csv", series().toString(), "--out", result.toString())).isZero();
        assertThat(Files.readAllLines(result)).hasSize(501);
        assertThat(err.toString()).contains("500 rows (75 probation)");
    }

    @Test
    void aMissingFileIsAnErrorWithExitCodeTwo() {
        assertThat(run("analyze", "--csv", dir.resolve("nope.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read");
    }

    @Test
    void aMalformedFileIsAnErrorNamingTheLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "timestamp,value\na,1\nb,x\nc,3\n");
        assertThat(run("analyze", "--csv", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(":3: value 'x' is not a number");
    }

    @Test
    void evaluateInjectedPrintsAGradePerFile() throws Exception {
        assertThat(run("analyze", "--evaluate-injected", "--csv", series().toString())).isZero();
        assertThat(out.toString()).contains("series.csv").contains("mean NAB standard-profile score");
    }

    /** The NAB tuning set kept once, in the analytics-service test resources (see its README). */
    static final Path NAB_TUNE = Path.of("../analytics-service/src/test/resources/nab-tune");

    @Test
    void labelsWithStoredScoresReproduceNabsNumentaFigureOnTheTuningSet() {
        assertThat(run("analyze", "--dir", NAB_TUNE.resolve("reference-numenta").toString(),
                "--labels", NAB_TUNE.resolve("windows.json").toString(), "--stored-scores")).isZero();
        assertThat(out.toString()).contains("NAB standard           score  73.56").contains("34 files")
                .contains("realAdExchange/exchange-4_cpm_results.csv");
    }

    @Test
    void labelsGradeOneFileAndPrintTheSweep() throws Exception {
        StringBuilder unique = new StringBuilder("timestamp,value,anomaly_score\n");
        for (int i = 0; i < 1000; i++) {
            unique.append(String.format(Locale.ROOT, "2026-01-%02d %02d:%02d:00,%d,%s%n", 1 + i / 1440, i / 60 % 24, i % 60, i, i == 600 ? "1.0" : "0.0"));
        }
        Path file = Files.writeString(dir.resolve("one.csv"), unique.toString());
        Path labels = Files.writeString(dir.resolve("windows.json"),
                "{\"one.csv\": [[\"2026-01-01 10:00:00.000000\", \"2026-01-01 10:49:00.000000\"]]}");
        assertThat(run("analyze", "--csv", file.toString(), "--labels", labels.toString(), "--stored-scores")).isZero();
        assertThat(out.toString()).contains("one.csv").contains("threshold sweep")
                .contains("NAB standard           score 100.00");
    }

    @Test
    void aFileWithoutWindowsInTheLabelsIsAnErrorNamingTheKey() throws Exception {
        Path labels = Files.writeString(dir.resolve("windows.json"), "{\"other.csv\": []}");
        assertThat(run("analyze", "--csv", series().toString(), "--labels", labels.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no windows for it in the labels");
    }

    @Test
    void malformedLabelsAreAnErrorNotACrash() throws Exception {
        Path labels = Files.writeString(dir.resolve("windows.json"), "{\"series.csv\": [[\"yesterday\", \"today\"]]}");
        assertThat(run("analyze", "--csv", series().toString(), "--labels", labels.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not a timestamp");
    }

    @Test
    void aDirectoryWithoutLabelsAndStoredScoresWithoutLabelsAreRefused() throws Exception {
        assertThat(run("analyze", "--dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--dir needs --labels");
        assertThat(run("analyze", "--csv", series().toString(), "--stored-scores")).isEqualTo(2);
        assertThat(err.toString()).contains("--stored-scores needs --labels");
    }

    private int run(String... args) {
        CommandLine commandLine = TwinworksCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private Path series() throws Exception {
        Random random = new Random(1);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 500; i++) {
            csv.append(String.format(Locale.ROOT, "2026-01-01 00:%02d:00,%.3f%n", i % 60, 20 + random.nextGaussian()));
        }
        return Files.writeString(dir.resolve("series.csv"), csv.toString());
    }
}
