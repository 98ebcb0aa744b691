package io.twinworks.localstack.ditto.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The remembered text is always the asked instant's own {@link Instant#toString()}. */
class InstantTextsTest {

    @Test
    void anInstantCloseToARememberedOneGetsItsOwnText() {
        InstantTexts texts = new InstantTexts();
        Instant first = Instant.parse("2026-12-07T03:00:00.120Z");
        Instant second = first.plusNanos(1);

        assertThat(texts.of(first)).isEqualTo("2026-12-07T03:00:00.120Z");
        assertThat(texts.of(second)).isEqualTo("2026-12-07T03:00:00.120000001Z");
        assertThat(texts.of(first)).isEqualTo("2026-12-07T03:00:00.120Z");
    }

    @Test
    void anEqualInstantOfAnotherObjectGetsTheSameText() {
        InstantTexts texts = new InstantTexts();
        Instant instant = Instant.ofEpochSecond(1_765_000_000L, 500);

        assertThat(texts.of(instant)).isEqualTo(instant.toString());
        assertThat(texts.of(Instant.ofEpochSecond(1_765_000_000L, 500))).isEqualTo(instant.toString());
    }

    @Test
    void farMoreInstantsThanRememberedStillGetTheirOwnTexts() {
        InstantTexts texts = new InstantTexts();
        Random random = new Random(7);
        // creation times that come back (things changing again) among modification times seen once or twice
        List<Instant> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            created.add(Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)));
        }
        Instant previous = Instant.EPOCH;
        for (int i = 0; i < 20 * InstantTexts.REMEMBERED; i++) {
            Instant instant = switch (random.nextInt(3)) {
                case 0 -> created.get(random.nextInt(created.size()));
                case 1 -> previous;
                default -> Instant.ofEpochSecond(random.nextInt(2_000_000_000),
                        random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            };
            assertThat(texts.of(instant)).isEqualTo(instant.toString());
            previous = instant;
        }
    }
}
