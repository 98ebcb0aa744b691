package io.twinworks.localstack;

import io.twinworks.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code TWINWORKS_DITTO_THING_HISTORY_DEPTH}: its default, an override, and invalid values stopping start-up. */
class ThingHistoryDepthConfigTest {

    private static final String KEY = "TWINWORKS_DITTO_THING_HISTORY_DEPTH";

    @Test
    void theDefaultKeepsAThousandRevisionsPerThing() {
        assertThat(LocalStackConfig.defaults().dittoThingHistoryDepth()).isEqualTo(1000);
    }

    @Test
    void theEnvironmentOverridesItAndZeroSwitchesHistoryOff() {
        assertThat(LocalStackConfig.fromEnv(Map.of(KEY, "25")).dittoThingHistoryDepth()).isEqualTo(25);
        assertThat(LocalStackConfig.fromEnv(Map.of(KEY, "0")).dittoThingHistoryDepth()).isZero();
    }

    @Test
    void aNegativeValueStopsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of(KEY, "-1")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.problems()).containsExactly(KEY + "=-1 is outside [0, 1000000]"));
    }

    @Test
    void aValueAboveTheBoundStopsStartUp() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of(KEY, "1000001"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void aNonNumericValueStopsStartUp() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of(KEY, "all")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.problems()).containsExactly(KEY + "=all is not a whole number"));
    }
}
