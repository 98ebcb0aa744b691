package io.twinworks.analytics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.analytics.model.Reading;
import io.twinworks.analytics.rul.RulEstimator;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwinAnalyticsRulTest {

    private final AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of(
            "TWINWORKS_ANALYTICS_WARMUP_SAMPLES", "3",
            "TWINWORKS_ANALYTICS_RUL_FEATURE", "engine",
            "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0"));
    private final List<Prediction> written = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TwinAnalytics analytics = new TwinAnalytics(config, (thingId, prediction) -> {
        written.add(prediction);
        return Future.succeededFuture();
    }, meters, Clock.systemUTC());
    private final List<Integer> historyLengths = new ArrayList<>();
    private boolean failNext;

    /** Life left = 300 minus the newest s2 value: a transparent rule, so the wiring is what is tested. */
    private final RulEstimator estimator = new RulEstimator() {
        @Override
        public String modelName() {
            return "rul-rule";
        }

        @Override
        public String modelVersion() {
            return "7";
        }

        @Override
        public List<String> inputs() {
            return List.of("s2", "s3");
        }

        @Override
        public int window() {
            return 4;
        }

        @Override
        public Future<Double> estimate(double[][] history) {
            historyLengths.add(history.length);
            if (failNext) {
                return Future.failedFuture(new IllegalStateException("model broke"));
            }
            return Future.succeededFuture(300 - history[history.length - 1][0]);
        }
    };

    @Test
    void aChangeWithEveryModelInputWritesRulCyclesAndNamesBothModels() {
        analytics.useRulEstimator(estimator);
        for (int cycle = 1; cycle <= 5; cycle++) {
            engineCycle(cycle, 100 + cycle);
        }
        Prediction last = written.get(written.size() - 1);
        assertThat(last.rulCycles()).hasValue(195.0);
        assertThat(last.model()).isEqualTo(TwinAnalytics.MODEL + "+rul-rule");
        assertThat(last.modelVersion()).isEqualTo(TwinAnalytics.MODEL_VERSION + "+7");
        assertThat(meters.counter("twinworks_analytics_rul_estimates_total", "outcome", "ok").count()).isEqualTo(5.0);
    }

    @Test
    void theHistoryHandedToTheModelIsBoundedByItsWindow() {
        analytics.useRulEstimator(estimator);
        for (int cycle = 1; cycle <= 9; cycle++) {
            engineCycle(cycle, 100 + cycle);
        }
        assertThat(historyLengths).containsExactly(1, 2, 3, 4, 4, 4, 4, 4, 4);
    }

    @Test
    void aChangeMissingAnInputIsNoCycle() {
        analytics.useRulEstimator(estimator);
        for (int revision = 1; revision <= 5; revision++) {
            analytics.onReadings(List.of(new Reading("a:engine-1", "engine/s2", 100, revision)));
        }
        assertThat(historyLengths).isEmpty();
        assertThat(written).isNotEmpty().allSatisfy(p -> assertThat(p.rulCycles()).isEmpty());
    }

    @Test
    void aFailedEstimateIsCountedAndThePredictionIsStillWrittenWithoutRul() {
        analytics.useRulEstimator(estimator);
        failNext = true;
        for (int cycle = 1; cycle <= 5; cycle++) {
            engineCycle(cycle, 100);
        }
        assertThat(written).isNotEmpty().allSatisfy(p -> assertThat(p.rulCycles()).isEmpty());
        assertThat(meters.counter("twinworks_analytics_rul_estimates_total", "outcome", "failed").count()).isEqualTo(5.0);
    }

    @Test
    void withoutAModelNoRulIsWritten() {
        for (int cycle = 1; cycle <= 5; cycle++) {
            engineCycle(cycle, 100);
        }
        assertThat(written).isNotEmpty().allSatisfy(p -> {
            assertThat(p.rulCycles()).isEmpty();
            assertThat(p.model()).isEqualTo(TwinAnalytics.MODEL);
        });
    }

    @Test
    void rulSignalsAreTheModelInputsInTheRulFeature() {
        assertThat(TwinAnalytics.rulSignals("engine", estimator)).containsExactly("engine/s2", "engine/T24", "engine/s3", "engine/T30");
    }

    private void engineCycle(long revision, double s2) {
        analytics.onReadings(List.of(
                new Reading("a:engine-1", "engine/s2", s2, revision),
                new Reading("a:engine-1", "engine/s3", 1590 + revision % 2, revision)));
    }

    @Test
    void turbofanThingModelSensorsNamedPhysicallyFeedTheModelInputs() {
        AnalyticsConfig sensors = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_WARMUP_SAMPLES", "3",
                "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "0"));
        List<Prediction> seen = new ArrayList<>();
        TwinAnalytics physical = new TwinAnalytics(sensors, (thingId, prediction) -> {
            seen.add(prediction);
            return Future.succeededFuture();
        }, new SimpleMeterRegistry(), Clock.systemUTC());
        physical.useRulEstimator(estimator);
        for (long revision = 1; revision <= 6; revision++) {
            physical.onReadings(List.of(
                    new Reading("a:engine-2", "sensors/T24", 100 + revision, revision),
                    new Reading("a:engine-2", "sensors/T30", 1590 + revision % 2, revision)));
        }
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1).rulCycles()).hasValue(300 - 106);
    }

    @Test
    void aCounterInputReachesTheModelButIsNeverScoredForAnomalies() {
        List<double[]> lastCycles = new ArrayList<>();
        RulEstimator aged = new RulEstimator() {
            @Override
            public String modelName() {
                return "rul-aged";
            }

            @Override
            public String modelVersion() {
                return "1";
            }

            @Override
            public List<String> inputs() {
                return List.of("s2", "cycle");
            }

            @Override
            public List<String> counters() {
                return List.of("cycle");
            }

            @Override
            public int window() {
                return 4;
            }

            @Override
            public Future<Double> estimate(double[][] history) {
                lastCycles.add(history[history.length - 1]);
                return Future.succeededFuture(300 - history[history.length - 1][1] / 1000);
            }
        };
        analytics.useRulEstimator(aged);
        for (long cycle = 1; cycle <= 8; cycle++) {
            analytics.onReadings(List.of(
                    new Reading("a:engine-1", "engine/s2", 100 + cycle % 2, cycle),
                    new Reading("a:engine-1", "engine/cycle", cycle * 1000, cycle)));
        }
        assertThat(lastCycles).hasSize(8);
        assertThat(lastCycles.get(7)).containsExactly(100, 8000);
        Prediction last = written.get(written.size() - 1);
        assertThat(last.rulCycles()).hasValue(292.0);
        Prediction lastSnapshot = written.stream().filter(Prediction::carriesSnapshot).reduce((a, b) -> b).orElseThrow();
        assertThat(lastSnapshot.baselines()).containsKey("engine/s2").doesNotContainKey("engine/cycle");
        assertThat(TwinAnalytics.rulSignals("engine", aged)).contains("engine/cycle");
    }

    @Test
    void aChangeWithoutTheCounterIsNoCycleOfACounterModel() {
        List<Integer> calls = new ArrayList<>();
        analytics.useRulEstimator(new RulEstimator() {
            @Override
            public String modelName() {
                return "rul-aged";
            }

            @Override
            public String modelVersion() {
                return "1";
            }

            @Override
            public List<String> inputs() {
                return List.of("s2", "cycle");
            }

            @Override
            public List<String> counters() {
                return List.of("cycle");
            }

            @Override
            public int window() {
                return 4;
            }

            @Override
            public Future<Double> estimate(double[][] history) {
                calls.add(history.length);
                return Future.succeededFuture(1.0);
            }
        });
        for (long revision = 1; revision <= 4; revision++) {
            analytics.onReadings(List.of(new Reading("a:engine-1", "engine/s2", 100, revision)));
        }
        assertThat(calls).isEmpty();
    }

    @Test
    void aBaselineModelGetsTheAssetsFirstCyclesThenItsLastWindowAndNothingTwice() {
        List<double[]> s2Histories = new ArrayList<>();
        analytics.useRulEstimator(baselineEstimator(2, s2Histories));
        for (int cycle = 1; cycle <= 8; cycle++) {
            engineCycle(cycle, cycle);
        }
        assertThat(s2Histories.get(0)).containsExactly(1);
        assertThat(s2Histories.get(3)).containsExactly(1, 2, 3, 4);
        // 6 cycles: the first two and the last window of 4 are every cycle, none repeated
        assertThat(s2Histories.get(5)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(s2Histories.get(6)).containsExactly(1, 2, 4, 5, 6, 7);
        assertThat(s2Histories.get(7)).containsExactly(1, 2, 5, 6, 7, 8);
    }

    @Test
    void aBaselineModelArrivingAfterTheFirstCyclesWereDroppedGetsTheRecentCyclesAlone() {
        analytics.useRulEstimator(estimator);
        for (int cycle = 1; cycle <= 6; cycle++) {
            engineCycle(cycle, cycle);
        }
        List<double[]> s2Histories = new ArrayList<>();
        analytics.useRulEstimator(baselineEstimator(2, s2Histories));
        engineCycle(7, 7);
        // cycles 1-2 were not kept for a model without a baseline: the model gets the window and sees (by the
        // engine's age) that its first cycles are missing
        assertThat(s2Histories).hasSize(1);
        assertThat(s2Histories.get(0)).containsExactly(4, 5, 6, 7);
    }

    /** An estimator with window 4 and {@code baselineCycles}, recording the s2 values of every history it gets. */
    private RulEstimator baselineEstimator(int baselineCycles, List<double[]> s2Histories) {
        return new RulEstimator() {
            @Override
            public String modelName() {
                return "rul-baseline";
            }

            @Override
            public String modelVersion() {
                return "1";
            }

            @Override
            public List<String> inputs() {
                return List.of("s2", "s3");
            }

            @Override
            public int window() {
                return 4;
            }

            @Override
            public int baselineCycles() {
                return baselineCycles;
            }

            @Override
            public Future<Double> estimate(double[][] history) {
                s2Histories.add(java.util.Arrays.stream(history).mapToDouble(c -> c[0]).toArray());
                return Future.succeededFuture(100.0);
            }
        };
    }

    @Test
    void whenTheCycleCounterGoesBackANewLifeBeginsWithItsOwnBaseline() {
        List<double[]> histories = new ArrayList<>();
        analytics.useRulEstimator(new RulEstimator() {
            @Override
            public String modelName() {
                return "rul-baseline-aged";
            }

            @Override
            public String modelVersion() {
                return "1";
            }

            @Override
            public List<String> inputs() {
                return List.of("s2", "cycle");
            }

            @Override
            public List<String> counters() {
                return List.of("cycle");
            }

            @Override
            public int window() {
                return 3;
            }

            @Override
            public int baselineCycles() {
                return 2;
            }

            @Override
            public Future<Double> estimate(double[][] history) {
                histories.add(java.util.Arrays.stream(history).mapToDouble(c -> c[1]).toArray());
                return Future.succeededFuture(100.0);
            }
        });
        long revision = 0;
        for (long cycle : new long[] {1, 2, 3, 4, 5, 6, 1, 2}) {
            revision++;
            analytics.onReadings(List.of(
                    new Reading("a:engine-1", "engine/s2", 100 + revision % 2, revision),
                    new Reading("a:engine-1", "engine/cycle", cycle, revision)));
        }
        assertThat(histories).hasSize(8);
        assertThat(histories.get(5)).containsExactly(1, 2, 4, 5, 6);
        // the engine was replaced (or the replay started over): its first cycles are the new life's
        assertThat(histories.get(6)).containsExactly(1);
        assertThat(histories.get(7)).containsExactly(1, 2);
    }
}
