package io.twinworks.analytics.detect;

import io.twinworks.analytics.model.ContextMemory;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ContextMatcherTest {

    private static final int LEARN = 64;
    private static final double WEIGHT = 0.01;

    /** A cycle of 24 points (one day of coarse points at NAB's 5-minute sampling) with a little noise. */
    private static double daily(int i, Random random) {
        return 10 + 5 * Math.sin(2 * Math.PI * i / 24.0) + 0.05 * random.nextGaussian();
    }

    /** Feeds {@code points} points of the cycle, the range as the detector gives it (0..20 seen at once). */
    private static double feed(ContextMatcher matcher, Random random, int from, int points) {
        double worst = 0;
        for (int i = from; i < from + points; i++) {
            worst = Math.max(worst, matcher.update(daily(i, random), 0, 20));
        }
        return worst;
    }

    @Test
    void aFamiliarCycleScoresNothingOnceLearned() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        Random random = new Random(1);
        feed(matcher, random, 0, 400);
        assertThat(feed(matcher, random, 400, 2_000)).isLessThan(0.2);
    }

    @Test
    void nothingIsScoredWhileTheCalibrationLearns() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        Random random = new Random(2);
        for (int i = 0; i < LEARN; i++) {
            // every point a new level sequence: the raw share is high, the score must still be 0
            assertThat(matcher.update(random.nextDouble() * 20, 0, 20)).as("point %d", i).isZero();
        }
    }

    @Test
    void aPeakThatStaysInsideTheRangeButNeverCameInThisContextScoresHigh() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        Random random = new Random(3);
        feed(matcher, random, 0, 600);
        double worst = 0;
        // the cycle stops at its middle level for half a day: every value was seen, the sequence never
        for (int i = 0; i < 12; i++) {
            worst = Math.max(worst, matcher.update(10 + 0.05 * random.nextGaussian(), 0, 20));
        }
        assertThat(worst).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void aLearnedCycleIsFamiliarAndAStopInItIsNot() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        Random random = new Random(7);
        feed(matcher, random, 0, 600);
        int familiar = 0;
        for (int i = 600; i < 648; i++) {
            matcher.update(daily(i, random), 0, 20);
            familiar += matcher.familiar() ? 1 : 0;
        }
        assertThat(familiar).isGreaterThanOrEqualTo(40);
        // the cycle stops at its middle level: within a few points the sequence of levels is a new one
        boolean anyUnfamiliar = false;
        for (int i = 0; i < 6; i++) {
            matcher.update(10 + 0.05 * random.nextGaussian(), 0, 20);
            anyUnfamiliar |= !matcher.familiar();
        }
        assertThat(anyUnfamiliar).isTrue();
    }

    @Test
    void nothingIsFamiliarBeforeTheFirstContextIsComplete() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        for (int i = 0; i < ContextMatcher.LENGTH - 1; i++) {
            matcher.update(10, 0, 20);
            assertThat(matcher.familiar()).as("point %d", i).isFalse();
        }
        // the same level again and again: from the second full context on, every sub-context is known
        matcher.update(10, 0, 20);
        assertThat(matcher.familiar()).isFalse();
        matcher.update(10, 0, 20);
        assertThat(matcher.familiar()).isTrue();
    }

    @Test
    void aHandedOverMemoryScoresExactlyAsTheOriginalWouldHave() {
        ContextMatcher original = new ContextMatcher(LEARN, WEIGHT);
        Random random = new Random(4);
        feed(original, random, 0, 700);
        ContextMatcher successor = new ContextMatcher(LEARN, WEIGHT);
        successor.restore(original.memory());
        Random continuation = new Random(5);
        for (int i = 0; i < 300; i++) {
            double value = i >= 100 && i < 112 ? 10 : daily(700 + i, continuation);
            assertThat(successor.update(value, 0, 20)).as("point %d", i).isEqualTo(original.update(value, 0, 20));
        }
    }

    @Test
    void aMemoryOfAnotherTableSizeIsIgnored() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        matcher.restore(new ContextMemory(new int[ContextMatcher.TABLE * 2], 0, 5_000, 0.5, 0.1));
        assertThat(matcher.memory().points()).isZero();
    }

    @Test
    void theTableKeepsItsSizeAndTheHistoryItsLengthWhateverComes() {
        ContextMatcher matcher = new ContextMatcher(LEARN, WEIGHT);
        Random random = new Random(6);
        for (int i = 0; i < 50_000; i++) {
            matcher.update(random.nextDouble() * 20, 0, 20);
        }
        ContextMemory memory = matcher.memory();
        assertThat(memory.entries()).hasSize(ContextMatcher.TABLE);
        assertThat(memory.history()).isLessThan(1L << 4 * ContextMatcher.LENGTH);
    }
}
