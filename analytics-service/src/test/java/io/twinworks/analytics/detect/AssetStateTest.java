package io.twinworks.analytics.detect;

import io.twinworks.analytics.model.HealthState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AssetStateTest {

    @Test
    void isLearningUntilASignalHasItsBaseline() {
        AssetState state = new AssetState(3, 0.5);
        state.update("vibration/rms", 1.0, 1);
        state.update("vibration/rms", 1.1, 2);
        assertThat(state.healthState()).isEqualTo(HealthState.LEARNING);
        state.update("vibration/rms", 0.9, 3);
        state.update("vibration/rms", 1.0, 4);
        assertThat(state.healthState()).isEqualTo(HealthState.OK);
    }

    @Test
    void duplicateAndOutOfOrderRevisionsOfASignalAreDropped() {
        AssetState state = new AssetState(3, 0.5);
        assertThat(state.update("vibration/rms", 1.0, 5)).isTrue();
        assertThat(state.update("vibration/rms", 1.0, 5)).isFalse();
        assertThat(state.update("vibration/rms", 1.0, 4)).isFalse();
        assertThat(state.update("temperature/value", 50, 5)).isTrue();
        assertThat(state.lastRevision()).isEqualTo(5);
    }

    @Test
    void theWorstSignalDecidesTheAssetsScoreAndState() {
        AssetState state = new AssetState(3, 1.0);
        long revision = 0;
        for (double v : new double[] {1.0, 1.1, 0.9}) {
            revision++;
            state.update("vibration/rms", v, revision);
            state.update("temperature/value", 50 + v, revision);
        }
        revision++;
        state.update("vibration/rms", 3.0, revision);
        state.update("temperature/value", 51.0, revision);
        assertThat(state.healthState()).isEqualTo(HealthState.ALARM);
        assertThat(state.worstSignal()).isEqualTo("vibration/rms");
    }

    @Test
    void oneNovelReadingShowsInTheAnomalyScoreWhileTheHealthStaysOk() {
        AssetState state = new AssetState(30, 0.2);
        java.util.Random random = new java.util.Random(5);
        long revision = 0;
        for (int i = 0; i < 400; i++) {
            state.update("vibration/rms", 1.1 + 0.001 * random.nextGaussian(), ++revision);
        }
        assertThat(state.healthState()).isEqualTo(HealthState.OK);

        state.update("vibration/rms", 1.2, ++revision);

        assertThat(state.anomalyScore()).isGreaterThanOrEqualTo(AssetState.WARNING_SCORE);
        assertThat(state.healthScore()).isLessThan(AssetState.WARNING_SCORE);
        assertThat(state.healthState()).isEqualTo(HealthState.OK);
    }
}
