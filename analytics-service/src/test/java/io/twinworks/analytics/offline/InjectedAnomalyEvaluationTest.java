package io.twinworks.analytics.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class InjectedAnomalyEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void aQuietSeriesWithInjectedAnomaliesFindsThemAll() throws Exception {
        InjectedAnomalyEvaluation.Result result = new InjectedAnomalyEvaluation(0.7, 1).evaluate(noise(4000));
        assertThat(result.windows()).isEqualTo(3);
        assertThat(result.detected()).isEqualTo(3);
        assertThat(result.nabScore()).isGreaterThan(0.0).isLessThanOrEqualTo(100.0);
    }

    @Test
    void aDetectorThatNeverFiresScoresZeroLikeNabsNullDetector() throws Exception {
        InjectedAnomalyEvaluation.Result result = new InjectedAnomalyEvaluation(1.01, 1).evaluate(noise(4000));
        assertThat(result.detected()).isZero();
        assertThat(result.falsePositiveRows()).isZero();
        assertThat(result.nabScore()).isZero();
    }

    @Test
    void nabsScaledSigmoidRewardsEarlyDetectionAndPenalisesLateAlarms() {
        assertThat(InjectedAnomalyEvaluation.scaledSigmoid(-1.0)).isGreaterThan(0.98);
        assertThat(InjectedAnomalyEvaluation.scaledSigmoid(0.0)).isZero();
        assertThat(InjectedAnomalyEvaluation.scaledSigmoid(5.0)).isEqualTo(-1.0);
    }

    private Path noise(int rows) throws Exception {
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < rows; i++) {
            csv.append(String.format(Locale.ROOT, "t%d,%.4f%n", i, 10 + random.nextGaussian()));
        }
        return Files.writeString(dir.resolve("noise.csv"), csv.toString());
    }
}
