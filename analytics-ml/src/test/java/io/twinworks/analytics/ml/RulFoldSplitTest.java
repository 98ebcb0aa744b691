package io.twinworks.analytics.ml;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The seeded k-fold split of whole units used to get a mean and spread of the validation figures. */
class RulFoldSplitTest {

    private static final List<CmapssData.Unit> HUNDRED = IntStream.rangeClosed(1, 100)
            .mapToObj(id -> new CmapssData.Unit(id, new double[0][])).toList();

    @Test
    void fiveFoldsOfTwentyPercentHoldOutDisjointUnitsThatTogetherCoverEveryUnit() {
        Set<Integer> heldOut = new HashSet<>();
        for (int fold = 0; fold < 5; fold++) {
            RulTraining.Split split = RulTraining.split(HUNDRED, 42, 0.2, fold);
            List<Integer> validation = ids(split.validation());
            assertThat(validation).hasSize(20);
            assertThat(ids(split.training())).hasSize(80).doesNotContainAnyElementsOf(validation);
            assertThat(heldOut).doesNotContainAnyElementsOf(validation);
            heldOut.addAll(validation);
        }
        assertThat(heldOut).hasSize(100);
    }

    @Test
    void theSameSeedAndFoldGiveTheSameSplitAndAnotherSeedAnother() {
        assertThat(ids(RulTraining.split(HUNDRED, 42, 0.2, 3).validation()))
                .isEqualTo(ids(RulTraining.split(HUNDRED, 42, 0.2, 3).validation()))
                .isNotEqualTo(ids(RulTraining.split(HUNDRED, 7, 0.2, 3).validation()));
    }

    @Test
    void aFoldOutsideTheFoldsOfTheFractionIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RulTraining.split(HUNDRED, 42, 0.2, 5))
                .withMessageContaining("fold must be within [0, 5)");
        assertThatIllegalArgumentException().isThrownBy(() -> RulTraining.split(HUNDRED, 42, 0.2, -1));
        assertThatIllegalArgumentException().isThrownBy(() -> RulTraining.split(HUNDRED.subList(0, 1), 42, 0.2, 0));
    }

    private static List<Integer> ids(List<CmapssData.Unit> units) {
        List<Integer> ids = new ArrayList<>();
        units.forEach(unit -> ids.add(unit.id()));
        return ids;
    }
}
