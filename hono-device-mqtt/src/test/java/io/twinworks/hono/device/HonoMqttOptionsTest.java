package io.twinworks.hono.device;

import io.twinworks.core.retry.Backoff;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HonoMqttOptionsTest {

    private final HonoDeviceLogin login = new HonoDeviceLogin("plant.a", "gw-1", "gw-secret");

    @Test
    void theLoginIsAuthIdAtTenantAndHidesThePassword() {
        assertThat(login.username()).isEqualTo("gw-1@plant.a");
        assertThat(login.toString()).contains("gw-1@plant.a").doesNotContain("gw-secret");
    }

    @Test
    void mqtt311OptionsLogInCleanWithoutAutomaticReconnect() {
        MqttConnectOptions options = HonoMqttOptions.v3(login, 64, 15_000);
        assertThat(options.getMqttVersion()).isEqualTo(MqttConnectOptions.MQTT_VERSION_3_1_1);
        assertThat(options.getUserName()).isEqualTo("gw-1@plant.a");
        assertThat(new String(options.getPassword())).isEqualTo("gw-secret");
        assertThat(options.isCleanSession()).isTrue();
        assertThat(options.isAutomaticReconnect()).isFalse();
        assertThat(options.getMaxInflight()).isEqualTo(64);
        assertThat(options.getConnectionTimeout()).isEqualTo(15);
        assertThat(options.getKeepAliveInterval()).isEqualTo(HonoMqttOptions.KEEP_ALIVE_SECONDS);
    }

    @Test
    void mqtt5OptionsLogInWithACleanStartWithoutAutomaticReconnect() {
        MqttConnectionOptions options = HonoMqttOptions.v5(login, 10_000);
        assertThat(options.getUserName()).isEqualTo("gw-1@plant.a");
        assertThat(new String(options.getPassword(), StandardCharsets.UTF_8)).isEqualTo("gw-secret");
        assertThat(options.isCleanStart()).isTrue();
        assertThat(options.isAutomaticReconnect()).isFalse();
        assertThat(options.getConnectionTimeout()).isEqualTo(10);
        assertThat(options.getKeepAliveInterval()).isEqualTo(HonoMqttOptions.KEEP_ALIVE_SECONDS);
    }

    @Test
    void reconnectingMqtt5OptionsTakeTheBackoffsBoundsInWholeSeconds() {
        MqttConnectionOptions options = HonoMqttOptions.v5Reconnecting(login, 10_000, Backoff.exponential(2_500, 60_000));
        assertThat(options.isAutomaticReconnect()).isTrue();
        assertThat(options.getAutomaticReconnectMinDelay()).isEqualTo(2);
        assertThat(options.getAutomaticReconnectMaxDelay()).isEqualTo(60);
    }

    @Test
    void reconnectDelaysUnderASecondBecomeOneSecond() {
        MqttConnectionOptions options = HonoMqttOptions.v5Reconnecting(login, 10_000, Backoff.exponential(100, 500));
        assertThat(options.getAutomaticReconnectMinDelay()).isEqualTo(1);
        assertThat(options.getAutomaticReconnectMaxDelay()).isEqualTo(1);
    }

    @Test
    void aTimeoutUnderASecondIsOneSecondAndANonPositiveOneIsRefused() {
        assertThat(HonoMqttOptions.v5(login, 300).getConnectionTimeout()).isEqualTo(1);
        assertThatThrownBy(() -> HonoMqttOptions.v3(login, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connect timeout");
    }

    @Test
    void aLoginWithoutTenantOrAuthIdIsRefused() {
        assertThatThrownBy(() -> new HonoDeviceLogin(" ", "gw-1", "x")).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> new HonoDeviceLogin("plant.a", "", "x")).hasMessageContaining("authId");
        assertThatThrownBy(() -> new HonoDeviceLogin("plant@a", "gw-1", "x")).hasMessageContaining("'@'");
        assertThatThrownBy(() -> new HonoDeviceLogin("plant.a", "gw-1", null)).isInstanceOf(NullPointerException.class);
    }
}
