package io.twinworks.localstack.ditto.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The remembered text is always the asked instant's own {@link Instant#toString()}. */
class LastInstantTextTest {

    @Test
    void anInstantAfterAnotherGetsItsOwnTextNotTheRememberedOne() {
        LastInstantText texts = new LastInstantText();
        Instant first = Instant.parse("2026-12-07T03:00:00.120Z");
        Instant second = first.plusNanos(1);

        assertThat(texts.of(first)).isEqualTo("2026-12-07T03:00:00.120Z");
        assertThat(texts.of(second)).isEqualTo("2026-12-07T03:00:00.120000001Z");
        assertThat(texts.of(first)).isEqualTo("2026-12-07T03:00:00.120Z");
    }

    @Test
    void anEqualInstantOfAnotherObjectGetsTheSameText() {
        LastInstantText texts = new LastInstantText();
        Instant instant = Instant.ofEpochSecond(1_765_000_000L, 500);

        assertThat(texts.of(instant)).isEqualTo(instant.toString());
        assertThat(texts.of(Instant.ofEpochSecond(1_765_000_000L, 500))).isEqualTo(instant.toString());
    }

    @Test
    void manyInstantsRepeatedOrNotGetToStringsText() {
        LastInstantText texts = new LastInstantText();
        Random random = new Random(7);
        Instant previous = Instant.EPOCH;
        for (int i = 0; i < 10_000; i++) {
            Instant instant = random.nextInt(3) == 0 ? previous
                    : Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000));
            assertThat(texts.of(instant)).isEqualTo(instant.toString());
            previous = instant;
        }
    }
}
