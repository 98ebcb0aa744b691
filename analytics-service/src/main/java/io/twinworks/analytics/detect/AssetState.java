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
    /** Per signal: its detector and the revision of its last reading (one lookup, no boxing per reading). */
    private final Map<String, Signal> signals = new HashMap<>();
    private int scoredSignals;
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
        Signal state = signals.get(signal);
        if (state == null) {
            state = new Signal(new SignalDetector(warmupSamples, smoothing));
            signals.put(signal, state);
        }
        if (revision <= state.lastRevision || revision <= revisionFloor) {
            return false;
        }
        state.lastRevision = revision;
        lastRevision = Math.max(lastRevision, revision);
        boolean wasScored = !Double.isNaN(state.detector.lastScore());
        state.detector.update(value);
        if (!wasScored && !Double.isNaN(state.detector.lastScore())) {
            scoredSignals++;
        }
        return true;
    }

    /**
     * The asset's anomaly score: the worst of its signals' latest scores, each the statistical score
     * combined with the learned one where there is one (0 while learning).
     */
    public double anomalyScore() {
        return worst(false);
    }

    /**
     * The score the health state follows: the worst of the signals' health scores (drift, or novelty
     * only when it repeats: {@link SignalDetector#healthScore()}), each combined with the learned score
     * where there is one.
     */
    public double healthScore() {
        return worst(true);
    }

    /** The worst signal's anomaly score, or with {@code health} its health score (0 while learning). */
    private double worst(boolean health) {
        double worst = 0.0;
        for (Map.Entry<String, Signal> entry : signals.entrySet()) {
            SignalDetector detector = entry.getValue().detector;
            double score = health ? detector.healthScore() : detector.lastScore();
            if (!Double.isNaN(score)) {
                worst = Math.max(worst, signalScore(entry.getKey(), score));
            }
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

    /**
     * The health state for the current health score ({@link #healthScore()}): a single novel reading
     * shows in the anomaly score but does not change the health.
     */
    public HealthState healthState() {
        if (scoredSignals == 0) {
            return HealthState.LEARNING;
        }
        double score = healthScore();
        if (score >= ALARM_SCORE) {
            return HealthState.ALARM;
        }
        return score >= WARNING_SCORE ? HealthState.WARNING : HealthState.OK;
    }

    /** The learned baselines of the signals past warm-up. */
    public Map<String, io.twinworks.analytics.model.SignalBaseline> baselines() {
        Map<String, io.twinworks.analytics.model.SignalBaseline> baselines = new HashMap<>();
        signals.forEach((signal, state) -> {
            io.twinworks.analytics.model.SignalBaseline baseline = state.detector.baseline();
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
            if (!signals.containsKey(signal)) {
                SignalDetector detector = new SignalDetector(warmupSamples, smoothing);
                detector.restore(baseline);
                signals.put(signal, new Signal(detector));
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

    /** The signal with the highest health score (the one that set the health), for the alarm's "why". */
    public String worstSignal() {
        String worst = null;
        double worstScore = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Signal> entry : signals.entrySet()) {
            double score = entry.getValue().detector.healthScore();
            if (!Double.isNaN(score) && signalScore(entry.getKey(), score) > worstScore) {
                worstScore = signalScore(entry.getKey(), score);
                worst = entry.getKey();
            }
        }
        return worst;
    }

    /** One signal's detector and the twin revision of its last used reading. */
    private static final class Signal {
        final SignalDetector detector;
        long lastRevision = Long.MIN_VALUE;

        Signal(SignalDetector detector) {
            this.detector = detector;
        }
    }
}
