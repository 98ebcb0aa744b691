package io.twinworks.analytics.rul;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.analytics.ml.RulModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a DL4J {@link RulModel} off the event loop and in batches: every estimate requested during
 * one turn of the analytics context joins one batch, which runs as one {@code predict} call on the
 * inference executor (a batch of a hundred costs little more than one). Results come back on the context.
 *
 * <p>Confined to its context: {@link #estimate} must be called there.
 */
public final class BatchingRulEstimator implements RulEstimator {

    private final Context context;
    private final WorkerExecutor inference;
    private final RulModel model;
    private final DistributionSummary batchSizes;
    private List<Request> pending = new ArrayList<>();

    private record Request(double[][] history, Promise<Double> result) {
    }

    /**
     * @param context   the analytics context (callers and results live there)
     * @param inference runs the model: a named executor of the service's, never Vert.x's shared worker
     *                  pool (DL4J batches are CPU work that would park the pool other components need)
     */
    public BatchingRulEstimator(Context context, WorkerExecutor inference, RulModel model, MeterRegistry meters) {
        this.context = Objects.requireNonNull(context, "context");
        this.inference = Objects.requireNonNull(inference, "inference");
        this.model = Objects.requireNonNull(model, "model");
        this.batchSizes = DistributionSummary.builder("twinworks_analytics_rul_batch_size").register(meters);
    }

    /** The model in use. */
    public RulModel model() {
        return model;
    }

    @Override
    public String modelName() {
        return model.name();
    }

    @Override
    public String modelVersion() {
        return model.version();
    }

    @Override
    public List<String> inputs() {
        return model.inputs();
    }

    @Override
    public List<String> counters() {
        return model.features().contains(io.twinworks.analytics.ml.RulModel.Feature.AGE)
                ? List.of(io.twinworks.analytics.ml.RulModel.Feature.AGE_INPUT) : List.of();
    }

    @Override
    public int window() {
        return model.window();
    }

    @Override
    public int baselineCycles() {
        return model.baselineCycles();
    }

    @Override
    public Future<Double> estimate(double[][] history) {
        Promise<Double> result = Promise.promise();
        if (pending.isEmpty()) {
            context.runOnContext(v -> flush());
        }
        pending.add(new Request(history, result));
        return result.future();
    }

    private void flush() {
        List<Request> batch = pending;
        pending = new ArrayList<>();
        batchSizes.record(batch.size());
        List<double[][]> histories = batch.stream().map(Request::history).toList();
        inference.<double[]>executeBlocking(() -> model.predict(histories), false).onComplete(done -> {
            for (int i = 0; i < batch.size(); i++) {
                if (done.succeeded()) {
                    batch.get(i).result().complete(done.result()[i]);
                } else {
                    batch.get(i).result().fail(done.cause());
                }
            }
        });
    }
}
