package io.twinworks.analytics.detect;

import io.twinworks.analytics.model.SignalBaseline;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NoveltyDetectorTest {

    /** A daily-like cycle of 96 rows with a little noise. */
    private static double cycle(int i, Random random) {
        return 10 + 5 * Math.sin(2 * Math.PI * i / 96.0) + 0.1 * random.nextGaussian();
    }

    /** What a detector hands over after {@code rows} rows of {@code signal}. */
    private static SignalBaseline handedOverAfter(int rows, long seed, java.util.function.BiFunction<Integer, Random, Double> signal) {
        NoveltyDetector original = new NoveltyDetector();
        Random random = new Random(seed);
        for (int i = 0; i < rows; i++) {
            original.update(signal.apply(i, random));
        }
        return original.withRange(new SignalBaseline(10, 3, 500));
    }

    @Test
    void nothingIsReportedDuringTheWarmUp() {
        NoveltyDetector detector = new NoveltyDetector();
        Random random = new Random(1);
        for (int i = 0; i < NoveltyDetector.WARM_ROWS; i++) {
            assertThat(detector.update(random.nextGaussian() * (i + 1))).as("row %d", i).isZero();
        }
    }

    @Test
    void aValueFarBeyondTheRangeSeenScoresOne() {
        NoveltyDetector detector = new NoveltyDetector();
        Random random = new Random(2);
        for (int i = 0; i < 1_000; i++) {
            detector.update(cycle(i, random));
        }
        assertThat(detector.update(30.0)).isEqualTo(1.0);
    }

    @Test
    void anEventIsReportedOnceAndTheRowsAfterItAreMaskedUnlessTheyAreWorse() {
        NoveltyDetector detector = new NoveltyDetector();
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            detector.update(cycle(i, random));
        }
        // 1 above a range of about 10.4: 5 % past the margin, a moderate report
        double event = detector.update(16.0);
        assertThat(event).isBetween(NoveltyDetector.MASK_THRESHOLD, 0.99);
        for (int i = 0; i < 10; i++) {
            assertThat(detector.update(15.9)).as("row %d after the event", i).isZero();
        }
        assertThat(detector.update(40.0)).isEqualTo(1.0);
    }

    @Test
    void aFlatStretchInsideTheUsualRangeScoresWellAboveEverythingInTheUsualCycles() {
        for (long seed = 1; seed <= 5; seed++) {
            NoveltyDetector detector = new NoveltyDetector();
            Random random = new Random(seed);
            double quietWorst = 0;
            for (int i = 0; i < 6_000; i++) {
                double score = detector.update(daily(i, random));
                if (i >= 3_000) {
                    quietWorst = Math.max(quietWorst, score);
                }
            }
            double flatWorst = 0;
            for (int i = 0; i < 288; i++) {
                flatWorst = Math.max(flatWorst, detector.update(10 + 0.1 * random.nextGaussian()));
            }
            assertThat(quietWorst).as("seed %d", seed).isLessThan(NoveltyDetector.MASK_THRESHOLD);
            assertThat(flatWorst).as("seed %d", seed).isGreaterThanOrEqualTo(1.5 * quietWorst);
        }
    }

    /**
     * A quiet level (10) with one early spike (30: the range is 10..30 from then on) and a daily burst to 20
     * for 36 rows at the same time each day; with {@code offSchedule} a second burst later in the day.
     */
    private static double bursts(int i, Random random, boolean offSchedule) {
        if (i == 50) {
            return 30;
        }
        int phase = i % 288;
        boolean burst = phase >= 100 && phase < 136 || offSchedule && phase >= 200 && phase < 236;
        return (burst ? 20 : 10) + 0.2 * random.nextGaussian();
    }

    @Test
    void aDailyBurstInsideTheRangeIsNoNewsOnceItRecursButOneOffItsScheduleIs() {
        for (long seed = 1; seed <= 5; seed++) {
            NoveltyDetector detector = new NoveltyDetector();
            Random random = new Random(seed);
            double recurringWorst = 0;
            for (int i = 0; i < 288 * 20; i++) {
                double score = detector.update(bursts(i, random, false));
                if (i >= 288 * 10) {
                    recurringWorst = Math.max(recurringWorst, score);
                }
            }
            double offScheduleWorst = 0;
            for (int i = 288 * 20; i < 288 * 21; i++) {
                offScheduleWorst = Math.max(offScheduleWorst, detector.update(bursts(i, random, true)));
            }
            assertThat(recurringWorst).as("seed %d", seed).isLessThan(NoveltyDetector.MASK_THRESHOLD);
            assertThat(offScheduleWorst).as("seed %d", seed).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void theCoarseScaleMutesALevelBurstAlongAFamiliarSequenceOfLevelsButNotAHigherBurst() {
        for (long seed = 1; seed <= 5; seed++) {
            NoveltyDetector.CoarseScale coarse = new NoveltyDetector.CoarseScale(NoveltyDetector.COARSE_STEP);
            LevelNovelty levelAlone = new LevelNovelty(NoveltyDetector.LEARN_POINTS, NoveltyDetector.LONG_WEIGHT);
            Random random = new Random(seed);
            double recurringWorst = 0;
            double recurringLevelAlone = 0;
            double stepSum = 0;
            // 11, with a burst to 21 for one coarse step (12 rows) at the same time each day; range 0..30
            for (int i = 0; i < 288 * 20; i++) {
                double value = (i % 288 >= 96 && i % 288 < 108 ? 21 : 11) + 0.2 * random.nextGaussian();
                double score = coarse.update(value, 0, 30);
                stepSum += value;
                double levelScore = 0;
                if ((i + 1) % NoveltyDetector.COARSE_STEP == 0) {
                    levelScore = levelAlone.update(stepSum / NoveltyDetector.COARSE_STEP, 0, 30);
                    stepSum = 0;
                }
                if (i >= 288 * 10) {
                    recurringWorst = Math.max(recurringWorst, score);
                    recurringLevelAlone = Math.max(recurringLevelAlone, levelScore);
                }
            }
            // level novelty alone keeps reporting the daily burst; the context matcher knows its sequence
            assertThat(recurringLevelAlone).as("seed %d", seed).isGreaterThan(0.5);
            assertThat(recurringWorst).as("seed %d", seed).isLessThan(0.1);
            double higherWorst = 0;
            for (int i = 288 * 20; i < 288 * 21; i++) {
                double value = (i % 288 >= 96 && i % 288 < 108 ? 26 : 11) + 0.2 * random.nextGaussian();
                higherWorst = Math.max(higherWorst, coarse.update(value, 0, 30));
            }
            assertThat(higherWorst).as("seed %d", seed).isGreaterThanOrEqualTo(0.9);
        }
    }

    /** A daily cycle at NAB's 5-minute sampling (288 rows) with a little noise. */
    private static double daily(int i, Random random) {
        return 10 + 5 * Math.sin(2 * Math.PI * i / 288.0) + 0.1 * random.nextGaussian();
    }

    @Test
    void nonFiniteValuesAreIgnoredAndScoreZero() {
        NoveltyDetector detector = new NoveltyDetector();
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            detector.update(cycle(i, random));
        }
        assertThat(detector.update(Double.NaN)).isZero();
        assertThat(detector.update(Double.POSITIVE_INFINITY)).isZero();
        assertThat(detector.withRange(new SignalBaseline(1, 1, 10)).rangeMax()).isLessThan(16);
    }

    @Test
    void aHandedOverRangeScoresRangeNoveltyWithoutANewWarmUp() {
        SignalBaseline handedOver = handedOverAfter(500, 6, NoveltyDetectorTest::cycle);
        assertThat(handedOver.hasRange()).isTrue();
        assertThat(handedOver.rangeRows()).isEqualTo(500);

        NoveltyDetector successor = new NoveltyDetector();
        successor.restore(handedOver);
        assertThat(successor.update(30.0)).isEqualTo(1.0);
        NoveltyDetector fresh = new NoveltyDetector();
        assertThat(fresh.update(30.0)).isZero();
    }

    @Test
    void aBaselineWithoutARangeChangesNothing() {
        NoveltyDetector detector = new NoveltyDetector();
        detector.restore(new SignalBaseline(10, 3, 500));
        assertThat(detector.update(30.0)).isZero();
        assertThat(detector.withRange(new SignalBaseline(10, 3, 500)).rangeRows()).isEqualTo(1);
    }

    @Test
    void theContextMemoryTravelsWithTheRangeAndIsTakenOverWhole() {
        SignalBaseline handedOver = handedOverAfter(3_000, 7, NoveltyDetectorTest::daily);
        assertThat(handedOver.hasContext()).isTrue();
        assertThat(handedOver.context().points()).isEqualTo(3_000 / NoveltyDetector.COARSE_STEP);

        NoveltyDetector successor = new NoveltyDetector();
        successor.restore(handedOver);
        assertThat(successor.withRange(new SignalBaseline(10, 3, 500)).context()).isEqualTo(handedOver.context());
    }

    @Test
    void aRangeWithoutAContextMemoryStartsTheContextsAfresh() {
        NoveltyDetector detector = new NoveltyDetector();
        detector.restore(new SignalBaseline(10, 3, 500, 5, 15, 2_000));
        assertThat(detector.withRange(new SignalBaseline(10, 3, 500)).context().points()).isZero();
    }
}
