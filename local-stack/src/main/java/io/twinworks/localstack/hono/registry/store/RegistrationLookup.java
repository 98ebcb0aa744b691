package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Tenant;

/**
 * What asserting a device's registration needs, read in one go.
 *
 * @param tenant  the tenant, or {@code null} if it does not exist
 * @param device  the device, or {@code null} if it does not exist
 * @param gateway the gateway acting for it, or {@code null} if none was asked for or it does not exist
 */
public record RegistrationLookup(Tenant tenant, Device device, Device gateway) {
}
