package io.twinworks.analytics.detect;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LevelNoveltyTest {

    private static final int LEARN = 64;
    private static final double WEIGHT = 0.01;

    /** Feeds {@code points} step means around {@code level} (sd 0.3, range 0..20 seen); returns the worst score. */
    private static double feed(LevelNovelty novelty, Random random, int points, double level, double scale) {
        double worst = 0;
        for (int i = 0; i < points; i++) {
            worst = Math.max(worst, novelty.update(scale * (level + 0.3 * random.nextGaussian()), 0, scale * 20));
        }
        return worst;
    }

    @Test
    void nothingIsScoredWhileTheLevelAndItsCalibrationLearn() {
        LevelNovelty novelty = new LevelNovelty(LEARN, WEIGHT);
        Random random = new Random(1);
        for (int i = 0; i < LEARN; i++) {
            assertThat(novelty.update(i % 2 == 0 ? 0 : 20 * random.nextDouble(), 0, 20)).as("point %d", i).isZero();
        }
    }

    @Test
    void aSteadyNoisyLevelStaysQuietAndALastingShiftInsideTheRangeScoresHigh() {
        for (long seed = 1; seed <= 5; seed++) {
            LevelNovelty novelty = new LevelNovelty(LEARN, WEIGHT);
            Random random = new Random(seed);
            feed(novelty, random, LEARN, 10, 1);
            assertThat(feed(novelty, random, 1_000, 10, 1)).as("seed %d, steady", seed).isLessThan(0.5);
            // 13: well inside the 0..20 seen, ten standard deviations of the step means away from the level
            assertThat(novelty.update(13, 0, 20)).as("seed %d, shifted", seed).isGreaterThan(0.9);
        }
    }

    @Test
    void aShiftThatLastsBecomesTheNewLevel() {
        LevelNovelty novelty = new LevelNovelty(LEARN, WEIGHT);
        Random random = new Random(3);
        feed(novelty, random, 500, 10, 1);
        assertThat(feed(novelty, random, 10, 13, 1)).isGreaterThan(0.9);
        feed(novelty, random, 1_000, 13, 1);
        assertThat(feed(novelty, random, 200, 13, 1)).isLessThan(0.5);
    }

    @Test
    void theScoreDoesNotDependOnTheSignalsUnits() {
        LevelNovelty volts = new LevelNovelty(LEARN, WEIGHT);
        LevelNovelty millivolts = new LevelNovelty(LEARN, WEIGHT);
        Random a = new Random(4);
        Random b = new Random(4);
        for (int i = 0; i < 300; i++) {
            double level = i < 250 ? 10 : 12;
            assertThat(millivolts.update(1_000 * (level + 0.3 * b.nextGaussian()), 0, 20_000))
                    .as("point %d", i).isCloseTo(volts.update(level + 0.3 * a.nextGaussian(), 0, 20), within(1e-9));
        }
    }
}
