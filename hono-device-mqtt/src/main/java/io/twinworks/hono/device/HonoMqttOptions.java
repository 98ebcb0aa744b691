package io.twinworks.hono.device;

import io.twinworks.core.retry.Backoff;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import java.nio.charset.StandardCharsets;

/**
 * The Paho connect options of every device-side connection to Hono's MQTT adapter, for MQTT 3.1.1 and 5:
 * the {@code auth-id@tenant} login, a clean session (Hono keeps no session state: subscriptions are made
 * again after every connect), a 30 s keep-alive and the connect timeout. {@code ssl://} server URIs use
 * the JVM's trust store (Paho's default socket factory).
 */
public final class HonoMqttOptions {

    /** Keep-alive of device connections: Hono's adapter closes a connection silent for 1.5 times this. */
    public static final int KEEP_ALIVE_SECONDS = 30;

    private HonoMqttOptions() {
    }

    /**
     * MQTT 3.1.1 options without automatic reconnect (the caller decides when to reconnect).
     *
     * @param maxInFlight publishes awaiting PUBACK at once
     */
    public static MqttConnectOptions v3(HonoDeviceLogin login, int maxInFlight, long connectTimeoutMillis) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(login.username());
        options.setPassword(login.password().toCharArray());
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(maxInFlight);
        options.setConnectionTimeout(timeoutSeconds(connectTimeoutMillis));
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        return options;
    }

    /** MQTT 5 options without automatic reconnect (the caller decides when to reconnect). */
    public static MqttConnectionOptions v5(HonoDeviceLogin login, long connectTimeoutMillis) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(login.username());
        options.setPassword(login.password().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(timeoutSeconds(connectTimeoutMillis));
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        return options;
    }

    /**
     * MQTT 5 options with Paho's automatic reconnect between the backoff's first and largest delay (Paho
     * doubles in whole seconds and has no jitter: only those two bounds of the policy apply). For clients
     * without a durable buffer of their own, such as simulated devices.
     */
    public static MqttConnectionOptions v5Reconnecting(HonoDeviceLogin login, long connectTimeoutMillis, Backoff reconnect) {
        MqttConnectionOptions options = v5(login, connectTimeoutMillis);
        options.setAutomaticReconnect(true);
        int first = (int) Math.max(1, Math.min(Integer.MAX_VALUE, reconnect.initialMillis() / 1000));
        int largest = (int) Math.max(first, Math.min(Integer.MAX_VALUE, reconnect.maxMillis() / 1000));
        options.setAutomaticReconnectDelay(first, largest);
        return options;
    }

    private static int timeoutSeconds(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("connect timeout must be positive, was " + millis + " ms");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis / 1000));
    }
}
