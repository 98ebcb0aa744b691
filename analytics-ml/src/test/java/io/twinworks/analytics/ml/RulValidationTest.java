package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class RulValidationTest {

    @Test
    void thePhm08ScorePunishesLatePredictionsMoreThanEarlyOnes() {
        assertThat(RulTraining.phm08Score(new double[] {87}, List.of(100.0))).isCloseTo(Math.E - 1, within(1e-12));
        assertThat(RulTraining.phm08Score(new double[] {110}, List.of(100.0))).isCloseTo(Math.E - 1, within(1e-12));
        assertThat(RulTraining.phm08Score(new double[] {90, 110, 50}, List.of(100.0, 100.0, 50.0)))
                .isCloseTo(Math.exp(10.0 / 13) - 1 + Math.E - 1, within(1e-12));
    }

    @Test
    void testLikeCutsSeeAtLeast31CyclesAndLeaveAtMost145AndAreReproducible() throws Exception {
        List<CmapssData.Unit> units = CmapssData.read(MlTestData.excerpt());
        List<int[]> cuts = RulTraining.testLikeCuts(units);
        assertThat(cuts).hasSize(units.size() * RulTraining.CUTS_PER_UNIT);
        for (int[] cut : cuts) {
            int cycles = units.get(cut[0]).cycles();
            assertThat(cut[1] + 1).isGreaterThanOrEqualTo(RulTraining.TEST_LIKE_MIN_CYCLES).isLessThanOrEqualTo(cycles);
            assertThat(cycles - 1 - cut[1]).isBetween(0, RulTraining.TEST_LIKE_MAX_RUL);
        }
        assertThat(RulTraining.testLikeCuts(units)).usingRecursiveFieldByFieldElementComparator().isEqualTo(cuts);
        assertThat(cuts.stream().mapToInt(c -> c[1]).distinct().count()).isGreaterThan(RulTraining.CUTS_PER_UNIT);
    }

    @Test
    void aUnitShorterThanTheMinimumHistoryIsCutAtItsLastCycle() {
        CmapssData.Unit shortUnit = new CmapssData.Unit(9, new double[20][26]);
        assertThat(RulTraining.testLikeCuts(List.of(shortUnit))).allSatisfy(cut -> assertThat(cut[1]).isEqualTo(19));
    }

    @Test
    void architecturesParseInAnyCaseAndAnUnknownOneIsRefusedListingTheKnown() {
        assertThat(RulTraining.Architecture.parse("Cnn")).isEqualTo(RulTraining.Architecture.CNN);
        assertThat(RulTraining.Architecture.parse("lstm")).isEqualTo(RulTraining.Architecture.LSTM);
        assertThatIllegalArgumentException().isThrownBy(() -> RulTraining.Architecture.parse("gru"))
                .withMessage("unknown architecture 'gru' (cnn, lstm or mlp)");
    }

    @Test
    void settingsRefuseAnEmptyEnsembleAndNoPatience() {
        RulTraining.Settings d = RulTraining.Settings.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> d.with(RulTraining.Architecture.CNN, 10, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(RulTraining.Architecture.CNN, 30, 10, 64,
                1e-3, 1, 0.2, 125, 8, 1, 0, RulTraining.UNLIMITED));
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(null, 30, 10, 64, 1e-3, 1, 0.2, 125, 8, 1, 1, RulTraining.UNLIMITED));
        assertThatIllegalArgumentException().isThrownBy(() -> new RulTraining.Settings(RulTraining.Architecture.CNN, 30, 10, 64, 1e-3, 1,
                0.2, 125, 8, 1, 1, java.time.Duration.ZERO));
    }
}
