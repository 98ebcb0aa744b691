package io.twinworks.localstack.hono.registry;

import java.util.Objects;

/**
 * A device whose credentials were checked.
 *
 * @param tenantId the tenant the device belongs to
 * @param deviceId the device ID the credentials belong to (the twin's thing ID by convention)
 * @param authId   the auth-id the device logged in with
 */
public record AuthenticatedDevice(String tenantId, String deviceId, String authId) {
    public AuthenticatedDevice {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(authId, "authId");
    }
}
