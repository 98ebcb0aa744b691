package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Tenant;

/**
 * What authenticating an auth-id needs, read in one go.
 *
 * @param tenant     the tenant, or {@code null} if it does not exist
 * @param deviceId   the device owning the credentials, or {@code null} if no credentials match
 * @param device     that device, or {@code null}
 * @param credential the credentials with the asked type and auth-id, or {@code null}
 */
public record AuthenticationLookup(Tenant tenant, String deviceId, Device device, Credential credential) {
}
