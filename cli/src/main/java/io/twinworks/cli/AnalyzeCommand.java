package io.twinworks.cli;

import io.twinworks.analytics.offline.CsvAnomalyAnalysis;
import io.twinworks.analytics.offline.InjectedAnomalyEvaluation;
import io.twinworks.analytics.offline.NabEvaluation;
import io.twinworks.analytics.offline.NabLabels;
import io.twinworks.analytics.offline.NabScorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code twinworks analyze}: the service's streaming anomaly detector over {@code timestamp,value}
 * files, in the Numenta Anomaly Benchmark's result layout, or graded on injected anomalies.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Scores a timestamp,value CSV with the analytics service's streaming detector and writes",
                "timestamp,value,anomaly_score (the NAB result layout). Each score uses only earlier rows; the",
                "first --probation percent of the rows only teach the detector (score 0).",
                "With --labels windows.json: grades the detector (or, with --stored-scores, the files' own anomaly_score",
                "column) with the NAB v1.0 scorer: per file, per category, the threshold sweep and the standard,",
                "low-FP and low-FN scores, the threshold optimised over all files given (--csv F... or --dir D)."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--csv", arity = "1..*", paramLabel = "FILE",
            description = "timestamp,value file(s) (NAB layout; CRLF accepted). Several only with --evaluate-injected or --labels.")
    List<Path> csv = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR",
            description = "With --labels: every labelled .csv under DIR/<category>/ (keys <category>/<file>, as NAB's windows).")
    Path dir;

    @Option(names = "--labels", paramLabel = "WINDOWS_JSON",
            description = "NAB-layout anomaly windows (key <category>/<file>.csv, value [[start, end], ...]): score with the NAB scorer.")
    Path labels;

    @Option(names = "--stored-scores", description = "With --labels: grade the files' anomaly_score column (e.g. a NAB result file) instead of running a detector.")
    boolean storedScores;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the scores (default: standard output).")
    Path out;

    @Option(names = "--probation", defaultValue = "15", paramLabel = "PERCENT",
            description = "Share of the rows used only for learning (NAB: 15; default: ${DEFAULT-VALUE}).")
    int probationPercent;

    @Option(names = "--evaluate-injected", description = {"Instead of writing scores: inject a spike, a level shift and a dropout",
            "into each file and grade the detector with NAB's standard-profile rules at one fixed threshold."})
    boolean evaluateInjected;

    @Option(names = "--threshold", defaultValue = "0.9", description = "Detection threshold for --evaluate-injected (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--detector", defaultValue = "novelty", paramLabel = "novelty|novelty+learned|combined|statistical",
            description = {"novelty: the service's detector (range and pattern novelty, see analytics-service README);",
                    "novelty+learned: novelty combined with the learned DL4J forecaster trained on the probation rows;",
                    "combined: the former default (statistical + learned DL4J forecaster);",
                    "statistical: the former streaming statistical detector alone (default: ${DEFAULT-VALUE})."})
    String detector;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the injection places (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        for (Path file : csv) {
            if (!Files.isReadable(file)) {
                err.println("twinworks analyze: cannot read " + file);
                return 2;
            }
        }
        if (csv.isEmpty() == (dir == null)) {
            err.println("twinworks analyze: give --csv FILE... or --dir DIR (one of them)");
            return 2;
        }
        if (dir != null && labels == null) {
            err.println("twinworks analyze: --dir needs --labels");
            return 2;
        }
        if (storedScores && labels == null) {
            err.println("twinworks analyze: --stored-scores needs --labels");
            return 2;
        }
        CsvAnomalyAnalysis.Detector mode;
        switch (detector) {
            case "novelty" -> mode = CsvAnomalyAnalysis.Detector.NOVELTY;
            case "novelty+learned" -> mode = CsvAnomalyAnalysis.Detector.NOVELTY_LEARNED;
            case "combined" -> mode = CsvAnomalyAnalysis.Detector.COMBINED;
            case "statistical" -> mode = CsvAnomalyAnalysis.Detector.STATISTICAL;
            default -> {
                err.println("twinworks analyze: --detector must be novelty, novelty+learned, combined or statistical, not '" + detector + "'");
                return 2;
            }
        }
        try {
            if (labels != null) {
                return score(mode);
            }
            if (evaluateInjected) {
                return evaluate(mode);
            }
            if (csv.size() != 1) {
                err.println("twinworks analyze: give one --csv file (several only with --evaluate-injected)");
                return 2;
            }
            CsvAnomalyAnalysis analysis = new CsvAnomalyAnalysis(probationPercent, mode);
            CsvAnomalyAnalysis.Summary summary;
            if (out == null) {
                summary = analysis.analyze(csv.get(0), spec.commandLine().getOut());
            } else {
                try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    summary = analysis.analyze(csv.get(0), writer);
                }
            }
            err.printf(Locale.ROOT, "twinworks analyze: %d rows (%d probation), max score %.3f%n",
                    summary.rows(), summary.probationRows(), summary.maxScore());
            return 0;
        } catch (CsvAnomalyAnalysis.CsvFormatException | IllegalArgumentException e) {
            err.println("twinworks analyze: " + e.getMessage());
            return 2;
        }
    }

    private int score(CsvAnomalyAnalysis.Detector mode) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(labels)) {
            err.println("twinworks analyze: cannot read " + labels);
            return 2;
        }
        if (dir != null && !Files.isDirectory(dir)) {
            err.println("twinworks analyze: not a directory: " + dir);
            return 2;
        }
        NabEvaluation evaluation = new NabEvaluation(NabLabels.read(labels));
        List<Path> files = dir != null ? evaluation.labelledFiles(dir) : csv;
        if (files.isEmpty()) {
            err.println("twinworks analyze: no file under " + dir + " is labelled in " + labels);
            return 2;
        }
        List<NabEvaluation.Series> series = new ArrayList<>();
        for (Path file : files) {
            series.add(evaluation.read(file));
        }
        NabEvaluation.ScoreSource source = storedScores ? null
                : values -> CsvAnomalyAnalysis.scores(values, NabScorer.probationRows(values.length), mode);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "NAB v1.0 scoring of %d file(s), %s%n", series.size(),
                storedScores ? "their stored anomaly_score column" : detector + " detector");
        NabEvaluation.report(NabEvaluation.scoreAllProfiles(evaluation.scoredFiles(series, source)), stdout);
        return 0;
    }

    private int evaluate(CsvAnomalyAnalysis.Detector mode) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        InjectedAnomalyEvaluation evaluation = new InjectedAnomalyEvaluation(threshold, seed, mode);
        stdout.printf(Locale.ROOT, "%-45s %6s %9s %10s %9s%n", "file", "rows", "detected", "fp_rows", "nab_std");
        double total = 0;
        for (Path file : csv) {
            InjectedAnomalyEvaluation.Result result = evaluation.evaluate(file);
            total += result.nabScore();
            stdout.printf(Locale.ROOT, "%-45s %6d %6d/%-2d %10d %9.1f%n", result.file(), result.rows(),
                    result.detected(), result.windows(), result.falsePositiveRows(), result.nabScore());
        }
        stdout.printf(Locale.ROOT, "mean NAB standard-profile score on injected anomalies (%s detector, threshold %.2f): %.1f%n",
                detector, threshold, total / csv.size());
        stdout.flush();
        return 0;
    }
}
