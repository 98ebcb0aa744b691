package io.twinworks.analytics.offline;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class NabScorerTest {

    static final Path TUNE = Path.of("src/test/resources/nab-tune");

    @Test
    void numentaReferenceResultsScoreNabsPublishedStandardFigureOnTheTuningSet() throws Exception {
        NabEvaluation evaluation = new NabEvaluation(NabLabels.read(TUNE.resolve("windows.json")));
        List<NabEvaluation.Series> series = new ArrayList<>();
        for (Path file : evaluation.labelledFiles(TUNE.resolve("reference-numenta"))) {
            series.add(evaluation.read(file));
        }
        assertThat(series).hasSize(34);
        NabScorer.Result result = new NabScorer(NabScorer.Profile.STANDARD).score(evaluation.scoredFiles(series, null));
        assertThat(result.normalised()).isCloseTo(73.56, within(0.01));
        assertThat(result.nullRaw()).isEqualTo(-50.0);
        assertThat(result.perfectRaw()).isEqualTo(50.0);
    }

    private static NabScorer.ScoredFile file(double[] scores, int[]... windows) {
        return new NabScorer.ScoredFile("f", scores, List.of(windows));
    }

    @Test
    void aDetectionAtTheFirstRowOfEveryWindowScoresPerfect() {
        double[] scores = new double[1000];
        scores[300] = 1;
        scores[700] = 1;
        NabScorer.Result result = new NabScorer(NabScorer.Profile.STANDARD)
                .score(List.of(file(scores, new int[] {300, 349}, new int[] {700, 749})));
        assertThat(result.normalised()).isCloseTo(100.0, within(1e-9));
        assertThat(result.threshold()).isEqualTo(1.0);
    }

    @Test
    void aDetectorThatNeverFiresScoresZeroAndMissesCostTheFnWeight() {
        NabScorer.Result result = new NabScorer(NabScorer.Profile.LOW_FN)
                .score(List.of(file(new double[1000], new int[] {300, 349})));
        assertThat(result.normalised()).isCloseTo(0.0, within(1e-9));
        assertThat(result.nullRaw()).isEqualTo(-2.0);
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCountsAndLaterOnesCostNothing() {
        double[] one = new double[1000];
        one[310] = 1;
        double[] many = one.clone();
        for (int i = 311; i < 350; i++) {
            many[i] = 1;
        }
        NabScorer scorer = new NabScorer(NabScorer.Profile.STANDARD);
        double single = scorer.fileAt(file(one, new int[] {300, 349}), 0.5).raw();
        assertThat(scorer.fileAt(file(many, new int[] {300, 349}), 0.5).raw()).isEqualTo(single);
        // position -(349 - 310 + 1)/50 = -0.8: 2*sigmoid(4) - 1 over 2*sigmoid(5) - 1
        double expected = (2 / (1 + Math.exp(-4.0)) - 1) / (2 / (1 + Math.exp(-5.0)) - 1);
        assertThat(single).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aFalsePositiveFarFromAnyWindowCostsTheFullFpWeightAndOneJustAfterAWindowAlmostNothing() {
        NabScorer scorer = new NabScorer(NabScorer.Profile.STANDARD);
        double[] far = new double[1000];
        far[200] = 1;
        assertThat(scorer.fileAt(file(far, new int[] {300, 349}), 0.5).raw()).isCloseTo(-1 - 0.11, within(1e-12));
        double[] after = new double[1000];
        after[350] = 1;
        // one row past a 50-row window: |349 - 350| / 49, cost 0.11 * (2 * sigmoid(-5/49) - 1) ≈ -0.0056
        double cost = 0.11 * (2 / (1 + Math.exp(5.0 / 49)) - 1);
        assertThat(scorer.fileAt(file(after, new int[] {300, 349}), 0.5).raw()).isCloseTo(-1 + cost, within(1e-12));
        assertThat(cost).isBetween(-0.006, -0.005);
    }

    @Test
    void probationaryRowsAreNeverScoredEvenWhenTheyFire() {
        double[] scores = new double[1000];
        for (int i = 0; i < 150; i++) {
            scores[i] = 1;
        }
        NabScorer.FileScore result = new NabScorer(NabScorer.Profile.STANDARD).fileAt(file(scores), 0.5);
        assertThat(result.raw()).isZero();
        assertThat(result.falsePositiveRows()).isZero();
        assertThat(NabScorer.probationRows(1000)).isEqualTo(150);
        assertThat(NabScorer.probationRows(22695)).isEqualTo(750);
    }

    @Test
    void theSweepKeepsTheThresholdWithTheBestCorpusScore() {
        double[] scores = new double[1000];
        scores[320] = 0.8;   // early in the window
        scores[500] = 0.6;   // a far false positive: lowering the threshold to 0.6 costs 0.11
        NabScorer.Result result = new NabScorer(NabScorer.Profile.STANDARD).score(List.of(file(scores, new int[] {300, 349})));
        assertThat(result.threshold()).isEqualTo(0.8);
        assertThat(result.sweep()).extracting(NabScorer.SweepPoint::threshold)
                .containsExactly(Double.POSITIVE_INFINITY, 0.8, 0.6, 0.0);
    }

    @Test
    void windowsOutsideTheFileOrOverlappingAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> file(new double[10], new int[] {5, 20}));
        assertThatIllegalArgumentException().isThrownBy(() -> file(new double[100], new int[] {5, 20}, new int[] {20, 30}));
        assertThatIllegalArgumentException().isThrownBy(() -> NabScorer.Profile.named("lenient"));
    }
}
