package io.twinworks.analytics.detect;

import io.twinworks.analytics.model.HealthState;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The streaming state of one asset: a detector per monitored signal and the latest combined
 * score. Not thread-safe: one asset's readings are processed in order on one context.
 */
public final class AssetState {

    /** Score at and above which an asset is in warning. */
    public static final double WARNING_SCORE = 0.5;
    /** Score at and above which an asset is in alarm. */
    public static final double ALARM_SCORE = 0.9;

    private final int warmupSamples;
    private final double smoothing;
    private final Map<String, SignalDetector> detectors = new HashMap<>();
    private final Map<String, Double> latestScores = new HashMap<>();
    private final Map<String, Long> lastRevisionBySignal = new HashMap<>();
    /** The learned detector's per-signal state; {@code null} until the first signal uses it (memory). */
    private Map<String, LearnedSignal> learned;
    private long lastRevision = -1;
    private long revisionFloor = -1;

    /** Creates the state with the detector settings every signal of the asset uses. */
    public AssetState(int warmupSamples, double smoothing) {
        this.warmupSamples = warmupSamples;
        this.smoothing = smoothing;
    }

    /**
     * Takes one reading of a signal at a twin revision. A reading whose revision is not newer than
     * the last one used for the same signal is dropped (duplicates and out-of-order deliveries).
     *
     * @return {@code true} if the reading was used
     */
    public boolean update(String signal, double value, long revision) {
        Objects.requireNonNull(signal, "signal");
        SignalDetector detector = detectors.computeIfAbsent(signal, s -> new SignalDetector(warmupSamples, smoothing));
        Long previous = lastRevisionBySignal.get(signal);
        if ((previous != null && revision <= previous) || revision <= revisionFloor) {
            return false;
        }
        lastRevisionBySignal.put(signal, revision);
        lastRevision = Math.max(lastRevision, revision);
        double score = detector.update(value);
        if (!Double.isNaN(score)) {
            latestScores.put(signal, score);
        }
        return true;
    }

    /**
     * The asset's anomaly score: the worst of its signals' latest scores, each the statistical score
     * combined with the learned one where there is one (0 while learning).
     */
    public double anomalyScore() {
        double worst = 0.0;
        for (Map.Entry<String, Double> entry : latestScores.entrySet()) {
            worst = Math.max(worst, signalScore(entry.getKey(), entry.getValue()));
        }
        return worst;
    }

    private double signalScore(String signal, double statistical) {
        LearnedSignal state = learned == null ? null : learned.get(signal);
        return state == null ? statistical : combine(statistical, state.lastScore());
    }

    /**
     * The learned detector's state of a signal, created with {@code factory} on first use.
     */
    public LearnedSignal learnedSignal(String signal, java.util.function.Supplier<LearnedSignal> factory) {
        if (learned == null) {
            learned = new HashMap<>(4);
        }
        return learned.computeIfAbsent(signal, s -> factory.get());
    }

    /** {@code true} when any signal's latest score includes a learned score. */
    public boolean hasLearnedScore() {
        return learned != null && learned.values().stream().anyMatch(l -> !Double.isNaN(l.lastScore()));
    }

    /**
     * The combined score of one signal from its statistical and learned scores (either may be
     * {@code NaN}: not scored yet): the larger, so either detector can raise the alarm.
     */
    public static double combine(double statistical, double learned) {
        if (Double.isNaN(learned)) {
            return statistical;
        }
        if (Double.isNaN(statistical)) {
            return learned;
        }
        return Math.max(statistical, learned);
    }

    /** The health state for the current score. */
    public HealthState healthState() {
        if (latestScores.isEmpty()) {
            return HealthState.LEARNING;
        }
        double score = anomalyScore();
        if (score >= ALARM_SCORE) {
            return HealthState.ALARM;
        }
        return score >= WARNING_SCORE ? HealthState.WARNING : HealthState.OK;
    }

    /** The learned baselines of the signals past warm-up. */
    public Map<String, io.twinworks.analytics.model.SignalBaseline> baselines() {
        Map<String, io.twinworks.analytics.model.SignalBaseline> baselines = new HashMap<>();
        detectors.forEach((signal, detector) -> {
            io.twinworks.analytics.model.SignalBaseline baseline = detector.baseline();
            if (baseline != null) {
                baselines.put(signal, baseline);
            }
        });
        return baselines;
    }

    /**
     * Takes over baselines learned elsewhere, for signals this state has not seen yet; readings at or
     * below {@code usedUpToRevision} were used there and are dropped here.
     */
    public void restore(Map<String, io.twinworks.analytics.model.SignalBaseline> baselines, long usedUpToRevision) {
        revisionFloor = Math.max(revisionFloor, usedUpToRevision);
        baselines.forEach((signal, baseline) -> {
            if (!detectors.containsKey(signal)) {
                SignalDetector detector = new SignalDetector(warmupSamples, smoothing);
                detector.restore(baseline);
                detectors.put(signal, detector);
            }
        });
    }

    /** The learned detector's state of the signals past their learned probation (the hand-over snapshot). */
    public Map<String, io.twinworks.analytics.model.LearnedBaseline> learnedBaselines() {
        Map<String, io.twinworks.analytics.model.LearnedBaseline> baselines = new HashMap<>();
        if (learned != null) {
            learned.forEach((signal, state) -> {
                io.twinworks.analytics.model.LearnedBaseline baseline = state.snapshot();
                if (baseline != null) {
                    baselines.put(signal, baseline);
                }
            });
        }
        return baselines;
    }

    /**
     * Takes over the learned detector's state handed over elsewhere, for signals whose learned state
     * here has seen no reading yet.
     *
     * @param factory creates a fresh learned state (probation and window of this service)
     */
    public void restoreLearned(Map<String, io.twinworks.analytics.model.LearnedBaseline> baselines,
                               java.util.function.Supplier<LearnedSignal> factory) {
        baselines.forEach((signal, baseline) -> learnedSignal(signal, factory).restore(baseline));
    }

    /** The newest twin revision a reading came from, or -1. */
    public long lastRevision() {
        return lastRevision;
    }

    /** The signal with the highest score, for the alarm's "why". */
    public String worstSignal() {
        return latestScores.entrySet().stream()
                .max(java.util.Comparator.comparingDouble(e -> signalScore(e.getKey(), e.getValue())))
                .map(Map.Entry::getKey).orElse(null);
    }
}
