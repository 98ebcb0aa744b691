package io.twinworks.analytics.offline;

import io.twinworks.analytics.detect.AssetState;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The combined detector (statistical + learned DL4J forecaster) on synthetic signals with known anomalies. */
class CombinedDetectorTest {

    static final int ROWS = 2_000;
    static final int PROBATION = 300;

    @Test
    void cleanPeriodicSignalRaisesNoWarningAfterProbation() {
        double[] scores = CsvAnomalyAnalysis.scores(sine(-1, -1), PROBATION, CsvAnomalyAnalysis.Detector.COMBINED);
        assertThat(Arrays.stream(scores, PROBATION, ROWS).max().orElseThrow()).isLessThan(AssetState.WARNING_SCORE);
    }

    @Test
    void changeOfRhythmInsideTheNormalRangeReachesTheAlarmScore() {
        double[] scores = CsvAnomalyAnalysis.scores(sine(1_200, 1_260), PROBATION, CsvAnomalyAnalysis.Detector.COMBINED);
        assertThat(Arrays.stream(scores, 1_200, 1_260).max().orElseThrow()).isGreaterThanOrEqualTo(AssetState.ALARM_SCORE);
        assertThat(Arrays.stream(scores, PROBATION, 1_195).max().orElseThrow()).isLessThan(AssetState.WARNING_SCORE);
    }

    @Test
    void combinedScoreIsNeverBelowTheStatisticalScore() {
        double[] values = sine(1_200, 1_260);
        double[] statistical = CsvAnomalyAnalysis.scores(values, PROBATION, CsvAnomalyAnalysis.Detector.STATISTICAL);
        double[] combined = CsvAnomalyAnalysis.scores(values, PROBATION, CsvAnomalyAnalysis.Detector.COMBINED);
        for (int i = 0; i < ROWS; i++) {
            assertThat(combined[i]).isGreaterThanOrEqualTo(statistical[i]);
        }
        assertThat(Arrays.copyOf(combined, PROBATION)).containsOnly(0.0);
    }

    @Test
    void scoresDoNotDependOnLaterRows() {
        double[] clean = CsvAnomalyAnalysis.scores(sine(-1, -1), PROBATION, CsvAnomalyAnalysis.Detector.COMBINED);
        double[] anomalous = CsvAnomalyAnalysis.scores(sine(1_200, 1_260), PROBATION, CsvAnomalyAnalysis.Detector.COMBINED);
        assertThat(Arrays.copyOf(anomalous, 1_200)).containsExactly(Arrays.copyOf(clean, 1_200));
    }

    @Test
    void constantAndNonFiniteRowsDoNotBreakTheLearnedPart() {
        double[] values = new double[600];
        Arrays.fill(values, 5.0);
        values[400] = Double.NaN;
        double[] scores = CsvAnomalyAnalysis.scores(values, 100, CsvAnomalyAnalysis.Detector.COMBINED);
        assertThat(Arrays.stream(scores).boxed().toList()).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
    }

    /** A noisy sine of period 24 that runs at period 6 (same amplitude) between {@code from} and {@code to}. */
    static double[] sine(int from, int to) {
        Random random = new Random(9);
        double[] values = new double[ROWS];
        double phase = 0;
        for (int i = 0; i < ROWS; i++) {
            phase += 2 * Math.PI / (i >= from && i < to ? 6 : 24);
            values[i] = 50 + 10 * Math.sin(phase) + 0.3 * random.nextGaussian();
        }
        return values;
    }
}
