package io.twinworks.analytics;

import io.twinworks.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalyticsConfigTest {

    @Test
    void defaultsAreWebSocketTransportModelsDirectoryAndThreeRetries() {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of());
        assertThat(config.kafka()).isNull();
        assertThat(config.modelDir()).isEqualTo(Path.of("models"));
        assertThat(config.rulFeature()).isEqualTo("sensors");
        assertThat(config.writeRetries()).isEqualTo(3);
        assertThat(config.retryBackoffMillis()).isEqualTo(200);
    }

    @Test
    void kafkaTransportTakesItsServersTopicAndGroup() {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of(
                "TWINWORKS_ANALYTICS_TRANSPORT", "kafka",
                "TWINWORKS_ANALYTICS_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "TWINWORKS_ANALYTICS_KAFKA_TOPIC", "ditto.events",
                "TWINWORKS_ANALYTICS_KAFKA_GROUP", "replicas"));
        assertThat(config.kafka()).isEqualTo(new AnalyticsConfig.KafkaTransport("kafka:9092", "ditto.events", "replicas"));
    }

    @Test
    void everyInvalidKeyIsListedAtOnce() {
        assertThatThrownBy(() -> AnalyticsConfig.fromEnv(Map.of(
                "TWINWORKS_ANALYTICS_TRANSPORT", "carrier-pigeon",
                "TWINWORKS_ANALYTICS_WRITE_RETRIES", "-1",
                "TWINWORKS_ANALYTICS_DITTO_ENDPOINT", "http://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TWINWORKS_ANALYTICS_TRANSPORT=carrier-pigeon must be websocket or kafka")
                .hasMessageContaining("TWINWORKS_ANALYTICS_WRITE_RETRIES")
                .hasMessageContaining("must be a ws:// or wss:// URL");
    }

    @Test
    void learnedDetectorIsOnByDefaultAndCanBeSwitchedOff() {
        assertThat(AnalyticsConfig.fromEnv(Map.of()).learnedProbation()).isEqualTo(AnalyticsConfig.DEFAULT_LEARNED_PROBATION);
        assertThat(AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_LEARNED_PROBATION", "0")).learnedProbation()).isZero();
    }

    @Test
    void learnedRetrainingIsOffByDefaultAndBoundedByTheTrainingAssetsCap() {
        assertThat(AnalyticsConfig.fromEnv(Map.of()).learnedRetrainAssets()).isZero();
        assertThat(AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_LEARNED_RETRAIN_ASSETS", "5")).learnedRetrainAssets()).isEqualTo(5);
        assertThatThrownBy(() -> AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_LEARNED_RETRAIN_ASSETS", "65")))
                .hasMessageContaining("TWINWORKS_ANALYTICS_LEARNED_RETRAIN_ASSETS");
        assertThatThrownBy(() -> AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_LEARNED_RETRAIN_ASSETS", "-1")))
                .hasMessageContaining("TWINWORKS_ANALYTICS_LEARNED_RETRAIN_ASSETS");
    }

    @Test
    void learnedProbationShorterThanTheForecastWindowIsRejected() {
        assertThatThrownBy(() -> AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_LEARNED_PROBATION", "5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TWINWORKS_ANALYTICS_LEARNED_PROBATION=5 must be 0 (off) or at least 22");
    }

    @Test
    void theHandOverSnapshotGoesOncePerMinuteByDefaultAndANegativeIntervalIsRejected() {
        assertThat(AnalyticsConfig.fromEnv(Map.of()).snapshotIntervalMillis()).isEqualTo(60_000);
        assertThat(AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS", "0")).snapshotIntervalMillis()).isZero();
        assertThatThrownBy(() -> AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS");
        assertThatThrownBy(() -> AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS");
    }
}
