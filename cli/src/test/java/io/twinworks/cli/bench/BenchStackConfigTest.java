package io.twinworks.cli.bench;

import io.twinworks.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchStackConfigTest {

    @Test
    void anInvalidValueInTheEnvironmentIsRefusedAsAtTheStacksStart() {
        assertThatThrownBy(() -> BenchStackConfig.of(Map.of("TWINWORKS_HONO_KAFKA_LINGER_MS", "soon"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TWINWORKS_HONO_KAFKA_LINGER_MS");
    }

    @Test
    void theBenchmarksSetUpKeysWinOverTheEnvironment() {
        assertThat(BenchStackConfig.of(Map.of("TWINWORKS_HONO_BCRYPT_COST", "12"),
                Map.of("TWINWORKS_HONO_BCRYPT_COST", "4")).bcryptCost()).isEqualTo(4);
    }

    @Test
    void aSettingOfTheEnvironmentReachesTheMeasuredStack() {
        assertThat(BenchStackConfig.of(Map.of("TWINWORKS_HONO_KAFKA_LINGER_MS", "7"), Map.of()).honoKafkaLingerMs())
                .isEqualTo(7);
    }
}
