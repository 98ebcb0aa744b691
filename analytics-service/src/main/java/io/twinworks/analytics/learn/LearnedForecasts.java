package io.twinworks.analytics.learn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.detect.LearnedSignal;
import io.twinworks.analytics.ml.ForecastModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The learned half of the detector in the service: one DL4J {@link ForecastModel} per monitored
 * signal ({@code featureId/property}), shared by every asset with that signal, trained online on the
 * standardised probation readings of the first assets that finish their probation (normal
 * operation), then frozen. Each asset keeps only its small {@link LearnedSignal} (level, spread, the
 * last window of values): a network per asset would cost kilobytes of weights and an ND4J
 * allocation each, and would learn from only one asset's probation.
 *
 * <p>Training and inference run on worker threads, never on the event loop; every forecast asked
 * for during one turn of the analytics context joins one batch (grouped by signal, one {@code
 * output} call per model), run in order so an asset's scores are applied in reading order.
 *
 * <p>Confined to its context: {@link #observe} must be called there; results come back there.
 */
public final class LearnedForecasts {

    private static final Logger LOG = LoggerFactory.getLogger(LearnedForecasts.class);

    /** The name of the executor forecasters train, load, save and predict on (thread names start with it). */
    public static final String EXECUTOR = "twinworks-analytics-learned";

    private final Context context;
    private final io.vertx.core.WorkerExecutor modelWork;
    private final int probation;
    private final ForecastModel.Settings settings;
    private final Map<String, SignalModel> models = new HashMap<>();
    /** Retrain a signal's forecaster each time this many more assets finished probation (0 = trained once, then frozen). */
    private final int retrainAfterAssets;
    private final Counter trained;
    private final Counter retrained;
    private final Counter trainingFailures;
    private final Counter loaded;
    private final Counter refused;
    private final Counter saved;
    private final Counter saveFailures;
    /** Where trained forecasters are kept as artefacts, or {@code null}: not persisted. */
    private final java.nio.file.Path modelDir;
    private final Counter scored;
    private final DistributionSummary batchSizes;
    private List<Request> pending = new ArrayList<>();

    /**
     * Assets whose probation a forecaster is trained on at most: retraining stops there (bounds the
     * probation series kept per signal, about 64 × probation doubles, and the number of retrainings).
     */
    public static final int MAX_TRAINING_ASSETS = 64;

    /** The shared model of one signal and its training data (until trained, and for retraining). */
    private static final class SignalModel {
        /** Standardised probation series of assets finished since the last training. */
        final List<double[]> probationSeries = new ArrayList<>();
        /** The series the current model was trained on (empty for a model loaded from disk). */
        List<double[]> trainedOn = List.of();
        /** Assets the current model was trained on (from the artefact for a loaded one). */
        int trainedAssets;
        boolean training;
        ForecastModel model;
    }

    private record Request(ForecastModel model, double[] window, Promise<Double> forecast) {
    }

    /**
     * @param context   the analytics context (callers and results live there)
     * @param probation readings of an asset's signal that define its normal operation
     * @param settings  the forecaster's architecture and training settings
     */
    public LearnedForecasts(Context context, int probation, ForecastModel.Settings settings, MeterRegistry meters) {
        this(context, probation, settings, null, meters);
    }

    /**
     * @param modelDir where each trained forecaster is written as a versioned artefact ({@link ForecastArtefacts})
     *                 and where {@link #loadSaved()} finds them after a restart; {@code null}: not persisted
     */
    public LearnedForecasts(Context context, int probation, ForecastModel.Settings settings, java.nio.file.Path modelDir,
                            MeterRegistry meters) {
        this(context, probation, settings, modelDir, 0, meters);
    }

    /**
     * @param retrainAfterAssets retrain a signal's forecaster (from scratch, on the probations of every
     *                           asset it learned from so far plus the new ones, at most
     *                           {@link #MAX_TRAINING_ASSETS}) each time this many more assets finished
     *                           their probation; 0 = train once, then frozen
     */
    public LearnedForecasts(Context context, int probation, ForecastModel.Settings settings, java.nio.file.Path modelDir,
                            int retrainAfterAssets, MeterRegistry meters) {
        if (retrainAfterAssets < 0) {
            throw new IllegalArgumentException("retrainAfterAssets must be 0 (off) or positive: " + retrainAfterAssets);
        }
        this.retrainAfterAssets = retrainAfterAssets;
        this.modelDir = modelDir;
        this.context = Objects.requireNonNull(context, "context");
        // DL4J training and batched inference: CPU work on an executor of its own, never Vert.x's shared worker pool
        this.modelWork = context.owner().createSharedWorkerExecutor(EXECUTOR, 1);
        this.settings = Objects.requireNonNull(settings, "settings");
        if (probation < settings.window() + 10) {
            throw new IllegalArgumentException("the learned probation (" + probation + ") must exceed the forecast window ("
                    + settings.window() + ") by at least 10 readings");
        }
        this.probation = probation;
        this.trained = meters.counter("twinworks_analytics_learned_models_total", "outcome", "trained");
        this.retrained = meters.counter("twinworks_analytics_learned_models_total", "outcome", "retrained");
        this.trainingFailures = meters.counter("twinworks_analytics_learned_models_total", "outcome", "failed");
        this.loaded = meters.counter("twinworks_analytics_learned_models_total", "outcome", "loaded");
        this.refused = meters.counter("twinworks_analytics_learned_models_total", "outcome", "refused");
        this.saved = meters.counter("twinworks_analytics_learned_models_total", "outcome", "saved");
        this.saveFailures = meters.counter("twinworks_analytics_learned_models_total", "outcome", "save_failed");
        this.scored = meters.counter("twinworks_analytics_learned_scores_total");
        this.batchSizes = DistributionSummary.builder("twinworks_analytics_learned_batch_size").register(meters);
    }

    /**
     * Loads the newest saved forecaster of every signal from the model directory (on a worker) and
     * uses it at once: a restarted service scores an asset from its first reading after probation,
     * without retraining. An artefact that cannot be used (corrupt, other shape or convention) is
     * refused: counted ({@code outcome=refused}), logged, and the signal trains anew (or uses an older
     * good artefact). Call on the context, before readings arrive.
     *
     * @return the number of forecasters loaded (0 without a model directory; 0 and one {@code refused}
     *         when the directory cannot be listed)
     */
    public Future<Integer> loadSaved() {
        if (modelDir == null) {
            return Future.succeededFuture(0);
        }
        java.nio.file.Path dir = modelDir;
        return modelWork.executeBlocking(() -> ForecastArtefacts.loadNewest(dir, settings), false).map(found -> {
            found.refused().forEach(r -> {
                refused.increment();
                LOG.error("learned forecaster artefact {} refused (its signal trains anew unless an older artefact loads): {}",
                        r.directory(), r.reason());
            });
            int used = 0;
            for (ForecastArtefacts.Loaded artefact : found.bySignal().values()) {
                SignalModel model = models.computeIfAbsent(artefact.metadata().signal(), s -> new SignalModel());
                if (model.model == null) {
                    model.model = artefact.model();
                    model.trainedAssets = artefact.metadata().assets();
                    loaded.increment();
                    used++;
                    LOG.info("learned forecaster of {} v{} loaded from {} (trained on {} readings of {} asset(s) at {}; normal error {} sd)",
                            artefact.metadata().signal(), artefact.metadata().version(), artefact.directory(),
                            artefact.metadata().trainingReadings(), artefact.metadata().assets(), artefact.metadata().createdAt(),
                            String.format("%.3f", artefact.metadata().residualRmse()));
                }
            }
            return used;
        }).recover(failure -> {
            refused.increment();
            LOG.error("learned forecasters in {} cannot be listed (counted as refused), signals train anew: {}", dir, failure.toString());
            return Future.succeededFuture(0);
        });
    }

    /** A fresh per-asset state for one signal. */
    public LearnedSignal newSignalState() {
        return new LearnedSignal(probation, settings.window());
    }

    /** {@code true} once the shared model of {@code signal} is trained. */
    public boolean hasModel(String signal) {
        SignalModel model = models.get(signal);
        return model != null && model.model != null;
    }

    /**
     * Takes one reading of an asset's signal.
     *
     * @return the learned score of the reading once the model has forecast it, or {@code null} when
     *         the reading gets none (the asset's probation, or the signal's model not trained yet)
     */
    public Future<Double> observe(String signal, LearnedSignal state, double value) {
        SignalModel model = models.computeIfAbsent(signal, s -> new SignalModel());
        if (state.inProbation()) {
            boolean wanted = !model.training && (model.model == null || retrainWanted(model));
            state.push(value, wanted);
            double[] series = state.takeProbationSeries();
            if (series != null && wanted) {
                model.probationSeries.add(series);
                if (model.model == null || retrainDue(model)) {
                    train(signal, model);
                }
            }
            return null;
        }
        ForecastModel forecaster = model.model;
        double[] window = forecaster == null ? null : state.window();
        state.push(value, false);
        if (window == null || !Double.isFinite(value)) {
            return null;
        }
        Promise<Double> forecast = Promise.promise();
        if (pending.isEmpty()) {
            context.runOnContext(v -> flush());
        }
        pending.add(new Request(forecaster, window, forecast));
        return forecast.future().map(f -> {
            scored.increment();
            return state.score(f, value, forecaster.residualRmse());
        });
    }

    /** {@code true} while a trained model still takes new assets' probations for its next retraining. */
    private boolean retrainWanted(SignalModel model) {
        return retrainAfterAssets > 0 && model.trainedAssets < MAX_TRAINING_ASSETS && !retrainDue(model);
    }

    /**
     * {@code true} when the series at hand cover {@code retrainAfterAssets} more assets than the current
     * model learned from. A model loaded from disk brings no series: its successor waits until the new
     * ones alone cover that many, so a retraining never learns from fewer assets than its predecessor.
     */
    private boolean retrainDue(SignalModel model) {
        int available = model.trainedOn.size() + model.probationSeries.size();
        return available >= Math.min(MAX_TRAINING_ASSETS, model.trainedAssets + retrainAfterAssets);
    }

    /**
     * Trains the signal's shared model on a worker: first from the probation series pooled so far,
     * a retraining from those of the current model plus the new ones. The current model keeps scoring
     * until the new one is there; a failed retraining keeps it.
     */
    private void train(String signal, SignalModel model) {
        model.training = true;
        boolean retraining = model.model != null;
        List<double[]> series = new ArrayList<>(model.trainedOn);
        series.addAll(model.probationSeries);
        model.probationSeries.clear();
        int assets = series.size();
        int readings = series.stream().mapToInt(s -> s.length).sum();
        modelWork.<ForecastModel>executeBlocking(() -> {
            List<double[]> windows = new ArrayList<>();
            List<Double> targets = new ArrayList<>();
            for (double[] s : series) {
                double[][][] set = ForecastModel.trainingSet(s, settings.window());
                windows.addAll(List.of(set[0]));
                for (double t : set[1][0]) {
                    targets.add(t);
                }
            }
            return ForecastModel.train(windows.toArray(double[][]::new), targets.stream().mapToDouble(Double::doubleValue).toArray(), settings);
        }, false).onComplete(done -> {
            model.training = false;
            if (done.succeeded()) {
                model.model = done.result();
                model.trainedOn = retrainAfterAssets > 0 ? List.copyOf(series) : List.of();
                model.trainedAssets = assets;
                (retraining ? retrained : trained).increment();
                LOG.info("learned forecaster of {} {} on {} windows from the probation of {} asset(s); normal error {} sd",
                        signal, retraining ? "retrained" : "trained", done.result().trainingWindows(), assets,
                        String.format("%.3f", done.result().residualRmse()));
                save(signal, done.result(), readings, assets);
            } else {
                trainingFailures.increment();
                LOG.warn("training the learned forecaster of {} failed (the next asset to finish probation retries): {}",
                        signal, done.cause().toString());
            }
        });
    }

    /** Writes a freshly trained forecaster as the next artefact, on a worker; a failure costs a retraining after a restart only. */
    private void save(String signal, ForecastModel forecaster, int readings, int assets) {
        if (modelDir == null) {
            return;
        }
        java.nio.file.Path dir = modelDir;
        modelWork.executeBlocking(() -> ForecastArtefacts.save(dir, signal, forecaster, settings, readings, assets, java.time.Instant.now()), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        saved.increment();
                        LOG.info("learned forecaster of {} saved as {}{}", signal, dir.resolve(ForecastArtefacts.PREFIX), done.result().version());
                    } else {
                        saveFailures.increment();
                        LOG.error("saving the learned forecaster of {} into {} failed (it is used, but retrained after a restart): {}",
                                signal, dir, done.cause().toString());
                    }
                });
    }

    private void flush() {
        List<Request> batch = pending;
        pending = new ArrayList<>();
        batchSizes.record(batch.size());
        modelWork.<double[]>executeBlocking(() -> {
            Map<ForecastModel, List<Integer>> byModel = new java.util.IdentityHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                byModel.computeIfAbsent(batch.get(i).model(), m -> new ArrayList<>()).add(i);
            }
            double[] forecasts = new double[batch.size()];
            byModel.forEach((forecaster, indices) -> {
                double[] out = forecaster.predict(indices.stream().map(i -> batch.get(i).window()).toArray(double[][]::new));
                for (int k = 0; k < out.length; k++) {
                    forecasts[indices.get(k)] = out[k];
                }
            });
            return forecasts;
        }, true).onComplete(done -> {
            for (int i = 0; i < batch.size(); i++) {
                if (done.succeeded()) {
                    batch.get(i).forecast().complete(done.result()[i]);
                } else {
                    batch.get(i).forecast().fail(done.cause());
                }
            }
        });
    }

    /** Releases the forecasters' executor; batches still queued fail. */
    public io.vertx.core.Future<Void> close() {
        return modelWork.close();
    }
}
