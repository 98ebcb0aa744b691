package io.twinworks.analytics.offline;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default detector's score on the NAB tuning set (the data its constants were chosen on): a
 * regression guard for the figure the README states, not a claim about unseen data.
 */
class NoveltyDetectorNabTest {

    @Test
    void theDefaultDetectorKeepsItsTuningSetScore() throws Exception {
        NabEvaluation evaluation = new NabEvaluation(NabLabels.read(NabScorerTest.TUNE.resolve("windows.json")));
        List<NabEvaluation.Series> series = new ArrayList<>();
        for (Path file : evaluation.labelledFiles(NabScorerTest.TUNE.resolve("data"))) {
            series.add(evaluation.read(file));
        }
        assertThat(series).hasSize(34);
        NabScorer.Result result = new NabScorer(NabScorer.Profile.STANDARD).score(evaluation.scoredFiles(series,
                values -> CsvAnomalyAnalysis.scores(values, NabScorer.probationRows(values.length), CsvAnomalyAnalysis.Detector.NOVELTY)));
        assertThat(result.normalised()).isGreaterThanOrEqualTo(70.6);
    }
}
