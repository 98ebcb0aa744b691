package io.twinworks.cli.bench;

import io.twinworks.localstack.LocalStackConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The configuration of the local stack a benchmark starts: the user's environment read as
 * {@code twinworks up} reads it (so {@code TWINWORKS_HONO_KAFKA_LINGER_MS=5 ./twinworks bench ingest}
 * measures that setting), with the benchmark's own set-up keys on top (e.g. a low bcrypt cost: hashing
 * the devices' passwords is set-up, not what is measured). Ports, state directory and users are set by
 * each benchmark afterwards.
 */
final class BenchStackConfig {

    private BenchStackConfig() {
    }

    /** The process environment with {@code setUp} on top. */
    static LocalStackConfig fromEnvironment(Map<String, String> setUp) {
        return of(System.getenv(), setUp);
    }

    /**
     * {@code environment} with {@code setUp} on top.
     *
     * @throws io.twinworks.core.config.ConfigException when a value is invalid, as at the stack's start-up
     */
    static LocalStackConfig of(Map<String, String> environment, Map<String, String> setUp) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(setUp);
        return LocalStackConfig.fromEnv(merged);
    }
}
