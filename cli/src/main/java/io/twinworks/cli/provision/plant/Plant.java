package io.twinworks.cli.provision.plant;

import io.twinworks.policies.PolicySubjects;

import java.util.List;
import java.util.Objects;

/**
 * A plant description: one Hono tenant (and Ditto namespace), who holds which role in the twins'
 * policies, the Ditto-Hono connection's settings, and the assets.
 *
 * @param tenant     the Hono tenant
 * @param namespace  the Ditto namespace; thing ID = device ID = {@code <namespace>:<asset name>}
 * @param subjects   the policy subjects per role
 * @param connection the Ditto-Hono connection settings
 * @param assets     the assets, in file order
 * @param gateways   the Hono gateways assets name in {@code via}
 */
public record Plant(String tenant, String namespace, PolicySubjects subjects, PlantConnection connection, List<PlantAsset> assets,
                    List<PlantGateway> gateways) {
    public Plant {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(subjects, "subjects");
        Objects.requireNonNull(connection, "connection");
        assets = List.copyOf(assets);
        gateways = List.copyOf(gateways);
    }

    /** A plant without gateways. */
    public Plant(String tenant, String namespace, PolicySubjects subjects, PlantConnection connection, List<PlantAsset> assets) {
        this(tenant, namespace, subjects, connection, assets, List.of());
    }

    /** The device ID of a gateway. */
    public String deviceId(PlantGateway gateway) {
        return namespace + ":" + gateway.name();
    }

    /** The device IDs of the gateways an asset names in {@code via}. */
    public List<String> viaDeviceIds(PlantAsset asset) {
        return asset.via().stream().map(name -> namespace + ":" + name).toList();
    }

    /** The device ID (and thing ID) of an asset. */
    public String deviceId(PlantAsset asset) {
        return namespace + ":" + asset.name();
    }
}
