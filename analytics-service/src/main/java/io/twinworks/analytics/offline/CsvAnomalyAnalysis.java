package io.twinworks.analytics.offline;

import io.twinworks.analytics.detect.AssetState;
import io.twinworks.analytics.detect.LearnedSignal;
import io.twinworks.analytics.detect.NoveltyDetector;
import io.twinworks.analytics.detect.SignalDetector;
import io.twinworks.analytics.ml.ForecastModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the service's streaming detector ({@link SignalDetector}, the same code the twins get) over a
 * {@code timestamp,value} CSV file and writes {@code timestamp,value,anomaly_score}: the layout of the
 * Numenta Anomaly Benchmark's result files.
 *
 * <p>Streaming rules as in NAB: each row's score uses only earlier rows; the first
 * {@code probationPercent} of the rows (NAB's probationary period, 15 %) only teach the detector its
 * normal operation and are written with score 0; the settings are the same for every file.
 */
public final class CsvAnomalyAnalysis {

    /** NAB's probationary period. */
    public static final int DEFAULT_PROBATION_PERCENT = 15;
    /** EWMA weight of the drift score on a CSV series (the service's default, 20 %). */
    static final double SMOOTHING = 0.2;

    /** Which detector scores a series. */
    public enum Detector {
        /** The default: the pattern-novelty detector ({@link NoveltyDetector}, the service's default). */
        NOVELTY,
        /** The streaming statistical detector alone ({@link SignalDetector}). */
        STATISTICAL,
        /** The former default: statistical combined with the learned DL4J forecaster. */
        COMBINED,
        /** The novelty detector combined with the learned DL4J forecaster (to measure what the forecaster adds). */
        NOVELTY_LEARNED
    }

    private final int probationPercent;
    private final Detector detector;

    /** @param probationPercent share of the rows used only for learning, 1..50; the default (novelty) detector */
    public CsvAnomalyAnalysis(int probationPercent) {
        this(probationPercent, Detector.NOVELTY);
    }

    /** @param probationPercent share of the rows used only for learning, 1..50 */
    public CsvAnomalyAnalysis(int probationPercent, Detector detector) {
        if (probationPercent < 1 || probationPercent > 50) {
            throw new IllegalArgumentException("probationPercent must be within 1..50: " + probationPercent);
        }
        this.probationPercent = probationPercent;
        this.detector = java.util.Objects.requireNonNull(detector, "detector");
    }

    /**
     * Scores a series as a stream. {@link Detector#NOVELTY}: {@link NoveltyDetector} with its defaults
     * learns from every row (its own warm-up), the probation rows are written as 0. Otherwise the statistical detector learns from the first {@code probation}
     * values. With {@link Detector#COMBINED} or {@link Detector#NOVELTY_LEARNED} a {@link ForecastModel} is trained on the standardised
     * probation values only (the series' normal operation) and then forecasts every later value from
     * the {@code window} values before it. No score uses a later value; the probation scores 0.
     */
    public static double[] scores(double[] values, int probation, Detector detector) {
        double[] scores = new double[values.length];
        if (detector == Detector.NOVELTY || detector == Detector.NOVELTY_LEARNED) {
            NoveltyDetector novelty = new NoveltyDetector();
            for (int i = 0; i < values.length; i++) {
                double score = novelty.update(values[i]);
                scores[i] = i < probation ? 0.0 : score;
            }
        } else {
            SignalDetector statistical = new SignalDetector(probation, SMOOTHING);
            for (int i = 0; i < values.length; i++) {
                double score = statistical.update(values[i]);
                scores[i] = Double.isNaN(score) ? 0.0 : score;
            }
        }
        if (detector == Detector.STATISTICAL || detector == Detector.NOVELTY) {
            return scores;
        }
        ForecastModel.Settings settings = ForecastModel.Settings.DEFAULTS;
        LearnedSignal learned = new LearnedSignal(probation, settings.window());
        List<Double> probationValues = new ArrayList<>();
        int i = 0;
        for (; i < values.length && learned.inProbation(); i++) {
            learned.push(values[i], true);
            if (Double.isFinite(values[i])) {
                probationValues.add(values[i]);
            }
        }
        double[] normal = probationValues.stream().mapToDouble(learned::standardise).toArray();
        double[][][] training = ForecastModel.trainingSet(normal, settings.window());
        if (training[0].length < 10) {
            return scores;
        }
        ForecastModel model = ForecastModel.train(training[0], training[1][0], settings);
        // Every window below holds only values before the one it forecasts, so one batched call
        // gives the same forecasts as calling the frozen model row by row.
        int first = i;
        List<double[]> windows = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (; i < values.length; i++) {
            double[] window = learned.window();
            if (window != null && Double.isFinite(values[i])) {
                windows.add(window);
                rows.add(i);
            }
            learned.push(values[i], false);
        }
        double[] forecasts = model.predict(windows.toArray(double[][]::new));
        LearnedSignal scoring = new LearnedSignal(probation, settings.window());
        for (int k = 0; k < first; k++) {
            scoring.push(values[k], false);
        }
        for (int k = 0; k < forecasts.length; k++) {
            int row = rows.get(k);
            scores[row] = AssetState.combine(scores[row], scoring.score(forecasts[k], values[row], model.residualRmse()));
        }
        return scores;
    }

    /** What one analysis did. */
    public record Summary(int rows, int probationRows, int skippedRows, double maxScore) {
    }

    /**
     * Reads {@code input}, scores it and writes the result.
     *
     * @throws CsvFormatException when the header or a row is malformed (with its line number)
     */
    public Summary analyze(Path input, Writer output) throws IOException {
        List<String[]> rows = read(input);
        int probationRows = Math.max(2, (int) Math.floor(rows.size() * probationPercent / 100.0));
        double[] values = rows.stream().mapToDouble(row -> Double.parseDouble(row[1])).toArray();
        double[] scores = scores(values, probationRows, detector);
        output.write("timestamp,value,anomaly_score\n");
        int skipped = 0;
        double maxScore = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                skipped++;
            }
            maxScore = Math.max(maxScore, scores[i]);
            String[] row = rows.get(i);
            output.write(row[0] + "," + row[1] + "," + String.format(Locale.ROOT, "%.6f", scores[i]) + "\n");
        }
        output.flush();
        return new Summary(rows.size(), probationRows, skipped, maxScore);
    }

    /** The rows as {@code [timestamp, value]}, validated; CRLF and a missing final newline are accepted. */
    static List<String[]> read(Path input) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            columns(input, reader.readLine());
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split(",");
                if (fields.length < 2) {
                    throw new CsvFormatException(input + ":" + lineNumber + ": expected timestamp,value but got '" + line + "'");
                }
                try {
                    Double.parseDouble(fields[1].strip());
                } catch (NumberFormatException e) {
                    throw new CsvFormatException(input + ":" + lineNumber + ": value '" + fields[1] + "' is not a number");
                }
                rows.add(new String[] {fields[0].strip(), fields[1].strip()});
            }
        }
        if (rows.size() < 3) {
            throw new CsvFormatException(input + ": needs at least 3 data rows, has " + rows.size());
        }
        return rows;
    }

    /**
     * The columns of a {@code timestamp,value[,...]} header line ({@code null}: empty file).
     *
     * @throws CsvFormatException when the header does not start with {@code timestamp,value}
     */
    static List<String> columns(Path input, String header) throws CsvFormatException {
        if (header == null) {
            throw new CsvFormatException(input + ": empty file, expected the header timestamp,value");
        }
        List<String> columns = java.util.Arrays.stream(header.strip().split(",", -1)).map(String::strip).toList();
        if (columns.size() < 2 || !"timestamp".equals(columns.get(0)) || !"value".equals(columns.get(1))) {
            throw new CsvFormatException(input + ":1: header must start with timestamp,value but is '" + header.strip() + "'");
        }
        return columns;
    }

    /** A CSV file that does not have the {@code timestamp,value} layout. */
    public static final class CsvFormatException extends IOException {
        public CsvFormatException(String message) {
            super(message);
        }
    }
}
