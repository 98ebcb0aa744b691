package io.twinworks.analytics.offline;

import java.nio.file.Path;
import java.util.*;

/** Scratch: scores analyze's default detector on the tuning set (not committed). */
public class Tune {
    public static void main(String[] args) throws Exception {
        Path tune = Path.of(args[0]);
        NabEvaluation evaluation = new NabEvaluation(NabLabels.read(tune.resolve("windows.json")));
        List<NabEvaluation.Series> series = new ArrayList<>();
        for (Path file : evaluation.labelledFiles(tune.resolve("data"))) series.add(evaluation.read(file));
        var files = evaluation.scoredFiles(series, v -> CsvAnomalyAnalysis.scores(v, NabScorer.probationRows(v.length), CsvAnomalyAnalysis.Detector.valueOf(args[1])));
        NabScorer.Result r = new NabScorer(NabScorer.Profile.STANDARD).score(files);
        System.out.println(args[1] + " " + r.normalised() + " thr " + r.threshold());
    }
}
