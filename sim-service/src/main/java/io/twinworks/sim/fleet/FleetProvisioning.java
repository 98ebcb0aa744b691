package io.twinworks.sim.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Hono registry provisioning document of a fleet (the local stack's provisioning file format,
 * bodies as Hono's device-registry management API takes them): with gateways, the devices are
 * registered {@code via} the gateways and only the gateways get credentials; without, every device
 * gets its own {@code hashed-password} credentials.
 */
public final class FleetProvisioning {

    private FleetProvisioning() {
    }

    /** Gateway device IDs are {@code <tenant>:gateway-<n>}, auth-ids {@code gateway-<n>}. */
    public static List<VirtualFleet.Gateway> gateways(int count, String secretPrefix) {
        return java.util.stream.IntStream.rangeClosed(1, count)
                .mapToObj(n -> new VirtualFleet.Gateway("gateway-" + n, secretPrefix + "-gw-" + n)).toList();
    }

    /** The provisioning document. */
    public static JsonObject document(String tenant, List<FleetAsset> assets, List<VirtualFleet.Gateway> gateways) {
        JsonObject devices = new JsonObject();
        JsonObject credentials = new JsonObject();
        JsonArray via = new JsonArray();
        for (VirtualFleet.Gateway gateway : gateways) {
            String gatewayId = tenant + ":" + gateway.authId();
            via.add(gatewayId);
            devices.put(gatewayId, new JsonObject().put("enabled", true).put("ext", new JsonObject().put("type", "gateway")));
            credentials.put(gatewayId, password(gateway.authId(), gateway.password()));
        }
        for (FleetAsset asset : assets) {
            JsonObject device = new JsonObject().put("enabled", true)
                    .put("ext", new JsonObject().put("type", "centrifugal-pump"));
            if (gateways.isEmpty()) {
                credentials.put(asset.deviceId(), password(asset.authId(), asset.password()));
            } else {
                device.put("via", via.copy());
            }
            devices.put(asset.deviceId(), device);
        }
        return new JsonObject()
                .put("tenants", new JsonObject().put(tenant, new JsonObject().put("enabled", true)))
                .put("devices", new JsonObject().put(tenant, devices))
                .put("credentials", new JsonObject().put(tenant, credentials));
    }

    private static JsonArray password(String authId, String password) {
        return new JsonArray().add(new JsonObject()
                .put("type", "hashed-password")
                .put("auth-id", authId)
                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", password))));
    }
}
