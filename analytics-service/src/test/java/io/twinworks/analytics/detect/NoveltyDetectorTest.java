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
