package io.twinworks.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.detect.AssetState;
import io.twinworks.analytics.model.HealthState;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.analytics.model.Reading;
import io.twinworks.analytics.rul.RulEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Keeps per-asset streaming state, scores every reading, and writes the asset's prediction back to
 * its twin: at most once per write interval, but at once when the health state changes.
 *
 * <p>Not thread-safe by design: all readings are handed in on one Vert.x context, in order.
 */
public final class TwinAnalytics {

    /** Name of the detector written as {@code predictions.model}. */
    public static final String MODEL = "twinworks-streaming";
    /** Its version, written as {@code predictions.modelVersion} (3: statistical combined with the learned forecaster; 4: the novelty detector's context memory is handed over in {@code baselines.<signal>.ctx}). */
    public static final String MODEL_VERSION = "4";
    /** Appended to {@link #MODEL} when the score includes the learned (DL4J forecaster) part. */
    public static final String LEARNED_MODEL_SUFFIX = "+dl4j-forecast";

    private static final Logger LOG = LoggerFactory.getLogger(TwinAnalytics.class);

    private final AnalyticsConfig config;
    private final PredictionWriter writer;
    private final Clock clock;
    private final Map<String, Asset> assets = new HashMap<>();
    private final Counter readingsUsed;
    private final Counter readingsDropped;
    private final Counter predictionsWritten;
    private final Counter writeFailures;
    private final HealthAlarms alarms;
    private final Counter alarmsSent;
    private final Counter restored;
    private final Counter rulEstimates;
    private final Counter rulFailures;
    private final Counter learnedFailures;
    private RulEstimator rul;
    /** The RUL model's counter inputs as signals ({@code sensors/cycle}): given to the model, not scored. */
    private java.util.Set<String> rulCounters = java.util.Set.of();
    private io.twinworks.analytics.learn.LearnedForecasts learned;

    /**
     * @param config the service configuration (detector settings, write interval)
     * @param writer writes predictions into twins
     * @param meters receives the service's counters
     * @param clock  the time source for {@code computedAt} and the write interval
     */
    public TwinAnalytics(AnalyticsConfig config, PredictionWriter writer, MeterRegistry meters, Clock clock) {
        this(config, writer, HealthAlarms.NONE, meters, clock);
    }

    /**
     * @param alarms told after a write that made an asset's health worse than the last written state
     */
    public TwinAnalytics(AnalyticsConfig config, PredictionWriter writer, HealthAlarms alarms, MeterRegistry meters, Clock clock) {
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        this.config = Objects.requireNonNull(config, "config");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.readingsUsed = meters.counter("twinworks_analytics_readings_total", "outcome", "used");
        this.readingsDropped = meters.counter("twinworks_analytics_readings_total", "outcome", "dropped");
        this.predictionsWritten = meters.counter("twinworks_analytics_predictions_written_total");
        this.writeFailures = meters.counter("twinworks_analytics_write_failures_total");
        this.alarmsSent = meters.counter("twinworks_analytics_health_alarms_total");
        this.restored = meters.counter("twinworks_analytics_assets_restored_total");
        this.rulEstimates = meters.counter("twinworks_analytics_rul_estimates_total", "outcome", "ok");
        this.rulFailures = meters.counter("twinworks_analytics_rul_estimates_total", "outcome", "failed");
        this.learnedFailures = meters.counter("twinworks_analytics_learned_failures_total");
        meters.gaugeMapSize("twinworks_analytics_assets", List.of(), assets);
    }

    /**
     * Uses a RUL model from now on (or none with {@code null}). Each change that carries every
     * input of the model in the configured RUL feature is one cycle of the asset's history.
     */
    public void useRulEstimator(RulEstimator estimator) {
        this.rul = estimator;
        this.rulCounters = estimator == null ? java.util.Set.of()
                : estimator.counters().stream().map(counter -> config.rulFeature() + "/" + counter).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Combines the statistical detector with the learned forecaster from now on (or not, with
     * {@code null}): every used reading also goes to it; each learned score that comes back updates
     * the asset's score and may write (a write does not wait for pending learned scores: under a
     * steady stream there would always be one, and writes would starve).
     */
    public void useLearnedForecasts(io.twinworks.analytics.learn.LearnedForecasts forecasts) {
        this.learned = forecasts;
    }

    /**
     * The signals (as {@code featureId/property}) a RUL estimator needs, to be read from twin changes:
     * each input by its model name ({@code s2}) and, for C-MAPSS sensors, by its physical name ({@code T24},
     * as the turbofan Thing Model's {@code sensors} feature has it). All but its
     * {@linkplain RulEstimator#counters() counters} are also scored for anomalies.
     */
    public static java.util.Set<String> rulSignals(String rulFeature, RulEstimator estimator) {
        java.util.Set<String> signals = new java.util.LinkedHashSet<>();
        estimator.inputs().forEach(input -> {
            signals.add(rulFeature + "/" + input);
            String physical = io.twinworks.analytics.ml.CmapssData.sensorName(input);
            if (physical != null) {
                signals.add(rulFeature + "/" + physical);
            }
        });
        return signals;
    }

    /** Takes the readings of one twin change (one thing, one revision) and writes a prediction if due. */
    public void onReadings(List<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        String thingId = readings.get(0).thingId();
        Asset asset = assets.computeIfAbsent(thingId, id -> new Asset(new AssetState(config.warmupSamples(), config.smoothing())));
        RulEstimator estimator = rul;
        // the used values are only needed by the learned detector and the RUL model: without them (the
        // default) no map is built and nothing is boxed per reading
        Map<String, Double> used = learned == null && estimator == null ? null : new HashMap<>();
        Map<String, Double> counters = rulCounters.isEmpty() ? Map.of() : new HashMap<>();
        for (Reading reading : readings) {
            if (rulCounters.contains(reading.signal())) {
                // a cycle counter grows for ever: scored, it would read as novelty; only the RUL model reads it
                counters.put(reading.signal(), reading.value());
                continue;
            }
            if (asset.state.update(reading.signal(), reading.value(), reading.revision())) {
                readingsUsed.increment();
                if (used != null) {
                    used.put(reading.signal(), reading.value());
                }
            } else {
                readingsDropped.increment();
            }
        }
        if (used != null) {
            observeLearned(thingId, asset, used);
        }
        double[] cycle = estimator == null ? null : cycleOf(estimator, used, counters);
        if (cycle == null) {
            writeIfDue(thingId, asset);
            return;
        }
        int counter = estimator.counters().isEmpty() ? -1 : estimator.inputs().indexOf(estimator.counters().get(0));
        asset.appendCycle(cycle, estimator.window(), estimator.baselineCycles(), counter);
        asset.rulPending++;
        estimator.estimate(asset.history(estimator.baselineCycles())).onComplete(result -> {
            asset.rulPending--;
            if (result.succeeded()) {
                rulEstimates.increment();
                asset.rulCycles = OptionalDouble.of(Math.round(result.result() * 10) / 10.0);
                asset.rulModel = estimator;
            } else {
                rulFailures.increment();
                LOG.warn("RUL estimate of {} failed: {}", thingId, result.cause().toString());
            }
            writeIfDue(thingId, asset);
        });
    }

    private void observeLearned(String thingId, Asset asset, Map<String, Double> used) {
        io.twinworks.analytics.learn.LearnedForecasts forecasts = learned;
        if (forecasts == null) {
            return;
        }
        used.forEach((signal, value) -> {
            io.vertx.core.Future<Double> score = forecasts.observe(signal,
                    asset.state.learnedSignal(signal, forecasts::newSignalState), value);
            if (score == null) {
                return;
            }
            score.onComplete(result -> {
                if (result.failed()) {
                    learnedFailures.increment();
                    LOG.warn("learned score of {} {} failed: {}", thingId, signal, result.cause().toString());
                }
                writeIfDue(thingId, asset);
            });
        });
    }

    /** The model inputs of a change in model order (scored signals or counters), or {@code null} unless the change has all of them. */
    private double[] cycleOf(RulEstimator estimator, Map<String, Double> used, Map<String, Double> counters) {
        List<String> inputs = estimator.inputs();
        double[] cycle = new double[inputs.size()];
        for (int i = 0; i < cycle.length; i++) {
            Double value = used.get(config.rulFeature() + "/" + inputs.get(i));
            if (value == null) {
                value = counters.get(config.rulFeature() + "/" + inputs.get(i));
            }
            if (value == null) {
                // the turbofan Thing Model names C-MAPSS sensors physically (s2 = T24)
                String physical = io.twinworks.analytics.ml.CmapssData.sensorName(inputs.get(i));
                value = physical == null ? null : used.get(config.rulFeature() + "/" + physical);
            }
            if (value == null) {
                return null;
            }
            cycle[i] = value;
        }
        return cycle;
    }

    /**
     * Drops the state of assets this instance no longer owns (their Kafka partitions moved to
     * another replica): a later event of theirs starts them afresh.
     */
    public void forget(java.util.Collection<String> thingIds) {
        thingIds.forEach(assets::remove);
    }

    /** The assets with state here (a copy). */
    public java.util.Set<String> assetIds() {
        return java.util.Set.copyOf(assets.keySet());
    }

    /**
     * Takes an asset over from its twin's last predictions (before its first reading here): the
     * learned baselines and the learned detector's state, so it is scored at once, and the last written health state, so a state the
     * twin already shows raises no second alarm.
     */
    public void restore(String thingId, io.twinworks.analytics.model.TwinSnapshot snapshot) {
        Asset asset = assets.computeIfAbsent(thingId, id -> new Asset(new AssetState(config.warmupSamples(), config.smoothing())));
        asset.state.restore(snapshot.baselines(), snapshot.basedOnRevision());
        io.twinworks.analytics.learn.LearnedForecasts forecasts = learned;
        if (forecasts != null) {
            // the learned detector's level, spread and error statistics: no new probation after a hand-over
            asset.state.restoreLearned(snapshot.learnedBaselines(), forecasts::newSignalState);
        }
        if (asset.lastWrittenHealth == null && snapshot.healthState() != HealthState.LEARNING) {
            asset.lastWrittenHealth = snapshot.healthState();
        }
        if (asset.rulCycles.isEmpty()) {
            asset.rulCycles = snapshot.rulCycles();
        }
        restored.increment();
    }

    /** Number of assets with state here. */
    public int assetCount() {
        return assets.size();
    }

    /** The current state of an asset, or {@code null} if none was seen. */
    public AssetState assetState(String thingId) {
        Asset asset = assets.get(thingId);
        return asset == null ? null : asset.state;
    }

    /** {@link Asset#lastWriteAtMillis} of an asset never written. */
    private static final long NEVER = Long.MIN_VALUE;

    private void writeIfDue(String thingId, Asset asset) {
        HealthState health = asset.state.healthState();
        if (health == HealthState.LEARNING || asset.writeInFlight || asset.rulPending > 0) {
            return;
        }
        // milliseconds, not an Instant: this runs for every change and most changes write nothing
        long nowMillis = clock.millis();
        boolean healthChanged = health != asset.lastWrittenHealth;
        boolean intervalPassed = asset.lastWriteAtMillis == NEVER
                || nowMillis - asset.lastWriteAtMillis >= config.writeIntervalMillis();
        if (!healthChanged && !intervalPassed) {
            return;
        }
        Instant now = Instant.ofEpochMilli(nowMillis);
        RulEstimator rulModel = asset.rulCycles.isPresent() ? asset.rulModel : null;
        String detector = asset.state.hasLearnedScore() ? MODEL + LEARNED_MODEL_SUFFIX : MODEL;
        // the snapshot is most of a write's bytes and only matters to a replica taking the asset over: it may be
        // one snapshot interval old there (the detectors' long-run statistics barely move in that time)
        boolean snapshotDue = asset.lastSnapshotAtMillis == NEVER
                || nowMillis - asset.lastSnapshotAtMillis >= config.snapshotIntervalMillis();
        Prediction scored = new Prediction(asset.state.anomalyScore(), health, asset.rulCycles,
                rulModel == null ? detector : detector + "+" + rulModel.modelName(),
                rulModel == null ? MODEL_VERSION : MODEL_VERSION + "+" + rulModel.modelVersion(),
                asset.state.lastRevision(), now, asset.state.baselines(), asset.state.learnedBaselines());
        Prediction prediction = snapshotDue ? scored : scored.withoutSnapshot();
        asset.writeInFlight = true;
        LOG.debug("writing predictions of {}: {}", thingId, prediction);
        writer.write(thingId, prediction).onComplete(result -> {
            asset.writeInFlight = false;
            if (result.succeeded()) {
                predictionsWritten.increment();
                if (health.isWorseThan(asset.lastWrittenHealth == null ? HealthState.OK : asset.lastWrittenHealth)) {
                    String worstSignal = asset.state.worstSignal();
                    LOG.info("{} health {} (anomaly score {}, worst signal {})", thingId, health.wireName(),
                            String.format("%.3f", prediction.anomalyScore()), worstSignal);
                    alarms.worsened(thingId, asset.lastWrittenHealth, prediction, worstSignal);
                    alarmsSent.increment();
                }
                asset.lastWrittenHealth = health;
                asset.lastWriteAtMillis = nowMillis;
                if (snapshotDue) {
                    asset.lastSnapshotAtMillis = nowMillis;
                }
                // readings that came in while this write was in flight may have changed the health (a burst
                // of changes arrives within one write's round trip): write that now, not at the next reading.
                // Only a health change re-triggers here; the interval waits for the next reading, otherwise a
                // writer answering at once would write again and again.
                if (asset.state.healthState() != health) {
                    writeIfDue(thingId, asset);
                }
            } else {
                writeFailures.increment();
                LOG.warn("writing predictions of {} failed: {}", thingId, result.cause().toString());
            }
        });
    }

    /** Mutable bookkeeping of one asset, confined to the analytics context. */
    private static final class Asset {
        final AssetState state;
        HealthState lastWrittenHealth;
        long lastWriteAtMillis = NEVER;
        /** When a write carrying the hand-over snapshot last succeeded. */
        long lastSnapshotAtMillis = NEVER;
        boolean writeInFlight;
        int rulPending;
        OptionalDouble rulCycles = OptionalDouble.empty();
        RulEstimator rulModel;
        /** The last cycles of RUL inputs, oldest first, at most the model's window. */
        ArrayDeque<double[]> cycles;
        /**
         * The asset's first cycles of RUL inputs as this service saw them, at most the model's baseline
         * cycles; kept only while no cycle was dropped before them (a model asking for more baseline
         * cycles than were kept gets the recent cycles alone, which it recognises by their age).
         */
        final List<double[]> first = new ArrayList<>();
        /** Cycles appended so far. */
        long seen;

        Asset(AssetState state) {
            this.state = state;
        }

        /**
         * @param counter index in {@code cycle} of the model's cycle counter, -1 without one; when it
         *                goes back (a replaced engine, the demo's replay starting over) a new life
         *                begins: the cycles of the previous one are forgotten
         */
        void appendCycle(double[] cycle, int window, int baselineCycles, int counter) {
            if (cycles == null) {
                cycles = new ArrayDeque<>(window);
            }
            if (counter >= 0 && !cycles.isEmpty() && cycle[counter] < cycles.peekLast()[counter]) {
                cycles.clear();
                first.clear();
                seen = 0;
            }
            while (cycles.size() >= window) {
                cycles.removeFirst();
            }
            cycles.addLast(cycle);
            if (first.size() == seen && first.size() < baselineCycles) {
                first.add(cycle);
            }
            seen++;
        }

        /**
         * The history a prediction gets: the recent cycles, preceded by the first cycles when the model
         * asks for them and they were all kept (those also among the recent cycles are not repeated).
         */
        double[][] history(int baselineCycles) {
            if (baselineCycles == 0 || first.size() < Math.min(baselineCycles, seen)) {
                return cycles.toArray(double[][]::new);
            }
            List<double[]> kept = first.subList(0, (int) Math.min(baselineCycles, seen));
            long overlap = Math.max(0, kept.size() - Math.max(0, seen - cycles.size()));
            List<double[]> history = new ArrayList<>(kept);
            cycles.stream().skip(overlap).forEach(history::add);
            return history.toArray(double[][]::new);
        }
    }
}
