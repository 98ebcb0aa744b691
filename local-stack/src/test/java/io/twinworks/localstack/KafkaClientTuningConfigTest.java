package io.twinworks.localstack;

import io.twinworks.core.config.ConfigException;
import io.twinworks.localstack.ditto.connectivity.HonoConnectionSettings;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kafka client tuning of the ingest path: the MQTT endpoint's producer batching
 * ({@code TWINWORKS_HONO_KAFKA_LINGER_MS}, {@code TWINWORKS_HONO_KAFKA_BATCH_BYTES}) and the Hono connection's
 * fetch sizes ({@code TWINWORKS_DITTO_HONO_FETCH_MIN_BYTES}, {@code TWINWORKS_DITTO_HONO_FETCH_MAX_WAIT_MS}).
 */
class KafkaClientTuningConfigTest {

    @Test
    void aNegativeLingerStopsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_KAFKA_LINGER_MS", "-1")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("TWINWORKS_HONO_KAFKA_LINGER_MS=-1 is outside [0, 1000]"));
    }

    @Test
    void aFetchMinimumOfZeroBytesStopsStartUp() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of("TWINWORKS_DITTO_HONO_FETCH_MIN_BYTES", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("TWINWORKS_DITTO_HONO_FETCH_MIN_BYTES=0 is outside [1, 16777216]"));
    }

    @Test
    void aCommitIntervalAboveAMinuteStopsStartUp() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of("TWINWORKS_DITTO_HONO_COMMIT_INTERVAL_MS", "60001")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("TWINWORKS_DITTO_HONO_COMMIT_INTERVAL_MS=60001 is outside [0, 60000]"));
    }

    @Test
    void everyInvalidValueIsListedAtOnce() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_KAFKA_BATCH_BYTES", "big",
                "TWINWORKS_DITTO_HONO_FETCH_MAX_WAIT_MS", "1001")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "TWINWORKS_HONO_KAFKA_BATCH_BYTES=big is not a whole number",
                        "TWINWORKS_DITTO_HONO_FETCH_MAX_WAIT_MS=1001 is outside [0, 1000]"));
    }

    @Test
    void connectionSettingsRefuseFetchValuesKafkaRefuses() {
        assertThatThrownBy(() -> new HonoConnectionSettings("localhost:9092", "group", List.of("a:b"), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HonoConnectionSettings("localhost:9092", "group", List.of("a:b"), 1, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HonoConnectionSettings("localhost:9092", "group", List.of("a:b"), 1, 5, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commitIntervalMs");
        assertThatThrownBy(() -> new NorthboundProducer.Batching(-1, 16_384)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAreTheProducersAndTheConnectionsOwn() {
        LocalStackConfig config = LocalStackConfig.defaults();

        assertThat(new NorthboundProducer.Batching(config.honoKafkaLingerMs(), config.honoKafkaBatchBytes()))
                .isEqualTo(NorthboundProducer.Batching.DEFAULT);
        HonoConnectionSettings settings = HonoConnectionSettings.of(config, "localhost:9092");
        assertThat(settings.fetchMinBytes()).isEqualTo(HonoConnectionSettings.DEFAULT_FETCH_MIN_BYTES);
        assertThat(settings.fetchMaxWaitMs()).isEqualTo(HonoConnectionSettings.DEFAULT_FETCH_MAX_WAIT_MS);
        assertThat(settings.commitIntervalMs()).isEqualTo(HonoConnectionSettings.DEFAULT_COMMIT_INTERVAL_MS);
    }

    @Test
    void theEnvironmentOverridesEachValueAndTheConnectionSettingsCarryThem() {
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_KAFKA_LINGER_MS", "0",
                "TWINWORKS_HONO_KAFKA_BATCH_BYTES", "65536", "TWINWORKS_DITTO_HONO_FETCH_MIN_BYTES", "1",
                "TWINWORKS_DITTO_HONO_FETCH_MAX_WAIT_MS", "20", "TWINWORKS_DITTO_HONO_COMMIT_INTERVAL_MS", "0"));

        assertThat(config.honoKafkaLingerMs()).isZero();
        assertThat(config.honoKafkaBatchBytes()).isEqualTo(65_536);
        HonoConnectionSettings settings = HonoConnectionSettings.of(config, "localhost:9092");
        assertThat(settings.fetchMinBytes()).isEqualTo(1);
        assertThat(settings.fetchMaxWaitMs()).isEqualTo(20);
        assertThat(settings.commitIntervalMs()).isZero();
    }
}
