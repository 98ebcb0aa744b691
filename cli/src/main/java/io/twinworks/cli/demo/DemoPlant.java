package io.twinworks.cli.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo plant: one Hono tenant with a few pumps, one of which wears fast enough to raise an
 * alarm within minutes. The single source of both the registry provisioning file and the fleet.
 */
public final class DemoPlant {

    /** The demo's Hono tenant and Ditto namespace. */
    public static final String TENANT = "plant.a";

    private DemoPlant() {
    }

    /** The first {@code count} demo pumps; every third one wears fast. */
    public static List<DemoDevice> pumps(int count) {
        if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("demo device count must be within [1, 10000]: " + count);
        }
        List<DemoDevice> pumps = new ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            double wearPerMinute = number % 3 == 0 ? 0.08 : 0.002 * number;
            pumps.add(new DemoDevice(TENANT, TENANT + ":pump-" + number, "pump-" + number,
                    "demo-secret-" + number, wearPerMinute));
        }
        return pumps;
    }

    /**
     * The registry provisioning document (the local stack's provisioning file format, with bodies
     * as Hono's device-registry management API takes them) for the given devices.
     */
    public static JsonObject provisioning(List<DemoDevice> devices) {
        JsonObject tenantDevices = new JsonObject();
        JsonObject tenantCredentials = new JsonObject();
        for (DemoDevice device : devices) {
            tenantDevices.put(device.deviceId(), new JsonObject()
                    .put("enabled", true)
                    .put("ext", new JsonObject().put("type", "centrifugal-pump")));
            tenantCredentials.put(device.deviceId(), new JsonArray().add(new JsonObject()
                    .put("type", "hashed-password")
                    .put("auth-id", device.authId())
                    .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", device.password())))));
        }
        return new JsonObject()
                .put("tenants", new JsonObject().put(TENANT, new JsonObject().put("enabled", true)))
                .put("devices", new JsonObject().put(TENANT, tenantDevices))
                .put("credentials", new JsonObject().put(TENANT, tenantCredentials));
    }
}
