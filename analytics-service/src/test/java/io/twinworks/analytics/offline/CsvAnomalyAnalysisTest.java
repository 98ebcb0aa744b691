package io.twinworks.analytics.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvAnomalyAnalysisTest {

    @TempDir
    Path dir;

    @Test
    void writesTheNabLayoutWithOneScoredRowPerInputRow() throws Exception {
        Path input = series(1000, -1);
        StringWriter out = new StringWriter();
        CsvAnomalyAnalysis.Summary summary = new CsvAnomalyAnalysis(15).analyze(input, out);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score");
        assertThat(lines).hasSize(1001);
        assertThat(summary.rows()).isEqualTo(1000);
        assertThat(summary.probationRows()).isEqualTo(150);
        assertThat(lines.get(1)).startsWith("2026-01-01 00:00:00,");
    }

    @Test
    void probationRowsScoreZeroAndASpikeAfterItScoresHigh() throws Exception {
        List<String> lines = analyze(series(1000, 700));
        for (int row = 1; row <= 150; row++) {
            assertThat(score(lines.get(row))).isZero();
        }
        assertThat(score(lines.get(701))).isGreaterThan(0.9);
        double worstElsewhere = lines.subList(152, 690).stream().mapToDouble(CsvAnomalyAnalysisTest::score).max().orElseThrow();
        assertThat(worstElsewhere).isLessThan(0.5);
    }

    @Test
    void aScoreNeverDependsOnLaterRows() throws Exception {
        List<String> withSpike = analyze(series(1000, 700));
        List<String> withoutSpike = analyze(series(1000, -1));
        assertThat(withSpike.subList(0, 701)).isEqualTo(withoutSpike.subList(0, 701));
    }

    @Test
    void crlfNabExcerptIsReadAndScoredWithinZeroToOne() throws Exception {
        List<String> lines = analyze(resource("nab/rogue_agent_key_hold-first300.csv"));
        assertThat(lines).hasSize(301);
        assertThat(lines.subList(1, 301)).allSatisfy(line -> assertThat(score(line)).isBetween(0.0, 1.0));
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedNamingTheLine() throws Exception {
        Path input = Files.writeString(dir.resolve("bad.csv"), "time,val\n2026-01-01,1\n");
        assertThatThrownBy(() -> new CsvAnomalyAnalysis(15).analyze(input, new StringWriter()))
                .isInstanceOf(CsvAnomalyAnalysis.CsvFormatException.class)
                .hasMessageContaining(":1: header must start with timestamp,value");
    }

    @Test
    void aNonNumericValueIsRefusedNamingTheLine() throws Exception {
        Path input = Files.writeString(dir.resolve("bad.csv"), "timestamp,value\na,1\nb,2\nc,high\nd,4\n");
        assertThatThrownBy(() -> new CsvAnomalyAnalysis(15).analyze(input, new StringWriter()))
                .isInstanceOf(CsvAnomalyAnalysis.CsvFormatException.class)
                .hasMessageContaining(":4: value 'high' is not a number");
    }

    @Test
    void aMissingFieldAnEmptyFileAndTooFewRowsAreRefused() throws Exception {
        Path missing = Files.writeString(dir.resolve("m.csv"), "timestamp,value\na,1\nb\n");
        Path empty = Files.writeString(dir.resolve("e.csv"), "");
        Path short2 = Files.writeString(dir.resolve("s.csv"), "timestamp,value\na,1\nb,2\n");
        for (Path input : List.of(missing, empty, short2)) {
            assertThatThrownBy(() -> new CsvAnomalyAnalysis(15).analyze(input, new StringWriter()))
                    .isInstanceOf(CsvAnomalyAnalysis.CsvFormatException.class);
        }
    }

    @Test
    void probationOutsideOneToFiftyPercentIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CsvAnomalyAnalysis(0));
        assertThatIllegalArgumentException().isThrownBy(() -> new CsvAnomalyAnalysis(51));
    }

    private List<String> analyze(Path input) throws Exception {
        StringWriter out = new StringWriter();
        new CsvAnomalyAnalysis(15).analyze(input, out);
        return out.toString().lines().toList();
    }

    private static double score(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
    }

    /** A noisy daily-ish sine; a spike of 10 standard deviations at {@code spikeAt} (or none). */
    private Path series(int rows, int spikeAt) throws Exception {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < rows; i++) {
            double value = 50 + 5 * Math.sin(2 * Math.PI * i / 96.0) + random.nextGaussian();
            if (i == spikeAt) {
                value += 25;
            }
            csv.append(String.format(Locale.ROOT, "2026-01-01 %02d:%02d:00,%.3f%n", i / 60 % 24, i % 60, value));
        }
        return Files.writeString(dir.resolve("series-" + spikeAt + ".csv"), csv.toString());
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(CsvAnomalyAnalysisTest.class.getClassLoader().getResource(name).toURI());
    }
}
