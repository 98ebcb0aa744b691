package io.twinworks.analytics;

import io.twinworks.core.config.EnvConfig;
import io.twinworks.core.config.RecordCopy;
import io.twinworks.core.retry.Backoff;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one configuration record of the analytics service; every key has an environment variable
 * (see {@link #fromEnv(Map)} and the README).
 *
 * @param dittoEndpoint   Ditto's WebSocket base ({@code ws://host:port}; the client adds {@code /ws/2})
 * @param dittoUser       the analytics subject's HTTP Basic user (least privilege: WRITE on predictions only)
 * @param dittoPassword   its password
 * @param signals         monitored feature properties as {@code featureId/property}
 * @param warmupSamples   readings per signal that define an asset's normal operation
 * @param smoothing       EWMA weight of the newest reading
 * @param writeIntervalMillis at most one write per asset per interval, unless its health state changes
 * @param snapshotIntervalMillis how often a write also carries the asset's hand-over snapshot (baselines, learned
 *                        detector state): at most once per interval (0 = with every write); the first write of an
 *                        asset always does
 * @param httpPort        port of /health and /metrics (0 = free port)
 * @param modelDir        directory of trained models ({@code twinworks train rul --out}); the newest
 *                        {@code <name>-<n>} RUL model is used, none means no RUL
 * @param rulFeature      feature whose properties carry a turbofan's per-cycle values named as the
 *                        RUL model's inputs ({@code sensors/s2}) or by their physical C-MAPSS names
 *                        ({@code sensors/T24}, as the turbofan Thing Model's {@code sensors} feature has them)
 * @param writeRetries    retries of a predictions write answered 408 or 5xx (or not answered)
 * @param retryBackoffMillis first retry delay; doubled per retry
 * @param modelPollMillis how often the model directory is checked for a newer model (0 = never: no hot reload)
 * @param kafka           the Kafka consumer-group transport, or {@code null} for the WebSocket (single instance)
 * @param learnedProbation readings of an asset's signal that teach the learned detector the asset's normal
 *                        level and spread (the first asset to finish them also trains the signal's shared
 *                        DL4J forecaster); 0 = statistical detector only
 * @param learnedRetrainAssets retrain a signal's shared forecaster each time this many more assets finished
 *                        their learned probation (up to 64 assets); 0 = trained once, then frozen
 */
public record AnalyticsConfig(
        URI dittoEndpoint,
        String dittoUser,
        String dittoPassword,
        Set<String> signals,
        int warmupSamples,
        double smoothing,
        long writeIntervalMillis,
        long snapshotIntervalMillis,
        int httpPort,
        java.nio.file.Path modelDir,
        String rulFeature,
        int writeRetries,
        long retryBackoffMillis,
        long modelPollMillis,
        KafkaTransport kafka,
        int learnedProbation,
        int learnedRetrainAssets) {

    /**
     * Where the scale-out transport reads twin events: a Ditto connection's Kafka target.
     *
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the target's topic (record key = thing ID)
     * @param groupId          the consumer group all replicas share
     */
    public record KafkaTransport(String bootstrapServers, String topic, String groupId) {
        public KafkaTransport {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(groupId, "groupId");
        }
    }

    /** The signals of the centrifugal pump model, the default asset type. */
    public static final String DEFAULT_SIGNALS = "vibration/rms,temperature/value,flow/value,pressure/value";

    public AnalyticsConfig {
        Objects.requireNonNull(dittoEndpoint, "dittoEndpoint");
        Objects.requireNonNull(dittoUser, "dittoUser");
        Objects.requireNonNull(dittoPassword, "dittoPassword");
        signals = Set.copyOf(signals);
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(rulFeature, "rulFeature");
    }

    /** Reads and validates the configuration; fails listing every invalid variable. */
    public static AnalyticsConfig fromEnv(Map<String, String> environment) {
        EnvConfig env = EnvConfig.of(environment);
        URI uri = env.url("TWINWORKS_ANALYTICS_DITTO_ENDPOINT", "ws://127.0.0.1:8080", "ws", "wss");
        String signals = env.requiredString("TWINWORKS_ANALYTICS_SIGNALS", DEFAULT_SIGNALS);
        Set<String> signalSet = Arrays.stream(signals.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        signalSet.stream().filter(s -> !s.contains("/")).forEach(s ->
                env.problem("TWINWORKS_ANALYTICS_SIGNALS entry '" + s + "' is not featureId/property"));
        int smoothingPercent = env.intInRange("TWINWORKS_ANALYTICS_SMOOTHING_PERCENT", 20, 1, 100);
        AnalyticsConfig config = new AnalyticsConfig(
                uri,
                env.requiredString("TWINWORKS_ANALYTICS_DITTO_USER", "analytics"),
                env.requiredString("TWINWORKS_ANALYTICS_DITTO_PASSWORD", "analytics"),
                signalSet,
                env.intInRange("TWINWORKS_ANALYTICS_WARMUP_SAMPLES", 10, 2, 1_000_000),
                smoothingPercent / 100.0,
                env.longInRange("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", 5_000, 0, 86_400_000),
                env.longInRange("TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS", 60_000, 0, 86_400_000),
                env.port("TWINWORKS_ANALYTICS_HTTP_PORT", 8081),
                env.path("TWINWORKS_ANALYTICS_MODEL_DIR", "models"),
                env.requiredString("TWINWORKS_ANALYTICS_RUL_FEATURE", "sensors"),
                env.intInRange("TWINWORKS_ANALYTICS_WRITE_RETRIES", 3, 0, 100),
                env.longInRange("TWINWORKS_ANALYTICS_WRITE_RETRY_BACKOFF_MS", 200, 1, 60_000),
                env.longInRange("TWINWORKS_ANALYTICS_MODEL_POLL_MS", 10_000, 0, 86_400_000),
                kafkaTransport(env),
                learnedProbation(env),
                env.intInRange("TWINWORKS_ANALYTICS_LEARNED_RETRAIN_ASSETS", 0, 0, io.twinworks.analytics.learn.LearnedForecasts.MAX_TRAINING_ASSETS));
        env.validate();
        return config;
    }

    /**
     * Delays before the retries of a predictions write: doubling from {@link #retryBackoffMillis()} (the
     * number of retries, {@link #writeRetries()}, bounds the longest wait, so the cap only guards overflow).
     */
    public Backoff writeRetryBackoff() {
        return Backoff.exponential(retryBackoffMillis, retryBackoffMillis << 16);
    }

    /** Default of {@link #learnedProbation()}. */
    public static final int DEFAULT_LEARNED_PROBATION = 0;

    private static int learnedProbation(EnvConfig env) {
        int minimum = io.twinworks.analytics.ml.ForecastModel.Settings.DEFAULTS.window() + 10;
        int probation = env.intInRange("TWINWORKS_ANALYTICS_LEARNED_PROBATION", DEFAULT_LEARNED_PROBATION, 0, 1_000_000);
        if (probation != 0 && probation < minimum) {
            env.problem("TWINWORKS_ANALYTICS_LEARNED_PROBATION=" + probation + " must be 0 (off) or at least " + minimum
                    + " (the forecast window plus 10)");
        }
        return probation;
    }

    private static KafkaTransport kafkaTransport(EnvConfig env) {
        String transport = env.requiredString("TWINWORKS_ANALYTICS_TRANSPORT", "websocket");
        KafkaTransport kafka = new KafkaTransport(
                env.requiredString("TWINWORKS_ANALYTICS_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                env.requiredString("TWINWORKS_ANALYTICS_KAFKA_TOPIC", "twinworks.twin-events"),
                env.requiredString("TWINWORKS_ANALYTICS_KAFKA_GROUP", "twinworks-analytics"));
        return switch (transport) {
            case "websocket" -> null;
            case "kafka" -> kafka;
            default -> {
                env.problem("TWINWORKS_ANALYTICS_TRANSPORT=" + transport + " must be websocket or kafka");
                yield null;
            }
        };
    }

    /** A copy pointing at another Ditto with other credentials (embedding, tests). */
    public AnalyticsConfig withDitto(URI endpoint, String user, String password) {
        return RecordCopy.with(this, Map.of("dittoEndpoint", endpoint, "dittoUser", user, "dittoPassword", password));
    }

    /** A copy with another HTTP port. */
    public AnalyticsConfig withHttpPort(int port) {
        return RecordCopy.with(this, "httpPort", port);
    }

    /** A copy reading twin events from Kafka ({@code null}: from the WebSocket). */
    public AnalyticsConfig withKafka(KafkaTransport transport) {
        return RecordCopy.with(this, "kafka", transport);
    }

    /** A copy with another learned-detector probation (0 = statistical detector only). */
    public AnalyticsConfig withLearnedProbation(int probation) {
        return RecordCopy.with(this, "learnedProbation", probation);
    }

    /** A copy retraining the learned forecasters after this many more assets (0 = never). */
    public AnalyticsConfig withLearnedRetrainAssets(int assets) {
        return RecordCopy.with(this, "learnedRetrainAssets", assets);
    }

    /** A copy reading models from another directory. */
    public AnalyticsConfig withModelDir(java.nio.file.Path directory) {
        return RecordCopy.with(this, "modelDir", directory);
    }
}
