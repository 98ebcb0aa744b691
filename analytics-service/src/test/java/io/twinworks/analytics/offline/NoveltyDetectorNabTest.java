package io.twinworks.analytics.offline;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default detector's scores on the NAB tuning set (the data its constants were chosen on): regression
 * guards for the figures the README states, not claims about unseen data. The leave-one-category-out
 * figure is the held-out-like one (each category scored at the threshold the other categories choose).
 */
class NoveltyDetectorNabTest {

    private static List<NabScorer.ScoredFile> files;

    @BeforeAll
    static void scoreTheTuningSet() throws Exception {
        NabEvaluation evaluation = new NabEvaluation(NabLabels.read(NabScorerTest.TUNE.resolve("windows.json")));
        List<NabEvaluation.Series> series = new ArrayList<>();
        for (Path file : evaluation.labelledFiles(NabScorerTest.TUNE.resolve("data"))) {
            series.add(evaluation.read(file));
        }
        assertThat(series).hasSize(34);
        files = evaluation.scoredFiles(series,
                values -> CsvAnomalyAnalysis.scores(values, NabScorer.probationRows(values.length), CsvAnomalyAnalysis.Detector.NOVELTY));
    }

    @Test
    void theDefaultDetectorKeepsItsTuningSetScore() {
        NabScorer.Result result = new NabScorer(NabScorer.Profile.STANDARD).score(files);
        assertThat(result.normalised()).isGreaterThanOrEqualTo(72.8);
    }

    @Test
    void theDefaultDetectorKeepsItsLeaveOneCategoryOutScore() {
        LeaveOneCategoryOut.Result result = new LeaveOneCategoryOut(NabScorer.Profile.STANDARD).score(files);
        LeaveOneCategoryOut.print(result, new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        assertThat(result.categories()).hasSize(4);
        assertThat(result.normalised()).isGreaterThanOrEqualTo(71.0);
    }
}
