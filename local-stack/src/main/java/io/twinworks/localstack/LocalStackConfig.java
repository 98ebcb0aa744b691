package io.twinworks.localstack;

import io.twinworks.core.config.EnvConfig;
import io.twinworks.core.config.RecordCopy;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.localstack.ditto.connectivity.HonoConnectionSettings;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one configuration record of the local stack. Defaults mirror what Ditto and Hono users know
 * from their own local set-ups; every key can be overridden by the environment variable named in
 * {@link #fromEnv(Map)} (and documented in the README's configuration table).
 *
 * @param stateDir            where Kafka's log, the device registry and the twin store live
 * @param bindHost            the address every listener binds to
 * @param kafkaPort           the in-JVM Kafka broker's client port (Hono northbound)
 * @param mqttPort            the Hono-contract MQTT endpoint's port
 * @param registryPort        the Hono device-registry management API's port
 * @param maxPayloadBytes     the largest MQTT payload accepted (Hono's MQTT adapter default: 2048)
 * @param provisioningFile    a registry provisioning file loaded at start, or {@code null}
 * @param bcryptCost          the bcrypt cost used when hashing {@code pwd-plain} secrets (Hono's default maximum: 10)
 * @param commandTimeoutMillis how long a request/response command waits for the device's answer
 * @param dittoHttpPort       the Ditto HTTP API's port (Ditto's docker-compose default: 8080)
 * @param dittoUsers          HTTP Basic users of the Ditto API, user name to password; user {@code u}
 *                            authenticates as subject {@code nginx:u} (Ditto's nginx default: ditto/ditto)
 * @param dittoMaxEntityBytes largest request body and largest thing/policy JSON accepted (Ditto: 100 kB)
 * @param dittoHonoSubjects   the authorization subjects of the Ditto side's Hono connection (its source's
 *                            {@code authorizationContext}); the things' policies must grant them WRITE
 *                            (default {@code pre-authenticated:hono-connection}, as in Eclipse IoT Packages' cloud2edge)
 * @param dittoHonoConsumerGroup the Kafka consumer group the Hono connection consumes telemetry and events in
 * @param dittoWotValidation  whether things whose {@code definition} names a known Thing Model are validated
 *                            against it on every create/modify/merge (Ditto 3.6+ default: on)
 * @param dittoDevopsUsers    HTTP Basic users of Ditto's devops/connections API ({@code /api/2/connections}), user name to
 *                            password (Ditto's docker-compose default: devops/foobar)
 * @param modelsBaseUrl       where the Thing Models are served ({@code <base>/models/<file>}: the stack serves them on
 *                            the Ditto API port and writes definitions with this base); {@code null}: the Ditto API's
 *                            own address ({@code http://<bindHost>:<dittoHttpPort>})
 * @param dittoThingHistoryDepth how many revisions per thing the twin store keeps for Ditto 3.2+'s historical reads
 *                            ({@code at-historical-revision} / {@code -timestamp}); 0 keeps none
 * @param honoKafkaLingerMs   the MQTT endpoint's Kafka producer {@code linger.ms}: how long a device's record may wait
 *                            for others to share a produce request (adds to the PUBACK latency)
 * @param honoKafkaBatchBytes that producer's {@code batch.size}: the most bytes per partition in one request
 * @param dittoHonoFetchMinBytes the Hono connection's consumer {@code fetch.min.bytes}
 * @param dittoHonoFetchMaxWaitMs the Hono connection's consumer {@code fetch.max.wait.ms}: how long a fetch waits for
 *                            {@code dittoHonoFetchMinBytes} (adds to the publish-to-event latency at low rates)
 * @param dittoHonoCommitIntervalMs the least time between the Hono connection's offset commits while records keep
 *                            coming; a crash re-applies at most one interval's records (0: commit after every poll)
 */
public record LocalStackConfig(
        Path stateDir,
        String bindHost,
        int kafkaPort,
        int mqttPort,
        int registryPort,
        int maxPayloadBytes,
        Path provisioningFile,
        int bcryptCost,
        long commandTimeoutMillis,
        int dittoHttpPort,
        Map<String, String> dittoUsers,
        int dittoMaxEntityBytes,
        List<String> dittoHonoSubjects,
        String dittoHonoConsumerGroup,
        boolean dittoWotValidation,
        Map<String, String> dittoDevopsUsers,
        ModelsBaseUrl modelsBaseUrl,
        int dittoThingHistoryDepth,
        int honoKafkaLingerMs,
        int honoKafkaBatchBytes,
        int dittoHonoFetchMinBytes,
        int dittoHonoFetchMaxWaitMs,
        int dittoHonoCommitIntervalMs) {

    public LocalStackConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bindHost, "bindHost");
        dittoUsers = Map.copyOf(Objects.requireNonNull(dittoUsers, "dittoUsers"));
        dittoDevopsUsers = Map.copyOf(Objects.requireNonNull(dittoDevopsUsers, "dittoDevopsUsers"));
        dittoHonoSubjects = List.copyOf(Objects.requireNonNull(dittoHonoSubjects, "dittoHonoSubjects"));
        Objects.requireNonNull(dittoHonoConsumerGroup, "dittoHonoConsumerGroup");
    }

    /**
     * Reads the configuration from environment variables, applying defaults, and fails with every
     * invalid value listed.
     *
     * @throws io.twinworks.core.config.ConfigException when a value is invalid
     */
    public static LocalStackConfig fromEnv(Map<String, String> environment) {
        EnvConfig env = EnvConfig.of(environment);
        LocalStackConfig config = new LocalStackConfig(
                env.path("TWINWORKS_STATE_DIR", ".twinworks/state"),
                env.requiredString("TWINWORKS_BIND_HOST", "127.0.0.1"),
                env.port("TWINWORKS_KAFKA_PORT", 9092),
                env.port("TWINWORKS_HONO_MQTT_PORT", 1883),
                env.port("TWINWORKS_HONO_REGISTRY_PORT", 28080),
                env.intInRange("TWINWORKS_HONO_MAX_PAYLOAD_BYTES", 2048, 1, 256 * 1024 * 1024),
                env.path("TWINWORKS_HONO_PROVISIONING_FILE", null),
                env.intInRange("TWINWORKS_HONO_BCRYPT_COST", 10, 4, 31),
                env.longInRange("TWINWORKS_HONO_COMMAND_TIMEOUT_MS", 10_000, 100, 600_000),
                env.port("TWINWORKS_DITTO_HTTP_PORT", 8080),
                parseDittoUsers(env, "TWINWORKS_DITTO_USERS", env.requiredString("TWINWORKS_DITTO_USERS", "ditto:ditto")),
                env.intInRange("TWINWORKS_DITTO_MAX_ENTITY_BYTES", 100 * 1024, 1024, 16 * 1024 * 1024),
                parseDittoHonoSubjects(env, env.requiredString("TWINWORKS_DITTO_HONO_SUBJECT",
                        "pre-authenticated:hono-connection")),
                env.requiredString("TWINWORKS_DITTO_HONO_CONSUMER_GROUP", "twinworks-ditto-hono"),
                env.bool("TWINWORKS_DITTO_WOT_VALIDATION", true),
                parseDittoUsers(env, "TWINWORKS_DITTO_DEVOPS_USERS",
                        env.requiredString("TWINWORKS_DITTO_DEVOPS_USERS", "devops:foobar")),
                ModelsBaseUrl.fromEnv(env, "TWINWORKS_MODELS_BASE_URL"),
                env.intInRange("TWINWORKS_DITTO_THING_HISTORY_DEPTH", TwinStore.DEFAULT_THING_HISTORY_DEPTH, 0, 1_000_000),
                env.intInRange("TWINWORKS_HONO_KAFKA_LINGER_MS", NorthboundProducer.Batching.DEFAULT.lingerMs(), 0, 1_000),
                env.intInRange("TWINWORKS_HONO_KAFKA_BATCH_BYTES", NorthboundProducer.Batching.DEFAULT.batchBytes(),
                        0, 16 * 1024 * 1024),
                env.intInRange("TWINWORKS_DITTO_HONO_FETCH_MIN_BYTES", HonoConnectionSettings.DEFAULT_FETCH_MIN_BYTES,
                        1, 16 * 1024 * 1024),
                env.intInRange("TWINWORKS_DITTO_HONO_FETCH_MAX_WAIT_MS", HonoConnectionSettings.DEFAULT_FETCH_MAX_WAIT_MS,
                        0, 1_000),
                env.intInRange("TWINWORKS_DITTO_HONO_COMMIT_INTERVAL_MS", HonoConnectionSettings.DEFAULT_COMMIT_INTERVAL_MS,
                        0, 60_000));
        env.validate();
        return config;
    }

    /** Parses {@code user:password,user2:password2}; a malformed entry is recorded as a problem. */
    private static Map<String, String> parseDittoUsers(EnvConfig env, String variable, String spec) {
        Map<String, String> users = new java.util.LinkedHashMap<>();
        for (String entry : spec == null ? new String[0] : spec.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                env.problem(variable + " entry '" + entry + "' is not user:password");
            } else if (users.putIfAbsent(entry.substring(0, colon).trim(), entry.substring(colon + 1)) != null) {
                env.problem(variable + " names user '" + entry.substring(0, colon) + "' twice");
            }
        }
        return users;
    }

    /** Parses {@code issuer:subject[,issuer:subject...]}; a subject without issuer prefix is recorded as a problem. */
    private static List<String> parseDittoHonoSubjects(EnvConfig env, String spec) {
        List<String> subjects = new ArrayList<>();
        for (String entry : spec == null ? new String[0] : spec.split(",")) {
            String subject = entry.trim();
            if (subject.indexOf(':') <= 0 || subject.endsWith(":")) {
                env.problem("TWINWORKS_DITTO_HONO_SUBJECT entry '" + entry + "' is not <issuer>:<subject>");
            } else {
                subjects.add(subject);
            }
        }
        return subjects;
    }

    /** Defaults only (no environment), for tests and embedding. */
    public static LocalStackConfig defaults() {
        return fromEnv(Map.of());
    }

    /** A copy with another state directory. */
    public LocalStackConfig withStateDir(Path dir) {
        return RecordCopy.with(this, "stateDir", dir);
    }

    /** A copy with other ports (0 = any free port), for tests running beside a live stack. */
    public LocalStackConfig withPorts(int kafka, int mqtt, int registry) {
        return RecordCopy.with(this, Map.of("kafkaPort", kafka, "mqttPort", mqtt, "registryPort", registry));
    }

    /** A copy with other Hono-connection subjects and consumer group (e.g. a fresh group per test). */
    public LocalStackConfig withDittoHonoConnection(List<String> subjects, String consumerGroup) {
        return RecordCopy.with(this, Map.of("dittoHonoSubjects", subjects, "dittoHonoConsumerGroup", consumerGroup));
    }

    /** A copy with another Ditto HTTP port (0 = any free port) and Ditto API users. */
    public LocalStackConfig withDitto(int httpPort, Map<String, String> users) {
        return RecordCopy.with(this, Map.of("dittoHttpPort", httpPort, "dittoUsers", users));
    }

    /** A copy with WoT validation of modelled things switched on or off. */
    public LocalStackConfig withWotValidation(boolean enabled) {
        return RecordCopy.with(this, "dittoWotValidation", enabled);
    }

    /** A copy keeping another number of revisions per thing for historical reads. */
    public LocalStackConfig withThingHistoryDepth(int depth) {
        return RecordCopy.with(this, "dittoThingHistoryDepth", depth);
    }

    /** A copy serving the Thing Models under another base ({@code null}: the Ditto API's own address). */
    public LocalStackConfig withModelsBaseUrl(ModelsBaseUrl base) {
        return RecordCopy.with(this, "modelsBaseUrl", base);
    }
}
