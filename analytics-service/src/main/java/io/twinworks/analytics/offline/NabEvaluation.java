package io.twinworks.analytics.offline;

import org.jspecify.annotations.Nullable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Grades anomaly scores of labelled series with {@link NabScorer}: reads the series, takes their scores
 * (from a detector, or from a NAB result file's {@code anomaly_score} column), maps the labelled windows
 * onto rows and scores the corpus under each profile with the threshold optimised on the corpus.
 */
public final class NabEvaluation {

    /** Where the scores of a series come from. */
    @FunctionalInterface
    public interface ScoreSource {
        /** The scores of a series (one per value; causal detectors only look back). */
        double[] scores(double[] values);
    }

    /** A labelled series: its key in the windows file, timestamps, values and (optional) stored scores. */
    public record Series(String key, LocalDateTime[] timestamps, double[] values, double @Nullable [] storedScores) {
    }

    private final NabLabels labels;

    /** @param labels the anomaly windows */
    public NabEvaluation(NabLabels labels) {
        this.labels = labels;
    }

    /**
     * The labelled {@code .csv} files under {@code dir}, keyed {@code <sub-directory>/<file>} as in NAB's
     * layout (or the bare name for files directly in {@code dir}); files without labels are left out.
     */
    public List<Path> labelledFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            walk.filter(path -> path.toString().endsWith(".csv") && Files.isRegularFile(path))
                    .sorted()
                    .forEach(path -> {
                        if (labels.keyOf(path).isPresent()) {
                            files.add(path);
                        }
                    });
        }
        return files;
    }

    /**
     * Reads a series ({@code timestamp,value[,anomaly_score]}).
     *
     * @throws IOException when the file is malformed (with its line) or not labelled
     */
    public Series read(Path file) throws IOException {
        String key = labels.keyOf(file).orElseThrow(() -> new CsvAnomalyAnalysis.CsvFormatException(
                file + ": no windows for it in the labels (key '<category>/" + file.getFileName() + "' or '" + file.getFileName() + "')"));
        List<LocalDateTime> timestamps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> columns = CsvAnomalyAnalysis.columns(file, reader.readLine());
            int scoreColumn = columns.indexOf("anomaly_score");
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                String where = file + ":" + lineNumber;
                if (fields.length < Math.max(2, scoreColumn + 1)) {
                    throw new CsvAnomalyAnalysis.CsvFormatException(where + ": expected " + columns.size() + " fields but got '" + line + "'");
                }
                LocalDateTime timestamp = NabLabels.timestamp(fields[0], where);
                if (!timestamps.isEmpty() && timestamp.isBefore(timestamps.get(timestamps.size() - 1))) {
                    // NAB's own series repeat a timestamp now and then (clock changes), never go back.
                    throw new CsvAnomalyAnalysis.CsvFormatException(where + ": timestamps must not decrease, " + fields[0] + " does");
                }
                timestamps.add(timestamp);
                values.add(number(fields[1], where, "value"));
                if (scoreColumn >= 0) {
                    scores.add(number(fields[scoreColumn], where, "anomaly_score"));
                }
            }
        }
        if (timestamps.size() < 3) {
            throw new CsvAnomalyAnalysis.CsvFormatException(file + ": needs at least 3 data rows, has " + timestamps.size());
        }
        return new Series(key, timestamps.toArray(LocalDateTime[]::new), values.stream().mapToDouble(Double::doubleValue).toArray(),
                scores.isEmpty() ? null : scores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double number(String text, String where, String column) throws CsvAnomalyAnalysis.CsvFormatException {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new CsvAnomalyAnalysis.CsvFormatException(where + ": " + column + " '" + text + "' is not a number");
        }
    }

    /**
     * Scores the series: with {@code source == null} their stored {@code anomaly_score} column (a NAB
     * result file), otherwise what the source gives.
     */
    public List<NabScorer.ScoredFile> scoredFiles(List<Series> series, ScoreSource source) {
        List<NabScorer.ScoredFile> files = new ArrayList<>(series.size());
        for (Series one : series) {
            double[] scores;
            if (source == null) {
                if (one.storedScores() == null) {
                    throw new IllegalArgumentException(one.key() + ": has no anomaly_score column to grade");
                }
                scores = one.storedScores();
            } else {
                scores = source.scores(one.values());
            }
            List<int[]> windows = NabLabels.rowRanges(one.key(), labels.windowsOf(one.key()).orElseThrow(), one.timestamps());
            files.add(new NabScorer.ScoredFile(one.key(), scores, windows));
        }
        return files;
    }

    /** Scores under every profile: standard, low-FP, low-FN. */
    public static Map<NabScorer.Profile, NabScorer.Result> scoreAllProfiles(List<NabScorer.ScoredFile> files) {
        Map<NabScorer.Profile, NabScorer.Result> results = new LinkedHashMap<>();
        for (NabScorer.Profile profile : NabScorer.Profile.ALL) {
            results.put(profile, new NabScorer(profile).score(files));
        }
        return results;
    }

    /** The category of a key: the part before the first {@code /}, or {@code ""}. */
    public static String category(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /**
     * Prints per file (standard profile) and per category, the three profiles' totals, and the standard
     * profile's threshold sweep at fixed thresholds plus the best.
     */
    public static void report(Map<NabScorer.Profile, NabScorer.Result> results, PrintWriter out) {
        NabScorer.Result standard = java.util.Objects.requireNonNull(results.get(NabScorer.Profile.STANDARD),
                "the results carry the standard profile");
        out.printf(Locale.ROOT, "%-62s %7s %9s %8s %9s%n", "file", "windows", "detected", "fp_rows", "raw_std");
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (NabScorer.FileScore file : standard.files()) {
            out.printf(Locale.ROOT, "%-62s %7d %9d %8d %9.3f%n", file.name(), file.windows(), file.detectedWindows(),
                    file.falsePositiveRows(), file.raw());
            categories.computeIfAbsent(category(file.name()), c -> new ArrayList<>()).add(file.name());
        }
        if (categories.size() > 1) {
            out.println();
            out.printf(Locale.ROOT, "%-30s %6s %9s %14s%n", "category", "files", "raw_std", "normalised_std");
            for (Map.Entry<String, List<String>> category : categories.entrySet()) {
                double raw = standard.files().stream().filter(f -> category.getValue().contains(f.name()))
                        .mapToDouble(NabScorer.FileScore::raw).sum();
                double normalised = standard.normalisedOf(category.getValue());
                out.printf(Locale.ROOT, "%-30s %6d %9.3f %14s%n", category.getKey(), category.getValue().size(), raw,
                        Double.isNaN(normalised) ? "n/a (no windows)" : String.format(Locale.ROOT, "%.2f", normalised));
            }
        }
        out.println();
        out.println("threshold sweep (standard profile; a row at or above the threshold is a detection):");
        out.printf(Locale.ROOT, "  %12s %10s %10s%n", "threshold", "raw", "normalised");
        for (double threshold : SWEEP_SHOWN) {
            printSweep(out, standard, standard.at(threshold), "");
        }
        printSweep(out, standard, new NabScorer.SweepPoint(standard.threshold(), standard.raw()), "  <- best");
        out.println();
        for (NabScorer.Result result : results.values()) {
            out.printf(Locale.ROOT, "NAB %-18s score %6.2f  (threshold %s, raw %.3f, null %.1f, perfect %.1f, %d files)%n",
                    result.profile().name(), result.normalised(), threshold(result.threshold()), result.raw(),
                    result.nullRaw(), result.perfectRaw(), result.files().size());
        }
        out.flush();
    }

    /** The thresholds at which the sweep is printed (besides the best). */
    static final double[] SWEEP_SHOWN = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};

    private static void printSweep(PrintWriter out, NabScorer.Result result, NabScorer.SweepPoint point, String note) {
        double normalised = 100 * (point.raw() - result.nullRaw()) / (result.perfectRaw() - result.nullRaw());
        out.printf(Locale.ROOT, "  %12s %10.3f %10.2f%s%n", threshold(point.threshold()), point.raw(), normalised, note);
    }

    private static String threshold(double value) {
        return Double.isInfinite(value) ? "never" : String.format(Locale.ROOT, "%.6f", value);
    }
}
