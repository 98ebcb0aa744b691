package io.twinworks.localstack.hono.registry;

import io.vertx.core.Future;

/**
 * What a protocol adapter needs from the device registry: Hono's Credentials API (authenticate a
 * device by {@code auth-id} and password) and Device Registration API (assert that a device exists,
 * is enabled, and may be acted for by a gateway).
 *
 * <p>Every method completes on the calling Vert.x context; slow work (password hashing, disk) runs
 * off the event loop. A refusal fails the future with a {@link RegistryException} whose
 * {@link RegistryException#reason() reason} the adapter maps to its protocol's refusal code.
 */
public interface DeviceRegistryService {

    /**
     * Checks {@code hashed-password} credentials of a device.
     *
     * @param tenantId the tenant from the username {@code auth-id@tenant}
     * @param authId   the auth-id from the username
     * @param password the password as sent by the device
     * @return the authenticated device, or a failed future with {@link RegistryException}
     *         (reasons {@code TENANT_NOT_FOUND}, {@code TENANT_DISABLED}, {@code BAD_CREDENTIALS},
     *         {@code DEVICE_DISABLED})
     */
    Future<AuthenticatedDevice> authenticate(String tenantId, String authId, String password);

    /**
     * Asserts that a device is registered and enabled, and, when {@code gatewayId} is not
     * {@code null} and differs from {@code deviceId}, that the gateway is listed in the device's
     * {@code via} (or is a member of one of its {@code viaGroups}).
     *
     * @return a succeeded future, or a failed future with {@link RegistryException} (reasons
     *         {@code DEVICE_NOT_FOUND}, {@code DEVICE_DISABLED}, {@code GATEWAY_NOT_AUTHORIZED},
     *         {@code TENANT_NOT_FOUND}, {@code TENANT_DISABLED})
     */
    Future<Void> assertRegistration(String tenantId, String deviceId, String gatewayId);
}
