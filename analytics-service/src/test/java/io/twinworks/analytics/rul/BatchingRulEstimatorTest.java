package io.twinworks.analytics.rul;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.ml.RulModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real (tiny, one-epoch) DL4J model on synthetic engines: batching and threading, not accuracy. */
class BatchingRulEstimatorTest {

    @TempDir
    static Path models;
    static RulModel model;
    static Vertx vertx;
    static io.vertx.core.WorkerExecutor inference;

    /** A small shared worker pool, so the test can park all of it. */
    private static final int SHARED_WORKERS = 2;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        model = TinyRulModels.train(models).model();
        vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setWorkerPoolSize(SHARED_WORKERS));
        inference = vertx.createSharedWorkerExecutor("test-rul-inference", 1);
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aModelWithTheAgeFeatureNamesItsCycleInputAsACounterAndOneWithoutNone() throws Exception {
        RulModel aged = TinyRulModels.trainWithAge(models.resolve("aged")).model();
        Context context = vertx.getOrCreateContext();
        assertThat(aged.inputs()).containsExactly("s2", "s3", "cycle");
        assertThat(new BatchingRulEstimator(context, inference, aged, new SimpleMeterRegistry()).counters()).containsExactly("cycle");
        assertThat(new BatchingRulEstimator(context, inference, model, new SimpleMeterRegistry()).counters()).isEmpty();
    }

    @Test
    void estimatesRequestedInOneTurnRunAsOneBatchAndComeBackOnTheContext() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Context context = vertx.getOrCreateContext();
        double[][][] histories = {{{10, 10}}, {{10, 10}, {12, 12}}, {{11, 11}, {12, 12}, {13, 13}}};
        CompletableFuture<List<Double>> results = new CompletableFuture<>();
        List<Boolean> onContext = new ArrayList<>();
        context.runOnContext(v -> {
            BatchingRulEstimator estimator = new BatchingRulEstimator(context, inference, model, meters);
            List<Future<Double>> futures = new ArrayList<>();
            for (double[][] history : histories) {
                futures.add(estimator.estimate(history).onComplete(r -> onContext.add(Vertx.currentContext() == context)));
            }
            Future.all(futures).onComplete(all -> results.complete(futures.stream().map(Future::result).toList()));
        });
        List<Double> estimates = results.get(30, TimeUnit.SECONDS);
        double[] direct = model.predict(List.of(histories));
        assertThat(estimates).containsExactly(direct[0], direct[1], direct[2]);
        assertThat(onContext).containsOnly(true).hasSize(3);
        var batchSizes = meters.get("twinworks_analytics_rul_batch_size").summary();
        assertThat(batchSizes.count()).isEqualTo(1);
        assertThat(batchSizes.totalAmount()).isEqualTo(3.0);
    }

    @Test
    void aBadHistoryFailsItsWholeBatchInsteadOfHanging() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        context.runOnContext(v -> new BatchingRulEstimator(context, inference, model, new SimpleMeterRegistry())
                .estimate(new double[][] {{1.0}})
                .onComplete(r -> failure.complete(r.cause())));
        assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void estimatesComeBackWhileVertxSharedWorkerPoolIsParked() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch parked = new java.util.concurrent.CountDownLatch(SHARED_WORKERS);
        try {
            for (int i = 0; i < SHARED_WORKERS; i++) {
                vertx.executeBlocking(() -> {
                    parked.countDown();
                    release.await();
                    return null;
                }, false);
            }
            assertThat(parked.await(10, TimeUnit.SECONDS)).as("shared worker pool parked").isTrue();
            Context context = vertx.getOrCreateContext();
            CompletableFuture<Double> estimate = new CompletableFuture<>();
            double[][] history = {{10, 10}, {12, 12}};
            context.runOnContext(v -> new BatchingRulEstimator(context, inference, model, new SimpleMeterRegistry())
                    .estimate(history)
                    .onComplete(r -> {
                        if (r.succeeded()) {
                            estimate.complete(r.result());
                        } else {
                            estimate.completeExceptionally(r.cause());
                        }
                    }));

            assertThat(estimate.get(30, TimeUnit.SECONDS)).isEqualTo(model.predict(List.<double[][]>of(history))[0]);
        } finally {
            release.countDown();
        }
    }
}
