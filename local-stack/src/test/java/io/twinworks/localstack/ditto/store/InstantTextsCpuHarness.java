package io.twinworks.localstack.ditto.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Instant;

import static io.twinworks.localstack.ditto.service.TwinApplyCpuHarnessAccess.compare;

/** Not a test of behaviour: {@link InstantTexts#of} against {@link Instant#toString()}; runs with {@code -Dtwinworks.harness=true}. */
@EnabledIfSystemProperty(named = "twinworks.harness", matches = "true")
class InstantTextsCpuHarness {

    private static Object sink;
    private static long nanos;

    @Test
    void textOfANewInstant() {
        Instant base = Instant.parse("2026-12-07T06:00:00Z");
        compare("text of a new instant (modification time)", () -> sink = base.plusNanos(nanos += 1_001).toString(),
                () -> sink = InstantTexts.of(base.plusNanos(nanos += 1_001)), 200_000);
    }
}
