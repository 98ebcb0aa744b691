package io.twinworks.dashboard;

import io.twinworks.definitions.ModelsBaseUrl;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardConfigTest {

    @Test
    void defaultsFrontDittoOnItsDockerComposePort() {
        DashboardConfig config = DashboardConfig.fromEnv(Map.of());
        assertThat(config.dittoUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(config.httpPort()).isEqualTo(8088);
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.maxDittoConnections()).isEqualTo(64);
        assertThat(config.connectTimeoutMillis()).isEqualTo(5_000);
        assertThat(config.modelsBaseUrl()).as("unset: the dashboard's own address").isNull();
    }

    @Test
    void everyKeyIsReadFromTheEnvironment() {
        DashboardConfig config = DashboardConfig.fromEnv(Map.of(
                "TWINWORKS_DASHBOARD_DITTO_URL", "https://ditto.example.org/gateway",
                "TWINWORKS_DASHBOARD_HTTP_PORT", "9000",
                "TWINWORKS_DASHBOARD_BIND_HOST", "0.0.0.0",
                "TWINWORKS_DASHBOARD_MAX_DITTO_CONNECTIONS", "8",
                "TWINWORKS_DASHBOARD_CONNECT_TIMEOUT_MS", "1500",
                "TWINWORKS_DASHBOARD_MODELS_BASE_URL", "http://tw-twinworks-dashboard.iot.svc:8088/"));
        assertThat(config).isEqualTo(new DashboardConfig(URI.create("https://ditto.example.org/gateway"), 9000,
                "0.0.0.0", 8, 1500, ModelsBaseUrl.parse("http://tw-twinworks-dashboard.iot.svc:8088")));
    }

    @Test
    void everyInvalidKeyIsReportedAtOnce() {
        assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of(
                "TWINWORKS_DASHBOARD_DITTO_URL", "ws://127.0.0.1:8080",
                "TWINWORKS_DASHBOARD_HTTP_PORT", "70000",
                "TWINWORKS_DASHBOARD_MAX_DITTO_CONNECTIONS", "0",
                "TWINWORKS_DASHBOARD_MODELS_BASE_URL", "tw-twinworks-dashboard:8088")))
                .hasMessageContaining("TWINWORKS_DASHBOARD_MODELS_BASE_URL")
                .hasMessageContaining("TWINWORKS_DASHBOARD_DITTO_URL")
                .hasMessageContaining("TWINWORKS_DASHBOARD_HTTP_PORT")
                .hasMessageContaining("TWINWORKS_DASHBOARD_MAX_DITTO_CONNECTIONS");
    }

    @Test
    void aUrlThatIsNoUrlIsReported() {
        assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("TWINWORKS_DASHBOARD_DITTO_URL", "http://exa mple")))
                .hasMessageContaining("TWINWORKS_DASHBOARD_DITTO_URL");
    }
}
