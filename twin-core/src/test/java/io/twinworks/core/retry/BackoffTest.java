package io.twinworks.core.retry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void exponentialDelaysDoubleFromTheFirstUpToTheLargest() {
        Backoff backoff = Backoff.exponential(100, 1_000);
        assertThat(backoff.delayMillis(0)).isEqualTo(100);
        assertThat(backoff.delayMillis(1)).isEqualTo(200);
        assertThat(backoff.delayMillis(3)).isEqualTo(800);
        assertThat(backoff.delayMillis(4)).isEqualTo(1_000);
        assertThat(backoff.delayMillis(10_000)).isEqualTo(1_000);
    }

    @Test
    void aMultiplierOfOneKeepsTheDelayConstant() {
        Backoff backoff = new Backoff(50, 5_000, 1.0, 0.0);
        assertThat(backoff.delayMillis(0)).isEqualTo(50);
        assertThat(backoff.delayMillis(20)).isEqualTo(50);
    }

    @Test
    void jitterTakesItsFractionOffAndNeverAddsToTheDelay() {
        Backoff backoff = Backoff.exponential(1_000, 1_000).withJitter(0.25);
        assertThat(backoff.jitteredDelayMillis(0, () -> 0.0)).isEqualTo(1_000);
        assertThat(backoff.jitteredDelayMillis(0, () -> 0.5)).isEqualTo(875);
        assertThat(backoff.jitteredDelayMillis(0, () -> 0.999_999)).isGreaterThan(750).isLessThanOrEqualTo(1_000);
    }

    @Test
    void delaysGrowPerNextAndStartAgainAfterAReset() {
        Backoff.Delays delays = Backoff.exponential(10, 40).delays();
        assertThat(delays.next()).isEqualTo(10);
        assertThat(delays.next()).isEqualTo(20);
        assertThat(delays.next()).isEqualTo(40);
        assertThat(delays.next()).isEqualTo(40);
        delays.reset();
        assertThat(delays.next()).isEqualTo(10);
    }

    @Test
    void delaysStopCountingOnceTheLargestDelayIsReached() {
        Backoff.Delays delays = Backoff.exponential(1, 4).delays();
        for (int i = 0; i < 1_000; i++) {
            assertThat(delays.next()).isLessThanOrEqualTo(4);
        }
        assertThat(delays.retries()).isEqualTo(2);
    }

    @Test
    void aNegativeFirstDelayIsRefused() {
        assertThatThrownBy(() -> Backoff.exponential(-1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialMillis");
    }

    @Test
    void aLargestDelayBelowTheFirstIsRefused() {
        assertThatThrownBy(() -> Backoff.exponential(100, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMillis (10)");
    }

    @Test
    void aShrinkingOrNonFiniteMultiplierIsRefused() {
        assertThatThrownBy(() -> new Backoff(1, 10, 0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(1, 10, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(1, 10, Double.POSITIVE_INFINITY, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jitterOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Backoff(1, 10, 2, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> new Backoff(1, 10, 2, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNegativeRetryNumberIsRefused() {
        assertThatThrownBy(() -> Backoff.exponential(1, 10).delayMillis(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
