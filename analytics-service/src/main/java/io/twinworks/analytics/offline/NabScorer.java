package io.twinworks.analytics.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Numenta Anomaly Benchmark's scoring method (NAB v1.0, Lavin &amp; Ahmad 2015), written from its
 * description: per row a weight from its place relative to the labelled anomaly windows, a threshold
 * swept over every distinct score of the whole corpus, and a score normalised between the null detector
 * (never fires, 0) and the perfect one (detects every window at its first row, 100).
 *
 * <p>Rules:
 * <ul>
 *   <li>The first {@code min(floor(0.15·rows), 750)} rows of a file are probationary and not scored.</li>
 *   <li>A detection is a row whose score is at or above the threshold.</li>
 *   <li>Inside a window only the earliest detection counts: {@code tpWeight · σ(pos) / σ(-1)} with
 *       {@code σ(x) = 2/(1+e^{5x}) − 1} and {@code pos = −(right − i + 1)/width} (−1 at the window's
 *       first row, near 0 at its last). A window without detection costs {@code fnWeight}.</li>
 *   <li>A detection outside every window costs {@code fpWeight · σ(d)} where {@code d} is its distance
 *       after the preceding window's last row over that window's width − 1 (a detection just after a
 *       window costs little); with no preceding window, or {@code d ≥ 3}, the full {@code fpWeight}.</li>
 *   <li>Raw corpus score = sum over files; normalised = 100·(raw − null)/(perfect − null).</li>
 * </ul>
 * Checked against NAB's own figure: its stored {@code numenta} results on the 34 tuning files score
 * 73.56 (test {@code NabScorerTest}).
 */
public final class NabScorer {

    /** NAB's probationary share of each file. */
    public static final double PROBATION_SHARE = 0.15;
    /** NAB caps the probationary period at 15 % of 5000 rows. */
    public static final int MAX_PROBATION_ROWS = 750;

    /** A cost matrix: NAB's application profiles. */
    public record Profile(String name, double tpWeight, double fpWeight, double fnWeight) {
        /** NAB's standard profile. */
        public static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
        /** NAB's "reward low false-positive rate" profile. */
        public static final Profile LOW_FP = new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0);
        /** NAB's "reward low false-negative rate" profile. */
        public static final Profile LOW_FN = new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0);
        /** All three, standard first. */
        public static final List<Profile> ALL = List.of(STANDARD, LOW_FP, LOW_FN);

        /** The profile with this name or its short form ({@code standard}, {@code low-fp}, {@code low-fn}). */
        public static Profile named(String name) {
            return switch (name) {
                case "standard" -> STANDARD;
                case "low-fp", "reward_low_FP_rate" -> LOW_FP;
                case "low-fn", "reward_low_FN_rate" -> LOW_FN;
                default -> throw new IllegalArgumentException("unknown NAB profile '" + name + "' (standard, low-fp, low-fn)");
            };
        }
    }

    /**
     * One scored file: its name, row scores and anomaly windows as row index ranges (inclusive).
     *
     * @param windows {@code [firstRow, lastRow]} pairs, in time order, not overlapping
     */
    public record ScoredFile(String name, double[] scores, List<int[]> windows) {
        public ScoredFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(scores, "scores");
            windows = List.copyOf(windows);
            int previousEnd = -1;
            for (int[] window : windows) {
                if (window.length != 2 || window[0] > window[1] || window[0] <= previousEnd || window[1] >= scores.length) {
                    throw new IllegalArgumentException(name + ": windows must be ordered, disjoint row ranges within the file: "
                            + Arrays.toString(window));
                }
                previousEnd = window[1];
            }
        }
    }

    /** One file's result at the chosen threshold. */
    public record FileScore(String name, double raw, int windows, int detectedWindows, int falsePositiveRows) {
    }

    /** One point of the threshold sweep: the corpus raw score with every row at or above {@code threshold} a detection. */
    public record SweepPoint(double threshold, double raw) {
    }

    /**
     * The corpus result: the best threshold, raw and normalised totals, per-file raw scores at that
     * threshold, and the sweep (descending thresholds; the first point, threshold +∞, is "never fires").
     */
    public record Result(Profile profile, double threshold, double raw, double nullRaw, double perfectRaw,
                         double normalised, List<FileScore> files, List<SweepPoint> sweep) {
        /** The sweep point of {@code threshold}: the corpus raw score with every row at or above it a detection. */
        public SweepPoint at(double threshold) {
            SweepPoint at = sweep.get(0);
            for (SweepPoint point : sweep) {
                if (point.threshold() < threshold) {
                    break;
                }
                at = point;
            }
            return new SweepPoint(threshold, at.raw());
        }

        /** The normalised score of a subset of files at this result's threshold, on the same scale rule. */
        public double normalisedOf(List<String> names) {
            double raw = 0;
            int windows = 0;
            for (FileScore file : files) {
                if (names.contains(file.name())) {
                    raw += file.raw();
                    windows += file.windows();
                }
            }
            double nullPart = -profile.fnWeight() * windows;
            double perfectPart = profile.tpWeight() * windows;
            return perfectPart == nullPart ? Double.NaN : 100 * (raw - nullPart) / (perfectPart - nullPart);
        }
    }

    private final Profile profile;

    /** @param profile the cost matrix */
    public NabScorer(Profile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    /** NAB's probationary length of a file of {@code rows} rows. */
    public static int probationRows(int rows) {
        return (int) Math.min(Math.floor(PROBATION_SHARE * rows), MAX_PROBATION_ROWS);
    }

    /** NAB's scaled sigmoid: 2·sigmoid(−5x) − 1, and −1 from x ≥ 3 on. */
    static double scaledSigmoid(double relativePosition) {
        if (relativePosition >= 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }

    /** Per scorable row: its score, its weight if detected, and its window (−1 = outside every window). */
    private record Point(double score, double weight, int window) {
    }

    /** The scorable rows of one file, window ids offset by {@code firstWindowId}; also returns the scorable windows. */
    private List<Point> points(ScoredFile file, int firstWindowId, boolean[] scorableWindow) {
        int rows = file.scores().length;
        int probation = probationRows(rows);
        double maxTp = scaledSigmoid(-1.0);
        List<Point> points = new ArrayList<>(rows - probation);
        int windowIndex = 0;
        int previousRight = -1;
        int previousWidth = 0;
        for (int i = 0; i < rows; i++) {
            int[] current = null;
            while (windowIndex < file.windows().size() && file.windows().get(windowIndex)[1] < i) {
                int[] passed = file.windows().get(windowIndex);
                previousRight = passed[1];
                previousWidth = passed[1] - passed[0] + 1;
                windowIndex++;
            }
            if (windowIndex < file.windows().size() && file.windows().get(windowIndex)[0] <= i) {
                current = file.windows().get(windowIndex);
            }
            double weight;
            int window;
            if (current != null) {
                double width = current[1] - current[0] + 1;
                double position = -(current[1] - i + 1) / width;
                weight = scaledSigmoid(position) * profile.tpWeight() / maxTp;
                window = firstWindowId + windowIndex;
            } else {
                // NAB divides by (width − 1): a one-row window behind makes every later detection a full cost.
                double position = previousRight < 0 ? 3.0 : Math.abs(previousRight - i) / (double) (previousWidth - 1);
                weight = scaledSigmoid(position) * profile.fpWeight();
                window = -1;
            }
            if (i >= probation) {
                double score = file.scores()[i];
                points.add(new Point(Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score, weight, window));
                if (window >= 0) {
                    scorableWindow[window] = true;
                }
            }
        }
        return points;
    }

    /**
     * Scores a corpus: sweeps the threshold over every distinct score of all files together, keeps the
     * best, and reports every file at it.
     */
    public Result score(List<ScoredFile> files) {
        int windowCount = files.stream().mapToInt(file -> file.windows().size()).sum();
        boolean[] scorableWindow = new boolean[windowCount];
        List<Point> all = new ArrayList<>();
        int[] fileOfWindowStart = new int[files.size()];
        int nextWindow = 0;
        for (int f = 0; f < files.size(); f++) {
            fileOfWindowStart[f] = nextWindow;
            all.addAll(points(files.get(f), nextWindow, scorableWindow));
            nextWindow += files.get(f).windows().size();
        }
        int scorable = 0;
        for (boolean s : scorableWindow) {
            scorable += s ? 1 : 0;
        }
        double nullRaw = -profile.fnWeight() * scorable;
        double perfectRaw = profile.tpWeight() * scorable;
        all.sort(Comparator.comparingDouble(Point::score).reversed());
        // best[w] = weight of the earliest detection so far in window w (the largest weight, as weights fall
        // along a window), or −fnWeight while undetected.
        double[] best = new double[windowCount];
        Arrays.fill(best, -profile.fnWeight());
        double windowsSum = nullRaw;
        double fpSum = 0;
        List<SweepPoint> sweep = new ArrayList<>();
        sweep.add(new SweepPoint(Double.POSITIVE_INFINITY, nullRaw));
        double bestRaw = nullRaw;
        double bestThreshold = Double.POSITIVE_INFINITY;
        for (int k = 0; k < all.size(); k++) {
            Point point = all.get(k);
            if (point.score() == Double.NEGATIVE_INFINITY) {
                break;
            }
            if (point.window() < 0) {
                fpSum += point.weight();
            } else if (point.weight() > best[point.window()]) {
                windowsSum += point.weight() - best[point.window()];
                best[point.window()] = point.weight();
            }
            boolean lastOfThreshold = k + 1 == all.size() || all.get(k + 1).score() != point.score();
            if (lastOfThreshold) {
                double raw = windowsSum + fpSum;
                sweep.add(new SweepPoint(point.score(), raw));
                if (raw > bestRaw) {
                    bestRaw = raw;
                    bestThreshold = point.score();
                }
            }
        }
        List<FileScore> perFile = new ArrayList<>(files.size());
        for (int f = 0; f < files.size(); f++) {
            perFile.add(fileAt(files.get(f), bestThreshold));
        }
        double normalised = perfectRaw == nullRaw ? Double.NaN : 100 * (bestRaw - nullRaw) / (perfectRaw - nullRaw);
        return new Result(profile, bestThreshold, bestRaw, nullRaw, perfectRaw, normalised, perFile, sweep);
    }

    /** One file's raw score with every scorable row at or above {@code threshold} a detection. */
    public FileScore fileAt(ScoredFile file, double threshold) {
        boolean[] scorableWindow = new boolean[file.windows().size()];
        List<Point> points = points(file, 0, scorableWindow);
        double[] best = new double[file.windows().size()];
        Arrays.fill(best, -profile.fnWeight());
        double fp = 0;
        int fpRows = 0;
        for (Point point : points) {
            if (point.score() >= threshold) {
                if (point.window() < 0) {
                    fp += point.weight();
                    fpRows++;
                } else {
                    best[point.window()] = Math.max(best[point.window()], point.weight());
                }
            }
        }
        double raw = fp;
        int windows = 0;
        int detected = 0;
        for (int w = 0; w < best.length; w++) {
            if (scorableWindow[w]) {
                windows++;
                raw += best[w];
                detected += best[w] > -profile.fnWeight() ? 1 : 0;
            }
        }
        return new FileScore(file.name(), raw, windows, detected, fpRows);
    }

    /** Per-file results keyed by name, in input order. */
    public static Map<String, FileScore> byName(Result result) {
        Map<String, FileScore> map = new LinkedHashMap<>();
        result.files().forEach(file -> map.put(file.name(), file));
        return map;
    }
}
