package io.twinworks.analytics.offline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An honest quality check on real series without their held-out labels: known anomalies (a spike,
 * a level shift, a dropout to the series' minimum) are injected at seeded random places after the
 * probationary period of a real {@code timestamp,value} series, and the detector's scores are graded
 * with NAB's standard-profile rules (windows of 10 % of the series split among the anomalies,
 * centred on each; earlier detection in a window earns more; every alarm row outside a window costs
 * 0.11) at ONE fixed threshold for all files. The untouched series are real data, so alarms outside
 * the injected windows include the series' own (unlabelled) anomalies: the score is a lower bound.
 */
public final class InjectedAnomalyEvaluation {

    /** NAB standard profile weights. */
    static final double TP_WEIGHT = 1.0;
    static final double FN_WEIGHT = 1.0;
    static final double FP_WEIGHT = 0.11;

    private final double threshold;
    private final long seed;
    private final CsvAnomalyAnalysis.Detector detector;

    /**
     * @param threshold score at and above which a row counts as a detection (the same for every file)
     * @param seed      seeds where the anomalies go
     */
    public InjectedAnomalyEvaluation(double threshold, long seed) {
        this(threshold, seed, CsvAnomalyAnalysis.Detector.COMBINED);
    }

    /** @param detector the detector graded */
    public InjectedAnomalyEvaluation(double threshold, long seed, CsvAnomalyAnalysis.Detector detector) {
        this.threshold = threshold;
        this.seed = seed;
        this.detector = java.util.Objects.requireNonNull(detector, "detector");
    }

    /** The grade of one series. */
    public record Result(String file, int rows, int windows, int detected, int falsePositiveRows, double nabScore) {
    }

    /** Injects three anomalies into the series, scores it, and grades the detections. */
    public Result evaluate(Path csv) throws IOException {
        List<String[]> rows = CsvAnomalyAnalysis.read(csv);
        int n = rows.size();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Double.parseDouble(rows.get(i)[1]);
        }
        int probation = Math.max(2, (int) Math.floor(n * CsvAnomalyAnalysis.DEFAULT_PROBATION_PERCENT / 100.0));
        double spread = standardDeviation(values, probation);
        double minimum = java.util.Arrays.stream(values, 0, probation).min().orElse(0);
        int anomalies = 3;
        int windowLength = Math.max(4, n / 10 / anomalies);
        Random random = new Random(seed ^ csv.getFileName().toString().hashCode());
        List<int[]> windows = new ArrayList<>();
        int span = (n - probation - windowLength) / anomalies;
        for (int k = 0; k < anomalies; k++) {
            int start = probation + windowLength / 2 + k * span + random.nextInt(Math.max(1, span - windowLength));
            switch (k) {
                case 0 -> values[start] += 8 * spread;                              // spike
                case 1 -> shift(values, start, Math.min(n, start + windowLength), 4 * spread); // level shift
                default -> {                                                        // dropout
                    for (int i = start; i < Math.min(n, start + windowLength / 4 + 1); i++) {
                        values[i] = minimum - spread;
                    }
                }
            }
            windows.add(new int[] {Math.max(probation, start - windowLength / 2), Math.min(n - 1, start + windowLength / 2)});
        }
        double[] scores = CsvAnomalyAnalysis.scores(values, probation, detector);
        return grade(csv.getFileName().toString(), scores, probation, windows);
    }

    private Result grade(String file, double[] scores, int probation, List<int[]> windows) {
        double raw = 0;
        int detected = 0;
        int falsePositives = 0;
        boolean[] windowHit = new boolean[windows.size()];
        for (int i = probation; i < scores.length; i++) {
            if (scores[i] < threshold) {
                continue;
            }
            int inside = -1;
            int lastEndedBefore = -1;
            for (int w = 0; w < windows.size(); w++) {
                if (i >= windows.get(w)[0] && i <= windows.get(w)[1]) {
                    inside = w;
                } else if (windows.get(w)[1] < i) {
                    lastEndedBefore = w;
                }
            }
            if (inside >= 0) {
                if (!windowHit[inside]) {
                    windowHit[inside] = true;
                    detected++;
                    int[] window = windows.get(inside);
                    double position = -(window[1] - i + 1.0) / (window[1] - window[0] + 1.0);
                    raw += TP_WEIGHT * scaledSigmoid(position);
                }
            } else {
                falsePositives++;
                if (lastEndedBefore >= 0) {
                    int[] window = windows.get(lastEndedBefore);
                    double position = Math.abs(window[1] - i) / (window[1] - window[0] + 1.0);
                    raw += FP_WEIGHT * scaledSigmoid(position);
                } else {
                    raw -= FP_WEIGHT;
                }
            }
        }
        raw -= FN_WEIGHT * (windows.size() - detected);
        double nullScore = -FN_WEIGHT * windows.size();
        double perfect = TP_WEIGHT * windows.size();
        return new Result(file, scores.length, windows.size(), detected, falsePositives,
                100 * (raw - nullScore) / (perfect - nullScore));
    }

    /** NAB's scaled sigmoid: about +1 early in a window, 0 at its end, towards -1 long after it. */
    static double scaledSigmoid(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }

    private static void shift(double[] values, int from, int to, double by) {
        for (int i = from; i < to; i++) {
            values[i] += by;
        }
    }

    private static double standardDeviation(double[] values, int count) {
        double mean = 0;
        for (int i = 0; i < count; i++) {
            mean += values[i];
        }
        mean /= count;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += (values[i] - mean) * (values[i] - mean);
        }
        return Math.max(Math.sqrt(sum / (count - 1)), 1e-9);
    }
}
