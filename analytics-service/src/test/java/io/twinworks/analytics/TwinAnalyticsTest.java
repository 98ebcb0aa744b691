package io.twinworks.analytics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.model.HealthState;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.analytics.model.Reading;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwinAnalyticsTest {

    private final AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of(
            "TWINWORKS_ANALYTICS_WARMUP_SAMPLES", "3",
            "TWINWORKS_ANALYTICS_SMOOTHING_PERCENT", "100",
            "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "5000"));
    private final List<Prediction> written = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Future<Void> nextWriteResult = Future.succeededFuture();
    private final List<String> alarms = new ArrayList<>();
    private final TwinAnalytics analytics = new TwinAnalytics(config, (thingId, prediction) -> {
        written.add(prediction);
        return nextWriteResult;
    }, (thingId, previous, current, worstSignal) -> alarms.add(thingId + " " + previous
            + "->" + current.healthState() + " " + worstSignal), meters, clock);

    @Test
    void nothingIsWrittenWhileTheAssetIsLearning() {
        feed(1.0, 1);
        feed(1.1, 2);
        feed(0.9, 3);
        assertThat(written).isEmpty();
    }

    @Test
    void firstScoredReadingWritesAPredictionWithModelAndRevision() {
        learn();
        feed(1.0, 4);
        assertThat(written).hasSize(1);
        Prediction prediction = written.get(0);
        assertThat(prediction.healthState()).isEqualTo(HealthState.OK);
        assertThat(prediction.basedOnRevision()).isEqualTo(4);
        assertThat(prediction.model()).isEqualTo(TwinAnalytics.MODEL);
        assertThat(prediction.rulCycles()).isEmpty();
    }

    @Test
    void writesAreRateLimitedPerAssetWhileTheHealthStateStaysTheSame() {
        learn();
        feed(1.0, 4);
        feed(1.01, 5);
        feed(0.99, 6);
        assertThat(written).hasSize(1);
        clock.advance(Duration.ofSeconds(5));
        feed(1.0, 7);
        assertThat(written).hasSize(2);
    }

    @Test
    void theFirstWriteCarriesTheHandOverSnapshotAndLaterOnesOnlyOncePerSnapshotInterval() {
        learn();
        feed(1.0, 4);
        assertThat(written.get(0).carriesSnapshot()).isTrue();
        assertThat(written.get(0).baselines()).containsKey("vibration/rms");
        for (int step = 1; step < 12; step++) {
            clock.advance(Duration.ofSeconds(5));
            feed(1.0, 4 + step);
        }
        // writes at 5 s .. 55 s: score only
        assertThat(written).hasSize(12);
        assertThat(written.subList(1, 12)).allSatisfy(prediction -> {
            assertThat(prediction.carriesSnapshot()).isFalse();
            assertThat(prediction.baselines()).isEmpty();
            assertThat(prediction.learnedBaselines()).isEmpty();
            assertThat(prediction.healthState()).isEqualTo(HealthState.OK);
        });
        clock.advance(Duration.ofSeconds(5));
        feed(1.0, 16);
        assertThat(written.get(12).carriesSnapshot()).isTrue();
        assertThat(written.get(12).baselines()).containsKey("vibration/rms");
    }

    @Test
    void aSnapshotWriteThatFailedIsNotCountedAndTheNextWriteCarriesTheSnapshot() {
        learn();
        nextWriteResult = Future.failedFuture(new IllegalStateException("503 from Ditto"));
        feed(1.0, 4);
        nextWriteResult = Future.succeededFuture();
        clock.advance(Duration.ofSeconds(5));
        feed(1.0, 5);
        assertThat(written).hasSize(2);
        assertThat(written).allSatisfy(prediction -> assertThat(prediction.carriesSnapshot()).isTrue());
        clock.advance(Duration.ofSeconds(5));
        feed(1.0, 6);
        assertThat(written.get(2).carriesSnapshot()).isFalse();
    }

    @Test
    void aHealthStateChangeWithinTheSnapshotIntervalIsWrittenWithoutTheSnapshot() {
        learn();
        feed(1.0, 4);
        feed(5.0, 5);
        assertThat(written).hasSize(2);
        assertThat(written.get(1).healthState()).isEqualTo(HealthState.ALARM);
        assertThat(written.get(1).carriesSnapshot()).isFalse();
    }

    @Test
    void aSnapshotIntervalOfZeroPutsTheSnapshotIntoEveryWrite() {
        AnalyticsConfig everyWrite = AnalyticsConfig.fromEnv(Map.of(
                "TWINWORKS_ANALYTICS_WARMUP_SAMPLES", "3",
                "TWINWORKS_ANALYTICS_SMOOTHING_PERCENT", "100",
                "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "5000",
                "TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS", "0"));
        List<Prediction> seen = new ArrayList<>();
        TwinAnalytics withSnapshots = new TwinAnalytics(everyWrite, (thingId, prediction) -> {
            seen.add(prediction);
            return Future.succeededFuture();
        }, (thingId, previous, current, worstSignal) -> { }, new SimpleMeterRegistry(), clock);
        for (long revision = 1; revision <= 3; revision++) {
            withSnapshots.onReadings(List.of(new Reading("plant.a:pump-1", "vibration/rms", 1.0, revision)));
        }
        for (long revision = 4; revision <= 6; revision++) {
            clock.advance(Duration.ofSeconds(5));
            withSnapshots.onReadings(List.of(new Reading("plant.a:pump-1", "vibration/rms", 1.0, revision)));
        }
        assertThat(seen).hasSize(3).allSatisfy(prediction -> {
            assertThat(prediction.carriesSnapshot()).isTrue();
            assertThat(prediction.baselines()).containsKey("vibration/rms");
        });
    }

    @Test
    void aHealthStateChangeIsWrittenAtOnceDespiteTheInterval() {
        learn();
        feed(1.0, 4);
        feed(5.0, 5);
        assertThat(written).hasSize(2);
        assertThat(written.get(1).healthState()).isEqualTo(HealthState.ALARM);
    }

    @Test
    void anAlarmIsSentOnceWhenTheWrittenHealthWorsensAndNotWhenItRecovers() {
        learn();
        feed(1.0, 4);
        feed(5.0, 5);
        feed(5.0, 6);
        assertThat(alarms).containsExactly("plant.a:pump-1 OK->ALARM vibration/rms");
        for (int revision = 7; revision < 40; revision++) {
            feed(1.0, revision);
        }
        assertThat(written.get(written.size() - 1).healthState()).isEqualTo(HealthState.OK);
        assertThat(alarms).hasSize(1);
        assertThat(meters.counter("twinworks_analytics_health_alarms_total").count()).isEqualTo(1.0);
    }

    @Test
    void noAlarmIsSentWhenTheWriteFailed() {
        learn();
        feed(1.0, 4);
        nextWriteResult = Future.failedFuture(new IllegalStateException("503 from Ditto"));
        feed(5.0, 5);
        assertThat(alarms).isEmpty();
    }

    @Test
    void anAssetTakenOverFromItsTwinIsScoredAtOnceAndCarriesItsBaselinesInItsFirstWrite() {
        analytics.restore("plant.a:pump-1", new io.twinworks.analytics.model.TwinSnapshot(HealthState.OK, java.util.OptionalDouble.empty(),
                Map.of("vibration/rms", new io.twinworks.analytics.model.SignalBaseline(1.0, 0.05, 30)), 40));
        feed(1.0, 40);
        assertThat(written).isEmpty();
        feed(5.0, 41);
        assertThat(written).hasSize(1);
        assertThat(written.get(0).healthState()).isEqualTo(HealthState.ALARM);
        assertThat(written.get(0).baselines()).containsKey("vibration/rms");
        assertThat(meters.counter("twinworks_analytics_assets_restored_total").count()).isEqualTo(1.0);
    }

    @Test
    void anAssetTakenOverInAlarmRaisesNoSecondAlarm() {
        analytics.restore("plant.a:pump-1", new io.twinworks.analytics.model.TwinSnapshot(HealthState.ALARM, java.util.OptionalDouble.empty(),
                Map.of("vibration/rms", new io.twinworks.analytics.model.SignalBaseline(1.0, 0.05, 30)), 0));
        feed(5.0, 1);
        clock.advance(Duration.ofSeconds(5));
        feed(5.0, 2);
        assertThat(written).isNotEmpty().allSatisfy(p -> assertThat(p.healthState()).isEqualTo(HealthState.ALARM));
        assertThat(alarms).isEmpty();
    }

    @Test
    void aFailedWriteIsCountedAndRetriedWithTheNextReading() {
        learn();
        nextWriteResult = Future.failedFuture(new IllegalStateException("503 from Ditto"));
        feed(1.0, 4);
        nextWriteResult = Future.succeededFuture();
        feed(1.0, 5);
        assertThat(written).hasSize(2);
        assertThat(meters.counter("twinworks_analytics_write_failures_total").count()).isEqualTo(1.0);
    }

    @Test
    void duplicateReadingsAreDroppedAndCounted() {
        learn();
        feed(1.0, 4);
        feed(1.0, 4);
        assertThat(meters.counter("twinworks_analytics_readings_total", "outcome", "dropped").count()).isEqualTo(1.0);
    }

    private void learn() {
        feed(1.0, 1);
        feed(1.1, 2);
        feed(0.9, 3);
    }

    private void feed(double value, long revision) {
        analytics.onReadings(List.of(new Reading("plant.a:pump-1", "vibration/rms", value, revision)));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
