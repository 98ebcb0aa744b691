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

    @Test
    void restartedServiceWithTheSameModelDirScoresWithTheSavedForecasterWithoutRetraining(@org.junit.jupiter.api.io.TempDir java.nio.file.Path modelDir)
            throws Exception {
        Context first = vertx.getOrCreateContext();
        TwinAnalytics[] before = new TwinAnalytics[1];
        LearnedForecasts[] beforeForecasts = new LearnedForecasts[1];
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0")).withLearnedProbation(PROBATION);
        first.runOnContext(v -> {
            before[0] = new TwinAnalytics(config, (id, p) -> Future.succeededFuture(), meters, Clock.systemUTC());
            beforeForecasts[0] = new LearnedForecasts(first, PROBATION, ForecastModel.Settings.DEFAULTS, modelDir, meters);
            before[0].useLearnedForecasts(beforeForecasts[0]);
        });
        await().until(() -> before[0] != null);
        feed(first, before[0], "t:pump-1", 1, PROBATION, 0, new Random(4));
        await().atMost(60, TimeUnit.SECONDS).until(() -> meters.counter("twinworks_analytics_learned_models_total", "outcome", "saved").count() == 1);
        java.nio.file.Path artefact = modelDir.resolve("learned-forecast-1");
        assertThat(artefact.resolve("model.zip")).isNotEmptyFile();
        io.vertx.core.json.JsonObject metadata = new io.vertx.core.json.JsonObject(java.nio.file.Files.readString(artefact.resolve("forecast.json")));
        assertThat(metadata.getString("signal")).isEqualTo(SIGNAL);
        assertThat(metadata.getInteger("version")).isEqualTo(1);
        assertThat(metadata.getInteger("window")).isEqualTo(12);
        assertThat(metadata.getInteger("hidden")).isEqualTo(16);
        assertThat(metadata.getInteger("trainingReadings")).isEqualTo(PROBATION);
        assertThat(metadata.getString("standardisation")).isEqualTo(ForecastArtefacts.STANDARDISATION);
        assertThat(metadata.getDouble("residualRmse")).isPositive();

        // "restart": a new service state, new meters, same model directory
        SimpleMeterRegistry restartedMeters = new SimpleMeterRegistry();
        Context second = vertx.getOrCreateContext();
        TwinAnalytics[] after = new TwinAnalytics[1];
        LearnedForecasts[] afterForecasts = new LearnedForecasts[1];
        List<Prediction> written = new CopyOnWriteArrayList<>();
        second.runOnContext(v -> {
            after[0] = new TwinAnalytics(config, (id, p) -> {
                written.add(p);
                return Future.succeededFuture();
            }, restartedMeters, Clock.systemUTC());
            afterForecasts[0] = new LearnedForecasts(second, PROBATION, ForecastModel.Settings.DEFAULTS, modelDir, restartedMeters);
            after[0].useLearnedForecasts(afterForecasts[0]);
        });
        await().until(() -> afterForecasts[0] != null);
        Integer loaded = onContext(second, () -> afterForecasts[0]).loadSaved().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(loaded).isEqualTo(1);
        assertThat(onContext(second, () -> afterForecasts[0].hasModel(SIGNAL))).isTrue();

        // a new asset is scored by the loaded forecaster right after its own probation
        feed(second, after[0], "t:pump-2", 1, PROBATION + 40, 0, new Random(5));
        await().atMost(30, TimeUnit.SECONDS).until(() -> restartedMeters.counter("twinworks_analytics_learned_scores_total").count() >= 40 - 12);
        await().atMost(10, TimeUnit.SECONDS).until(() -> written.stream()
                .anyMatch(p -> p.model().equals(TwinAnalytics.MODEL + TwinAnalytics.LEARNED_MODEL_SUFFIX)));
        assertThat(restartedMeters.counter("twinworks_analytics_learned_models_total", "outcome", "loaded").count()).isEqualTo(1);
        assertThat(restartedMeters.counter("twinworks_analytics_learned_models_total", "outcome", "trained").count())
                .as("no retraining after the restart").isZero();
    }

    @Test
    void corruptArtefactsAreRefusedCountedAndTheSignalTrainsAnew(@org.junit.jupiter.api.io.TempDir java.nio.file.Path modelDir) throws Exception {
        java.nio.file.Path garbageNetwork = java.nio.file.Files.createDirectories(modelDir.resolve("learned-forecast-1"));
        java.nio.file.Files.writeString(garbageNetwork.resolve("forecast.json"), new io.vertx.core.json.JsonObject()
                .put("format", 1).put("signal", SIGNAL).put("version", 1).put("window", 12).put("hidden", 16)
                .put("trainingReadings", PROBATION).put("trainingWindows", PROBATION - 12).put("assets", 1).put("residualRmse", 0.2)
                .put("standardisation", ForecastArtefacts.STANDARDISATION).put("createdAt", "2026-01-01T00:00:00Z").encode());
        java.nio.file.Files.writeString(garbageNetwork.resolve("model.zip"), "not a zip at all");
        java.nio.file.Path garbageMetadata = java.nio.file.Files.createDirectories(modelDir.resolve("learned-forecast-2"));
        java.nio.file.Files.writeString(garbageMetadata.resolve("forecast.json"), "{\"signal\": ");
        Context context = vertx.getOrCreateContext();
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0")).withLearnedProbation(PROBATION);
        TwinAnalytics[] analytics = new TwinAnalytics[1];
        LearnedForecasts[] forecasts = new LearnedForecasts[1];
        context.runOnContext(v -> {
            analytics[0] = new TwinAnalytics(config, (id, p) -> Future.succeededFuture(), meters, Clock.systemUTC());
            forecasts[0] = new LearnedForecasts(context, PROBATION, ForecastModel.Settings.DEFAULTS, modelDir, meters);
            analytics[0].useLearnedForecasts(forecasts[0]);
        });
        await().until(() -> forecasts[0] != null);

        Integer loaded = onContext(context, () -> forecasts[0]).loadSaved().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(loaded).isZero();
        assertThat(meters.counter("twinworks_analytics_learned_models_total", "outcome", "refused").count()).isEqualTo(2);
        assertThat(onContext(context, () -> forecasts[0].hasModel(SIGNAL))).isFalse();
        feed(context, analytics[0], "t:pump-1", 1, PROBATION, 0, new Random(4));
        await().atMost(60, TimeUnit.SECONDS).until(() -> meters.counter("twinworks_analytics_learned_models_total", "outcome", "saved").count() == 1);
        assertThat(meters.counter("twinworks_analytics_learned_models_total", "outcome", "trained").count()).isEqualTo(1);
        assertThat(modelDir.resolve("learned-forecast-3").resolve("model.zip")).as("the next free version").isNotEmptyFile();
    }

    @Test
    void artefactOfAnotherShapeIsRefusedAndAnOlderGoodOneOfTheSignalIsUsed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path modelDir) throws Exception {
        double[] series = new double[60];
        for (int i = 0; i < series.length; i++) {
            series[i] = Math.sin(2 * Math.PI * i / 24);
        }
        ForecastModel.Settings small = new ForecastModel.Settings(12, 4, 1, 64, 0.005, 42);
        double[][][] set = ForecastModel.trainingSet(series, 12);
        ForecastModel good = ForecastModel.train(set[0], set[1][0], small);
        ForecastArtefacts.save(modelDir, SIGNAL, good, small, 60, 1, java.time.Instant.now());
        ForecastModel.Settings wider = new ForecastModel.Settings(12, 6, 1, 64, 0.005, 42);
        ForecastArtefacts.save(modelDir, SIGNAL, ForecastModel.train(set[0], set[1][0], wider), wider, 60, 1, java.time.Instant.now());

        ForecastArtefacts.Found found = ForecastArtefacts.loadNewest(modelDir, small);

        assertThat(found.refused()).singleElement().satisfies(r -> {
            assertThat(r.directory().getFileName().toString()).isEqualTo("learned-forecast-2");
            assertThat(r.reason()).contains("6 hidden units");
        });
        assertThat(found.bySignal().get(SIGNAL).metadata().version()).isEqualTo(1);
        assertThat(found.bySignal().get(SIGNAL).model().predict(new double[][] {set[0][0]}))
                .containsExactly(good.predict(new double[][] {set[0][0]}));
    }

    @Test
    void anAssetHandedOverWithItsLearnedStateIsScoredWithoutANewProbation() {
        Context context = vertx.getOrCreateContext();
        List<Prediction> written = new CopyOnWriteArrayList<>();
        // the hand-over snapshot in every write: the test takes the newest one
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0",
                "TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS", "0")).withLearnedProbation(PROBATION);
        LearnedForecasts[] forecasts = new LearnedForecasts[1];
        TwinAnalytics[] replicas = new TwinAnalytics[2];
        SimpleMeterRegistry takingOverMeters = new SimpleMeterRegistry();
        io.micrometer.core.instrument.Counter learnedScores = meters.counter("twinworks_analytics_learned_scores_total");
        context.runOnContext(v -> {
            forecasts[0] = new LearnedForecasts(context, PROBATION, ForecastModel.Settings.DEFAULTS, meters);
            replicas[0] = new TwinAnalytics(config, (id, p) -> {
                written.add(p);
                return Future.succeededFuture();
            }, meters, Clock.systemUTC());
            replicas[0].useLearnedForecasts(forecasts[0]);
            // the replica taking over shares the forecaster (as after loading it from the model directory)
            replicas[1] = new TwinAnalytics(config, (id, p) -> Future.succeededFuture(), takingOverMeters, Clock.systemUTC());
            replicas[1].useLearnedForecasts(forecasts[0]);
        });
        await().until(() -> replicas[1] != null);
        Random random = new Random(4);
        feed(context, replicas[0], "t:pump-1", 1, PROBATION, 0, random);
        await().atMost(60, TimeUnit.SECONDS).until(() -> onContext(context, () -> forecasts[0].hasModel(SIGNAL)));
        feed(context, replicas[0], "t:pump-1", PROBATION + 1, PROBATION + 40, 0, random);
        await().atMost(30, TimeUnit.SECONDS).until(() -> learnedScores.count() == 40);
        await().atMost(10, TimeUnit.SECONDS).until(() -> written.stream().anyMatch(p -> !p.learnedBaselines().isEmpty()
                && p.learnedBaselines().get(SIGNAL).scored() > 0));
        Prediction last = written.stream().filter(p -> !p.learnedBaselines().isEmpty()).reduce((a, b) -> b).orElseThrow();
        assertThat(last.learnedBaselines().get(SIGNAL).samples()).isEqualTo(PROBATION);

        context.runOnContext(v -> replicas[1].restore("t:pump-1", new io.twinworks.analytics.model.TwinSnapshot(last.healthState(),
                last.rulCycles(), last.baselines(), last.learnedBaselines(), last.basedOnRevision())));
        int from = (int) last.basedOnRevision() + 1;
        feed(context, replicas[1], "t:pump-1", from, from + 29, 0, random);

        // 30 readings: the window refills after 12, then every reading is scored; a new probation would give none
        await().atMost(30, TimeUnit.SECONDS).until(() -> learnedScores.count() >= 40 + 30 - 12);
        assertThat(onContext(context, () -> replicas[1].assetState("t:pump-1").learnedBaselines().get(SIGNAL).scored()))
                .isGreaterThan(last.learnedBaselines().get(SIGNAL).scored());
    }

    @Test
    void withRetrainingTheSharedForecasterIsRetrainedOnEveryAssetSoFarOnceNMoreFinishedProbation(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path modelDir) throws Exception {
        Context context = vertx.getOrCreateContext();
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0")).withLearnedProbation(PROBATION);
        TwinAnalytics[] analytics = new TwinAnalytics[1];
        LearnedForecasts[] forecasts = new LearnedForecasts[1];
        context.runOnContext(v -> {
            analytics[0] = new TwinAnalytics(config, (id, p) -> Future.succeededFuture(), meters, Clock.systemUTC());
            forecasts[0] = new LearnedForecasts(context, PROBATION, ForecastModel.Settings.DEFAULTS, modelDir, 2, meters);
            analytics[0].useLearnedForecasts(forecasts[0]);
        });
        await().until(() -> forecasts[0] != null);
        Random random = new Random(4);
        feed(context, analytics[0], "t:pump-1", 1, PROBATION, 0, random);
        await().atMost(60, TimeUnit.SECONDS).until(() -> meters.counter("twinworks_analytics_learned_models_total", "outcome", "saved").count() == 1);

        feed(context, analytics[0], "t:pump-2", 1, PROBATION, 0, random);
        await().atMost(10, TimeUnit.SECONDS).until(() -> onContext(context,
                () -> analytics[0].assetState("t:pump-2").learnedBaselines().containsKey(SIGNAL)));
        // one more asset is not yet two: no retraining started (a retraining on 2 assets would show as v2 with 2 assets below)
        feed(context, analytics[0], "t:pump-3", 1, PROBATION, 0, random);
        await().atMost(60, TimeUnit.SECONDS).until(() -> meters.counter("twinworks_analytics_learned_models_total", "outcome", "saved").count() == 2);

        assertThat(meters.counter("twinworks_analytics_learned_models_total", "outcome", "retrained").count()).isEqualTo(1);
        assertThat(meters.counter("twinworks_analytics_learned_models_total", "outcome", "trained").count()).isEqualTo(1);
        io.vertx.core.json.JsonObject metadata = new io.vertx.core.json.JsonObject(
                java.nio.file.Files.readString(modelDir.resolve("learned-forecast-2").resolve("forecast.json")));
        assertThat(metadata.getInteger("assets")).isEqualTo(3);
        assertThat(metadata.getInteger("trainingReadings")).isEqualTo(3 * PROBATION);
        // a restart picks the retrained one
        assertThat(ForecastArtefacts.loadNewest(modelDir, ForecastModel.Settings.DEFAULTS).bySignal().get(SIGNAL).metadata().version())
                .isEqualTo(2);
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
