package io.twinworks.cli;

import io.twinworks.analytics.offline.CsvAnomalyAnalysis;
import io.twinworks.analytics.offline.InjectedAnomalyEvaluation;
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
                "first --probation percent of the rows only teach the detector (score 0)."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--csv", required = true, arity = "1..*", paramLabel = "FILE",
            description = "timestamp,value file(s) (NAB layout; CRLF accepted). Several only with --evaluate-injected.")
    List<Path> csv;

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

    @Option(names = "--detector", defaultValue = "combined", paramLabel = "combined|statistical",
            description = {"combined: the service's detector (statistical + learned DL4J forecaster trained on the probation rows);",
                    "statistical: the streaming statistical detector alone (default: ${DEFAULT-VALUE})."})
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
        CsvAnomalyAnalysis.Detector mode;
        switch (detector) {
            case "combined" -> mode = CsvAnomalyAnalysis.Detector.COMBINED;
            case "statistical" -> mode = CsvAnomalyAnalysis.Detector.STATISTICAL;
            default -> {
                err.println("twinworks analyze: --detector must be combined or statistical, not '" + detector + "'");
                return 2;
            }
        }
        try {
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
