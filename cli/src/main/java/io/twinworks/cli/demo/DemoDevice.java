package io.twinworks.cli.demo;

import io.twinworks.hono.device.HonoDeviceLogin;

import java.util.Objects;

/**
 * One virtual pump of the demo, as registered in the Hono device registry.
 *
 * @param tenantId       Hono tenant
 * @param deviceId       Hono device ID = Ditto thing ID ({@code namespace:name})
 * @param authId         the auth-id of its {@code hashed-password} credentials
 * @param password       its password
 * @param wearPerMinute  how fast its bearing wears (vibration rise in mm/s per minute of demo time)
 */
public record DemoDevice(String tenantId, String deviceId, String authId, String password, double wearPerMinute) {
    public DemoDevice {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(authId, "authId");
        Objects.requireNonNull(password, "password");
        if (!deviceId.contains(":")) {
            throw new IllegalArgumentException("device ID must be a Ditto thing ID <namespace>:<name>: " + deviceId);
        }
    }

    /** The device's Hono MQTT login ({@code auth-id@tenant} and its password). */
    public HonoDeviceLogin login() {
        return new HonoDeviceLogin(tenantId, authId, password);
    }

    /** The MQTT username Hono expects: {@code auth-id@tenant}. */
    public String username() {
        return login().username();
    }

    /** The thing's namespace (before the first colon). */
    public String namespace() {
        return deviceId.substring(0, deviceId.indexOf(':'));
    }

    /** The thing's name (after the first colon). */
    public String name() {
        return deviceId.substring(deviceId.indexOf(':') + 1);
    }
}
