package io.twinworks.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LearnedSignalTest {

    @Test
    void givesNoWindowDuringProbation() {
        LearnedSignal signal = new LearnedSignal(30, 4);
        for (int i = 0; i < 29; i++) {
            signal.push(i, false);
            assertThat(signal.window()).isNull();
        }
        signal.push(29, false);
        assertThat(signal.inProbation()).isFalse();
        assertThat(signal.window()).hasSize(4);
    }

    @Test
    void aHandedOverStateScoresLikeTheOriginalOnceItsWindowRefilled() {
        LearnedSignal original = new LearnedSignal(30, 4);
        assertThat(original.snapshot()).as("nothing to hand over during probation").isNull();
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            original.push(5 + random.nextGaussian(), false);
            if (i >= 34) {
                original.score(0.1, 5 + random.nextGaussian(), 0.5);
            }
        }
        io.twinworks.analytics.model.LearnedBaseline handedOver = original.snapshot();
        assertThat(handedOver.samples()).isEqualTo(30);
        assertThat(handedOver.scored()).isEqualTo(16);

        LearnedSignal takenOver = new LearnedSignal(30, 4);
        assertThat(takenOver.restore(handedOver)).isTrue();
        assertThat(takenOver.inProbation()).isFalse();
        assertThat(takenOver.snapshot()).isEqualTo(handedOver);
        for (double v : new double[] {4.5, 5.5, 6.0, 4.0}) {
            original.push(v, false);
            takenOver.push(v, false);
        }
        assertThat(takenOver.window()).containsExactly(original.window());
        assertThat(takenOver.score(0.2, 7.0, 0.5)).isEqualTo(original.score(0.2, 7.0, 0.5));
    }

    @Test
    void aStateThatAlreadyLearnedHereKeepsItsOwnOverAHandOver() {
        LearnedSignal donor = new LearnedSignal(3, 2);
        for (int i = 0; i < 3; i++) {
            donor.push(10 * i, false);
        }
        LearnedSignal learning = new LearnedSignal(3, 2);
        learning.push(1, false);
        assertThat(learning.restore(donor.snapshot())).isFalse();
        assertThat(learning.inProbation()).isTrue();
    }

    @Test
    void windowIsTheLastValuesStandardisedOldestFirst() {
        LearnedSignal signal = new LearnedSignal(3, 2);
        signal.push(1, false);
        signal.push(2, false);
        signal.push(3, false);   // mean 2, sd 1
        signal.push(4, false);
        assertThat(signal.window()).containsExactly(1.0, 2.0);
    }

    @Test
    void nonFiniteReadingsAreIgnored() {
        LearnedSignal signal = new LearnedSignal(3, 2);
        signal.push(Double.NaN, true);
        signal.push(Double.POSITIVE_INFINITY, true);
        assertThat(signal.inProbation()).isTrue();
        signal.push(1, true);
        signal.push(2, true);
        signal.push(3, true);
        assertThat(signal.takeProbationSeries()).containsExactly(-1.0, 0.0, 1.0);
    }

    @Test
    void probationSeriesIsReleasedAfterItWasTakenOnce() {
        LearnedSignal signal = new LearnedSignal(3, 2);
        for (int i = 1; i <= 3; i++) {
            signal.push(i, true);
        }
        assertThat(signal.takeProbationSeries()).isNotNull();
        assertThat(signal.takeProbationSeries()).isNull();
    }

    @Test
    void probationSeriesIsNotKeptOnceTrainingNoLongerWantsIt() {
        LearnedSignal signal = new LearnedSignal(3, 2);
        signal.push(1, true);
        signal.push(2, false);
        signal.push(3, true);
        assertThat(signal.takeProbationSeries()).isNull();
    }

    @Test
    void errorsLikeTheTrainingErrorsStayBelowTheWarningScore() {
        LearnedSignal signal = probationDone();
        Random random = new Random(3);
        double worst = 0;
        for (int i = 0; i < 3_000; i++) {
            // the model's error on normal data is 0.5 sd; these readings miss the forecast by that much
            worst = Math.max(worst, signal.score(0.0, 0.5 * random.nextGaussian(), 0.5));
        }
        assertThat(worst).isLessThan(AssetState.WARNING_SCORE);
    }

    @Test
    void aRunOfLargeForecastErrorsReachesTheAlarmScore() {
        LearnedSignal signal = probationDone();
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            signal.score(0.0, 0.5 * random.nextGaussian(), 0.5);
        }
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            worst = Math.max(worst, signal.score(0.0, 6.0, 0.5));
        }
        assertThat(worst).isGreaterThanOrEqualTo(AssetState.ALARM_SCORE);
    }

    @Test
    void rejectsTooShortProbationOrWindow() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LearnedSignal(1, 4));
        assertThatIllegalArgumentException().isThrownBy(() -> new LearnedSignal(30, 1));
    }

    @Test
    void combinedScoreIsTheLargerAndIgnoresAMissingPart() {
        assertThat(AssetState.combine(0.2, 0.7)).isEqualTo(0.7);
        assertThat(AssetState.combine(0.8, 0.1)).isEqualTo(0.8);
        assertThat(AssetState.combine(0.3, Double.NaN)).isEqualTo(0.3);
        assertThat(AssetState.combine(Double.NaN, 0.4)).isEqualTo(0.4);
    }

    /** A signal whose probation taught it mean 0 and sd 1 (standardised = raw). */
    private static LearnedSignal probationDone() {
        LearnedSignal signal = new LearnedSignal(4, 2);
        for (double v : new double[] {-1.2247, -0.4082, 0.4082, 1.2247}) {
            signal.push(v, false);
        }
        return signal;
    }
}
