package io.twinworks.analytics.learn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.TwinAnalytics;
import io.twinworks.analytics.model.HealthState;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.analytics.model.Reading;
import io.twinworks.analytics.ml.ForecastModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class LearnedForecastsTest {

    static final String SIGNAL = "vibration/rms";
    static final int PROBATION = 120;

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void firstAssetToFinishProbationTrainsTheSharedModelAndLaterAssetsAreScoredWithIt() {
        Context context = vertx.getOrCreateContext();
        List<Prediction> written = new CopyOnWriteArrayList<>();
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0"))
                .withLearnedProbation(PROBATION);
        LearnedForecasts[] forecasts = new LearnedForecasts[1];
        TwinAnalytics[] analytics = new TwinAnalytics[1];
        context.runOnContext(v -> {
            analytics[0] = new TwinAnalytics(config, (id, p) -> {
                written.add(p);
                return Future.succeededFuture();
            }, meters, Clock.systemUTC());
            forecasts[0] = new LearnedForecasts(context, PROBATION, ForecastModel.Settings.DEFAULTS, meters);
            analytics[0].useLearnedForecasts(forecasts[0]);
        });
        await().until(() -> analytics[0] != null);
        Random random = new Random(4);
        feed(context, analytics[0], "t:pump-1", 1, PROBATION, 0, random);
        await().atMost(60, TimeUnit.SECONDS).until(() -> onContext(context, () -> forecasts[0].hasModel(SIGNAL)));
        assertThat(meters.counter("twinworks_analytics_learned_models_total", "outcome", "trained").count()).isEqualTo(1);

        // a second asset: its own probation teaches its level and spread, then the shared model scores it
        feed(context, analytics[0], "t:pump-2", 1, PROBATION + 200, 0, random);
        await().atMost(30, TimeUnit.SECONDS).until(() -> meters.counter("twinworks_analytics_learned_scores_total").count() >= 150);
        await().atMost(10, TimeUnit.SECONDS).until(() -> written.stream()
                .anyMatch(p -> p.model().equals(TwinAnalytics.MODEL + TwinAnalytics.LEARNED_MODEL_SUFFIX)));
        Prediction normal = written.get(written.size() - 1);
        assertThat(normal.healthState()).isEqualTo(HealthState.OK);
        assertThat(normal.modelVersion()).isEqualTo(TwinAnalytics.MODEL_VERSION);
        assertThat(meters.counter("twinworks_analytics_learned_models_total", "outcome", "trained").count())
                .as("one shared model per signal, not one per asset").isEqualTo(1);

        // the rhythm changes within the normal range: the combined score goes to alarm
        feed(context, analytics[0], "t:pump-2", PROBATION + 201, PROBATION + 260, 1, random);
        await().atMost(30, TimeUnit.SECONDS).until(() -> written.stream()
                .anyMatch(p -> p.healthState() == HealthState.ALARM));
    }

    @Test
    void probationThatCannotFillOneForecastWindowIsRejected() {
        Context context = vertx.getOrCreateContext();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LearnedForecasts(context, 15, ForecastModel.Settings.DEFAULTS, meters))
                .withMessageContaining("must exceed the forecast window");
    }

    @Test
    void withoutTrainedModelReadingsAfterProbationGetNoLearnedScore() {
        Context context = vertx.getOrCreateContext();
        LearnedForecasts forecasts = new LearnedForecasts(context, 30, ForecastModel.Settings.DEFAULTS, meters);
        var state = forecasts.newSignalState();
        // the probation values are not wanted (a model is missing but nothing was kept): no score, no crash
        for (int i = 0; i < 30; i++) {
            state.push(i % 7, false);
        }
        Boolean none = onContext(context, () -> forecasts.observe(SIGNAL, state, 3.0) == null);
        assertThat(none).isTrue();
        assertThat(meters.counter("twinworks_analytics_learned_scores_total").count()).isZero();
    }

    /** Readings of revisions {@code from..to} of a pump whose vibration is a noisy sine; {@code fast} quadruples its rhythm. */
    private static void feed(Context context, TwinAnalytics analytics, String thingId, int from, int to, int fast, Random random) {
        double[] values = new double[to - from + 1];
        for (int r = from; r <= to; r++) {
            double period = fast == 1 ? 6 : 24;
            values[r - from] = 3 + Math.sin(2 * Math.PI * r / period) + 0.03 * random.nextGaussian();
        }
        for (int r = from; r <= to; r++) {
            Reading reading = new Reading(thingId, SIGNAL, values[r - from], r);
            context.runOnContext(v -> analytics.onReadings(List.of(reading)));
        }
    }

    private static <T> T onContext(Context context, java.util.concurrent.Callable<T> call) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(call.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.join();
    }
}
