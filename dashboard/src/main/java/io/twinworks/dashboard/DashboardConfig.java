package io.twinworks.dashboard;

import io.twinworks.core.config.EnvConfig;
import io.twinworks.core.config.RecordCopy;
import io.twinworks.definitions.ModelsBaseUrl;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * The one configuration record of the dashboard; every key has an environment variable (see
 * {@link #fromEnv(Map)} and the module README).
 *
 * @param dittoUrl            the Ditto HTTP API base the page talks to through the proxy ({@code http(s)://host:port},
 *                            optionally with a path prefix); requests go to {@code <dittoUrl>/api/2/...}
 * @param httpPort            the dashboard's HTTP port (0 = a free port)
 * @param bindHost            the address the dashboard listens on
 * @param maxDittoConnections the most connections to Ditto at once (each open event stream holds one)
 * @param connectTimeoutMillis how long to wait for a connection to Ditto before answering 502
 * @param modelsBaseUrl       the base the served Thing Models name ({@code <base>/models/<file>}: where Ditto downloads
 *                            them from this dashboard, e.g. its Kubernetes Service); {@code null}: its own address
 */
public record DashboardConfig(URI dittoUrl, int httpPort, String bindHost, int maxDittoConnections,
                              int connectTimeoutMillis, @Nullable ModelsBaseUrl modelsBaseUrl) {

    /** Ditto's docker-compose default, where the local stack listens too. */
    public static final String DEFAULT_DITTO_URL = "http://127.0.0.1:8080";

    public DashboardConfig {
        Objects.requireNonNull(dittoUrl, "dittoUrl");
        Objects.requireNonNull(bindHost, "bindHost");
        if (!"http".equals(dittoUrl.getScheme()) && !"https".equals(dittoUrl.getScheme())) {
            throw new IllegalArgumentException("dittoUrl must be an http:// or https:// URL: " + dittoUrl);
        }
        if (dittoUrl.getHost() == null) {
            throw new IllegalArgumentException("dittoUrl has no host: " + dittoUrl);
        }
    }

    /** Reads and validates the configuration; fails listing every invalid variable. */
    public static DashboardConfig fromEnv(Map<String, String> environment) {
        EnvConfig env = EnvConfig.of(environment);
        URI dittoUrl = env.url("TWINWORKS_DASHBOARD_DITTO_URL", DEFAULT_DITTO_URL, "http", "https");
        DashboardConfig config = new DashboardConfig(
                dittoUrl,
                env.port("TWINWORKS_DASHBOARD_HTTP_PORT", 8088),
                env.stringOrDefault("TWINWORKS_DASHBOARD_BIND_HOST", "127.0.0.1"),
                env.intInRange("TWINWORKS_DASHBOARD_MAX_DITTO_CONNECTIONS", 64, 1, 10_000),
                env.intInRange("TWINWORKS_DASHBOARD_CONNECT_TIMEOUT_MS", 5_000, 100, 600_000),
                ModelsBaseUrl.fromEnv(env, "TWINWORKS_DASHBOARD_MODELS_BASE_URL"));
        env.validate();
        return config;
    }

    /** A copy fronting another Ditto (e.g. the local stack {@code twinworks up} just started). */
    public DashboardConfig withDittoUrl(URI url) {
        return RecordCopy.with(this, "dittoUrl", url);
    }

    /** A copy listening on another port (0 = a free port, for tests). */
    public DashboardConfig withHttpPort(int port) {
        return RecordCopy.with(this, "httpPort", port);
    }
}
