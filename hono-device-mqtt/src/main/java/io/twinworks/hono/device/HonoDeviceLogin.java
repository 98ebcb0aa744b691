package io.twinworks.hono.device;

import java.util.Objects;

/**
 * The credentials a device (or a gateway) logs in to Hono's MQTT adapter with: Hono's CONNECT user name
 * is {@code <auth-id>@<tenant>}, the password that of the device's {@code hashed-password} credentials.
 *
 * @param tenantId the Hono tenant
 * @param authId   the auth-id of the credentials
 * @param password the password
 */
public record HonoDeviceLogin(String tenantId, String authId, String password) {

    /** Refuses missing or blank parts (Hono would refuse the login with a less helpful reason). */
    public HonoDeviceLogin {
        requireText(tenantId, "tenantId");
        requireText(authId, "authId");
        Objects.requireNonNull(password, "password");
        if (tenantId.contains("@")) {
            throw new IllegalArgumentException("tenantId must not contain '@': " + tenantId);
        }
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** The CONNECT user name, {@code <auth-id>@<tenant>}. */
    public String username() {
        return authId + "@" + tenantId;
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "HonoDeviceLogin[" + username() + "]";
    }
}
