package io.twinworks.analytics.offline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class LeaveOneCategoryOutTest {

    private final LeaveOneCategoryOut loco = new LeaveOneCategoryOut(NabScorer.Profile.STANDARD);

    /** 1,000 rows, one window at rows 300–349, detections of the given scores at the given rows. */
    private static NabScorer.ScoredFile file(String name, int[] rows, double[] scores) {
        double[] all = new double[1000];
        for (int i = 0; i < rows.length; i++) {
            all[rows[i]] = scores[i];
        }
        return new NabScorer.ScoredFile(name, all, List.of(new int[] {300, 349}));
    }

    @Test
    void eachCategoryIsScoredAtTheThresholdItsOthersChoose() {
        // a: its window fires at 0.8, a far false positive at 0.6. b: its window fires only at 0.6.
        NabScorer.ScoredFile a = file("a/1.csv", new int[] {310, 500}, new double[] {0.8, 0.6});
        NabScorer.ScoredFile b = file("b/1.csv", new int[] {310}, new double[] {0.6});
        LeaveOneCategoryOut.Result result = loco.score(List.of(a, b));

        NabScorer scorer = new NabScorer(NabScorer.Profile.STANDARD);
        double hit = scorer.fileAt(a, 0.8).raw();
        // in-sample 0.6 detects both windows for one false positive: better than 0.8 (b missed)
        assertThat(result.inSample().threshold()).isEqualTo(0.6);
        // left out, a is scored at b's choice (0.6: with its false positive), b at a's choice (0.8: missed)
        assertThat(result.categories()).extracting(LeaveOneCategoryOut.Category::name).containsExactly("a", "b");
        assertThat(result.categories().get(0).threshold()).isEqualTo(0.6);
        assertThat(result.categories().get(0).raw()).isCloseTo(hit - 0.11, within(1e-12));
        assertThat(result.categories().get(1).threshold()).isEqualTo(0.8);
        assertThat(result.categories().get(1).raw()).isEqualTo(-1.0);
        double raw = hit - 0.11 - 1.0;
        assertThat(result.normalised()).isCloseTo(100 * (raw + 2) / 4, within(1e-9));
        assertThat(result.normalised()).isLessThan(result.inSample().normalised());
    }

    @Test
    void aDetectorWhoseThresholdTransfersLosesNothingLeftOut() {
        NabScorer.ScoredFile a = file("a/1.csv", new int[] {300, 500}, new double[] {0.9, 0.3});
        NabScorer.ScoredFile b = file("b/1.csv", new int[] {300, 700}, new double[] {0.9, 0.3});
        LeaveOneCategoryOut.Result result = loco.score(List.of(a, b));
        assertThat(result.normalised()).isCloseTo(result.inSample().normalised(), within(1e-9));
        assertThat(result.normalised()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void aCorpusOfOneCategoryIsRefused() {
        NabScorer.ScoredFile a = file("a/1.csv", new int[] {310}, new double[] {0.8});
        NabScorer.ScoredFile b = file("a/2.csv", new int[] {310}, new double[] {0.8});
        assertThatIllegalArgumentException().isThrownBy(() -> loco.score(List.of(a, b)))
                .withMessageContaining("at least two categories");
        NabScorer.ScoredFile bare = file("1.csv", new int[] {310}, new double[] {0.8});
        assertThatIllegalArgumentException().isThrownBy(() -> loco.score(List.of(bare)));
    }
}
