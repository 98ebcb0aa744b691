package io.twinworks.analytics.rul;

import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.ml.RulModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hot reload: looks into the model directory for a newer RUL model ({@code <name>-<n>} with a higher
 * {@code n}, e.g. written by {@code twinworks train rul} while the service runs) and hands a
 * {@link BatchingRulEstimator} over it to {@code onNewModel} on the analytics context. Loading and
 * inference run on the watcher's own executor ({@value #EXECUTOR}, one thread), never on Vert.x's shared
 * worker pool; {@link #close()} releases it. A model that fails to load is counted and logged, and the running one stays;
 * so does the running one when the directory becomes empty (a half-copied directory never removes RUL).
 */
public final class RulModelWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RulModelWatcher.class);

    /** The name of the executor models load and predict on (thread names start with it). */
    public static final String EXECUTOR = "twinworks-analytics-rul";

    private final Context context;
    private final WorkerExecutor modelWork;
    private final Path modelDir;
    private final MeterRegistry meters;
    private final Consumer<BatchingRulEstimator> onNewModel;
    private final Counter loaded;
    private final Counter failed;
    private @Nullable Path current;
    private @Nullable Path lastFailed;

    /**
     * @param current the model directory in use at start, or {@code null}
     */
    public RulModelWatcher(Context context, Path modelDir, @Nullable Path current, MeterRegistry meters, Consumer<BatchingRulEstimator> onNewModel) {
        this.context = Objects.requireNonNull(context, "context");
        this.modelWork = context.owner().createSharedWorkerExecutor(EXECUTOR, 1);
        this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.onNewModel = Objects.requireNonNull(onNewModel, "onNewModel");
        this.current = current;
        this.loaded = meters.counter("twinworks_analytics_model_reloads_total", "outcome", "loaded");
        this.failed = meters.counter("twinworks_analytics_model_reloads_total", "outcome", "failed");
    }

    /**
     * Checks the directory once (call on the analytics context); completes with {@code true} when a
     * newer model was loaded and handed over.
     */
    public Future<Boolean> checkNow() {
        Path known = current;
        Path skip = lastFailed;
        return modelWork.<Optional<Path>>executeBlocking(() -> RulModel.latest(modelDir)).compose(latest -> {
            if (latest.isEmpty() || latest.get().equals(known) || latest.get().equals(skip)) {
                return Future.succeededFuture(false);
            }
            Path candidate = latest.get();
            return modelWork.<RulModel>executeBlocking(() -> RulModel.load(candidate)).map(model -> {
                current = candidate;
                loaded.increment();
                LOG.info("RUL model {} v{} loaded from {}", model.name(), model.version(), candidate);
                onNewModel.accept(new BatchingRulEstimator(context, modelWork, model, meters));
                return true;
            }).recover(failure -> {
                lastFailed = candidate;
                failed.increment();
                LOG.error("RUL model in {} cannot be loaded, keeping {}: {}", candidate, known == null ? "no model" : known, failure.toString());
                return Future.succeededFuture(false);
            });
        });
    }

    /** The newest model directory that failed to load, or {@code null}. */
    public @Nullable Path lastFailed() {
        return lastFailed;
    }

    /** The model directory in use, or {@code null}. */
    public @Nullable Path current() {
        return current;
    }

    /** Releases the model executor; estimators handed over stop working. */
    public Future<Void> close() {
        return modelWork.close();
    }
}
