package io.twinworks.localstack.ditto.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The text is always the instant's own {@link Instant#toString()}. */
class InstantTextsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2026-12-07T03:00:00.120Z",
            "2026-12-07T03:00:00.120000001Z", "2026-12-07T03:00:00.000120Z", "2024-02-29T12:34:56.789Z",
            "2100-03-01T00:00:00.000001Z", "2000-02-29T23:59:59.100Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00.5Z"})
    void anInstantOfTheWrittenYearsGetsItsOwnText(String text) {
        Instant instant = Instant.parse(text);

        assertThat(InstantTexts.of(instant)).isEqualTo(instant.toString());
    }

    @Test
    void instantsOutsideTheYearsZeroToNineThousandNineHundredNinetyNineKeepTheirSignedText() {
        for (Instant instant : new Instant[]{Instant.MIN, Instant.MAX, Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.999Z"), Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
                Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1)}) {
            assertThat(InstantTexts.of(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void manyRandomInstantsGetTheirOwnTextsAtEveryPrecision() {
        Random random = new Random(7);
        long first = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 500_000; i++) {
            long second = random.nextInt(4) == 0
                    ? 1_700_000_000L + random.nextInt(200_000_000)   // around now, where the stack writes
                    : first + (long) (random.nextDouble() * (last - first));
            int nano = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nano);
            assertThat(InstantTexts.of(instant)).isEqualTo(instant.toString());
        }
    }
}
