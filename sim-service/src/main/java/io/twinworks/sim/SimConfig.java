package io.twinworks.sim;

import io.twinworks.core.config.EnvConfig;
import io.twinworks.core.config.RecordCopy;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The one configuration record of the simulation service; every key has an environment variable
 * (see {@link #fromEnv(Map)} and the module README).
 *
 * @param dittoEndpoint            Ditto's WebSocket base ({@code ws://host:port}; the client adds {@code /ws/2})
 * @param dittoUser                the simulation subject's HTTP Basic user (least privilege: WRITE on /features/simulation only)
 * @param dittoPassword            its password
 * @param vibrationLimitMmS        default vibration alarm limit of what-if runs (mm/s RMS)
 * @param maxHorizonHours          longest what-if horizon accepted
 * @param httpPort                 port of /health and /metrics (0 = free port)
 */
public record SimConfig(URI dittoEndpoint, String dittoUser, String dittoPassword, double vibrationLimitMmS,
                        double maxHorizonHours, int httpPort) {

    public SimConfig {
        Objects.requireNonNull(dittoEndpoint, "dittoEndpoint");
        Objects.requireNonNull(dittoUser, "dittoUser");
        Objects.requireNonNull(dittoPassword, "dittoPassword");
    }

    /** Reads and validates the configuration; fails listing every invalid variable. */
    public static SimConfig fromEnv(Map<String, String> environment) {
        EnvConfig env = EnvConfig.of(environment);
        URI uri = env.url("TWINWORKS_SIM_DITTO_ENDPOINT", "ws://127.0.0.1:8080", "ws", "wss");
        // ISO 10816-3, group 2 machines on rigid foundations: 4.5 mm/s is the zone B/C boundary.
        int limitMicrometres = env.intInRange("TWINWORKS_SIM_VIBRATION_LIMIT_UM_S", 4500, 1, 100_000);
        SimConfig config = new SimConfig(
                uri,
                env.stringOrDefault("TWINWORKS_SIM_DITTO_USER", "simulation"),
                env.stringOrDefault("TWINWORKS_SIM_DITTO_PASSWORD", "simulation"),
                limitMicrometres / 1000.0,
                env.intInRange("TWINWORKS_SIM_MAX_HORIZON_HOURS", 8760, 1, 87_600),
                env.port("TWINWORKS_SIM_HTTP_PORT", 8082));
        env.validate();
        return config;
    }

    /** A copy pointing at another Ditto with other credentials (embedding, tests). */
    public SimConfig withDitto(URI endpoint, String user, String password) {
        return RecordCopy.with(this, Map.of("dittoEndpoint", endpoint, "dittoUser", user, "dittoPassword", password));
    }

    /** A copy with another HTTP port. */
    public SimConfig withHttpPort(int port) {
        return RecordCopy.with(this, "httpPort", port);
    }
}
