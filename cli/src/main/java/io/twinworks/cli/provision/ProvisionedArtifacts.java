package io.twinworks.cli.provision;

import io.twinworks.cli.provision.plant.Plant;
import io.twinworks.cli.provision.plant.PlantAsset;
import io.twinworks.connections.HonoConnectionParameters;
import io.twinworks.connections.HonoConnectionTemplate;
import io.twinworks.connections.HonoConnectionType;
import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.policies.PolicyRole;
import io.twinworks.policies.PolicyTemplates;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What provisioning hands to Ditto for a plant, as JSON: each asset's policy (from the role templates), each asset's
 * thing (its Thing Model's skeleton, definitions under the catalog's base) and the tenant's Ditto-Hono connection of
 * either type. The {@link Provisioner} sends exactly these; tests compare them with the artifacts Ditto 3.8 checks.
 */
public final class ProvisionedArtifacts {

    private final ThingModelCatalog catalog;
    private final PolicyTemplates policies;
    private final ThingSkeleton skeletons;

    /**
     * @param catalog  the Thing Models, rebased to where they are served (the things' definitions name them)
     * @param policies the role templates
     */
    public ProvisionedArtifacts(ThingModelCatalog catalog, PolicyTemplates policies) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.skeletons = new ThingSkeleton(catalog);
    }

    /** The policy of an asset (policy ID = thing ID = Hono device ID). */
    public JsonObject policy(Plant plant, PlantAsset asset) {
        ThingModel model = catalog.require(asset.type());
        return new JsonObject(policies.policyFor(model, plant.subjects()).toString());
    }

    /** The thing of an asset: its model's skeleton with the plant's attributes, governed by its own policy. */
    public JsonObject thing(Plant plant, PlantAsset asset) {
        ThingModel model = catalog.require(asset.type());
        return new JsonObject(skeletons.skeleton(model, asset.attributes()).toString()).put("policyId", plant.deviceId(asset));
    }

    /** The parameters of the plant's connection (the device subject is the first DEVICE subject, as devices write). */
    public static HonoConnectionParameters connectionParameters(Plant plant) {
        return new HonoConnectionParameters(plant.connection().id(), plant.tenant(), plant.namespace(),
                plant.connection().kafkaBootstrapServers(),
                plant.subjects().of(PolicyRole.DEVICE).isEmpty() ? "pre-authenticated:hono-connection"
                        : plant.subjects().of(PolicyRole.DEVICE).get(0),
                plant.connection().analyticsSubject(), plant.connection().twinEventsTopic());
    }

    /** The plant's Ditto-Hono connection of the given type, checked by its template. */
    public JsonObject connection(Plant plant, HonoConnectionType type) {
        return new JsonObject(HonoConnectionTemplate.fromClasspath(type).render(connectionParameters(plant)).toString());
    }
}
