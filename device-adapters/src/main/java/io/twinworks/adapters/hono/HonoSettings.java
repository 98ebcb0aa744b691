package io.twinworks.adapters.hono;

import io.twinworks.hono.device.HonoDeviceLogin;

import java.util.Objects;

/**
 * How an adapter reaches Hono's MQTT adapter.
 *
 * @param serverUri        e.g. {@code tcp://127.0.0.1:1883}
 * @param tenantId         the Hono tenant
 * @param authId           the auth-id of the adapter's credentials (user name {@code auth-id@tenant})
 * @param password         the password
 * @param protocol         MQTT 3.1.1 (default; Hono's adapter is 3.1.1-first) or 5
 * @param deviceId         the adapter's own Hono device ID (= thing ID when it is not a gateway)
 * @param gateway          {@code false}: the adapter is one device and publishes on {@code telemetry};
 *                         {@code true}: it is a gateway publishing {@code telemetry/<tenant>/<device>} for
 *                         devices whose registry entry names it in {@code via}
 * @param telemetryQos     0 or 1 (events always use 1)
 * @param clientId         the MQTT client identifier
 * @param maxInFlight      publishes awaiting PUBACK at once
 */
public record HonoSettings(String serverUri, String tenantId, String authId, String password, MqttProtocol protocol,
                           String deviceId, boolean gateway, int telemetryQos, String clientId, int maxInFlight) {

    /** The MQTT protocol version spoken to Hono. */
    public enum MqttProtocol { MQTT_3_1_1, MQTT_5 }

    public HonoSettings {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(authId, "authId");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(deviceId, "deviceId");
        if (telemetryQos != 0 && telemetryQos != 1) {
            throw new IllegalArgumentException("telemetry QoS must be 0 or 1, was " + telemetryQos);
        }
        if (maxInFlight < 1 || maxInFlight > 65_535) {
            throw new IllegalArgumentException("maxInFlight must be in [1, 65535], was " + maxInFlight);
        }
    }

    /** The login at Hono's MQTT adapter. */
    public HonoDeviceLogin login() {
        return new HonoDeviceLogin(tenantId, authId, password);
    }

    /** The CONNECT user name. */
    public String username() {
        return login().username();
    }

    /** The telemetry topic for a device's messages. */
    public String telemetryTopic(String deviceId) {
        return gateway() ? "telemetry/" + tenantId + "/" + deviceId : "telemetry";
    }

    /** The event topic for a device's messages. */
    public String eventTopic(String deviceId) {
        return gateway() ? "event/" + tenantId + "/" + deviceId : "event";
    }

    /** The command subscription filter: own commands, or all devices the gateway acts for. */
    public String commandFilter() {
        return gateway() ? "command//+/req/#" : "command///req/#";
    }
}
