package io.twinworks.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SignalDetectorTest {

    @Test
    void scoresNothingWhileLearningNormalOperation() {
        SignalDetector detector = new SignalDetector(5, 0.2);
        for (int i = 0; i < 5; i++) {
            assertThat(detector.update(1.0 + i * 0.01)).isNaN();
        }
        assertThat(detector.isLearned()).isTrue();
    }

    @Test
    void steadyNoiseNeverWarnsDuringTheNoveltyWarmUpAndLaterOnlyForRareSingleRecordReadings() {
        SignalDetector detector = new SignalDetector(30, 0.2);
        Random random = new Random(7);
        int warnings = 0;
        boolean previousWarned = false;
        for (int i = 0; i < 2_000; i++) {
            double score = detector.update(1.1 + 0.04 * random.nextGaussian());
            boolean warned = score >= AssetState.WARNING_SCORE;
            if (i < NoveltyDetector.WARM_ROWS) {
                assertThat(warned).as("reading %d", i).isFalse();
            }
            // a new record of the noise can be a novelty report, but one reading, never a run of them
            assertThat(warned && previousWarned).as("reading %d", i).isFalse();
            warnings += warned ? 1 : 0;
            previousWarned = warned;
        }
        assertThat(warnings).isLessThanOrEqualTo(5);
    }

    /** A detector that has seen {@code readings} readings of steady noise (past the novelty warm-up). */
    private static SignalDetector steadyNoise(Random random, int readings) {
        SignalDetector detector = new SignalDetector(30, 0.2);
        noise(detector, random, readings);
        return detector;
    }

    @Test
    void oneNovelReadingRaisesTheAnomalyScoreButNotTheHealthScore() {
        Random random = new Random(5);
        SignalDetector detector = steadyNoise(random, 400);

        double score = detector.update(1.2);

        assertThat(score).isGreaterThanOrEqualTo(AssetState.WARNING_SCORE);
        assertThat(detector.lastScore()).isEqualTo(score);
        assertThat(detector.healthScore()).isLessThan(AssetState.WARNING_SCORE);
    }

    /** Steady noise readings, each well inside the range seen so far. */
    private static void noise(SignalDetector detector, Random random, int readings) {
        for (int i = 0; i < readings; i++) {
            detector.update(1.1 + 0.001 * random.nextGaussian());
        }
    }

    @Test
    void aSecondNovelReadingWithinTheRepeatWindowStillLeavesTheHealthScoreAlone() {
        Random random = new Random(5);
        SignalDetector detector = steadyNoise(random, 400);
        assertThat(detector.update(1.2)).isGreaterThanOrEqualTo(AssetState.WARNING_SCORE);
        noise(detector, random, NoveltyDetector.MASK_ROWS + 10);

        double second = detector.update(1.23);

        assertThat(second).isGreaterThanOrEqualTo(AssetState.WARNING_SCORE);
        assertThat(detector.healthScore()).isLessThan(AssetState.WARNING_SCORE);
    }

    @Test
    void aThirdNovelReadingWithinTheRepeatWindowCountsForHealth() {
        Random random = new Random(5);
        SignalDetector detector = steadyNoise(random, 400);
        detector.update(1.2);
        noise(detector, random, NoveltyDetector.MASK_ROWS + 10);
        detector.update(1.23);
        noise(detector, random, NoveltyDetector.MASK_ROWS + 10);

        double third = detector.update(1.26);

        assertThat(third).isGreaterThanOrEqualTo(AssetState.WARNING_SCORE);
        assertThat(detector.healthScore()).isEqualTo(third);
    }

    @Test
    void threeNovelReadingsSpreadOverMoreThanTheRepeatWindowStayOutOfTheHealthScore() {
        Random random = new Random(5);
        SignalDetector detector = steadyNoise(random, 400);
        detector.update(1.2);
        noise(detector, random, SignalDetector.NOVELTY_REPEAT_READINGS / 2 + 1);
        detector.update(1.23);
        noise(detector, random, SignalDetector.NOVELTY_REPEAT_READINGS / 2 + 1);

        double third = detector.update(1.26);

        assertThat(third).isGreaterThanOrEqualTo(AssetState.WARNING_SCORE);
        assertThat(detector.healthScore()).isLessThan(AssetState.WARNING_SCORE);
    }

    @Test
    void theHealthScoreIsNotANumberWhileLearning() {
        SignalDetector detector = new SignalDetector(5, 0.2);
        detector.update(1.0);
        assertThat(detector.healthScore()).isNaN();
        assertThat(detector.lastScore()).isNaN();
    }

    @Test
    void stepFarOutsideNormalOperationReachesTheAlarmScore() {
        SignalDetector detector = new SignalDetector(30, 0.2);
        Random random = new Random(11);
        for (int i = 0; i < 30; i++) {
            detector.update(1.1 + 0.04 * random.nextGaussian());
        }
        double score = Double.NaN;
        for (int i = 0; i < 20; i++) {
            score = detector.update(1.6 + 0.04 * random.nextGaussian());
        }
        assertThat(score).isGreaterThanOrEqualTo(AssetState.ALARM_SCORE);
    }

    @Test
    void slowWearThatARollingWindowWouldFollowStillRaisesTheScore() {
        SignalDetector detector = new SignalDetector(30, 0.2);
        Random random = new Random(3);
        double early = Double.NaN;
        double late = Double.NaN;
        for (int i = 0; i < 600; i++) {
            double score = detector.update(1.1 + 0.0015 * i + 0.04 * random.nextGaussian());
            if (i == 60) {
                early = score;
            }
            late = score;
        }
        assertThat(early).isLessThan(AssetState.WARNING_SCORE);
        assertThat(late).isGreaterThanOrEqualTo(AssetState.ALARM_SCORE);
    }

    @Test
    void nonFiniteReadingsAreIgnoredAndDoNotPoisonTheBaseline() {
        SignalDetector detector = new SignalDetector(3, 0.5);
        detector.update(1.0);
        assertThat(detector.update(Double.NaN)).isNaN();
        assertThat(detector.update(Double.POSITIVE_INFINITY)).isNaN();
        detector.update(1.02);
        detector.update(0.98);
        assertThat(detector.update(1.0)).isLessThan(0.1);
    }

    @Test
    void constantBaselineDoesNotMakeTinyChangesInfinitelyAnomalous() {
        SignalDetector detector = new SignalDetector(3, 1.0);
        detector.update(50.0);
        detector.update(50.0);
        detector.update(50.0);
        assertThat(detector.update(50.1)).isLessThan(0.1);
        assertThat(detector.update(60.0)).isGreaterThan(0.99);
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SignalDetector(1, 0.2));
        assertThatIllegalArgumentException().isThrownBy(() -> new SignalDetector(10, 0.0));
        assertThatIllegalArgumentException().isThrownBy(() -> new SignalDetector(10, 1.5));
    }
}
