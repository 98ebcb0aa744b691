package io.twinworks.cli.provision;

import io.twinworks.cli.provision.ProvisionStep.Outcome;
import io.twinworks.cli.provision.plant.Plant;
import io.twinworks.cli.provision.plant.PlantAsset;
import io.twinworks.cli.provision.plant.PlantGateway;
import io.twinworks.connections.HonoConnectionType;
import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.policies.PolicyTemplates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.eclipse.ditto.connectivity.model.ConnectivityModelFactory;
import org.eclipse.ditto.json.JsonFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Provisions a plant into Hono and Ditto through their public APIs, in order: the Hono tenant, each
 * asset's device and credentials (device-registry management API), each asset's policy and thing
 * (Ditto HTTP API), and the Ditto-Hono connection of the chosen type (Ditto 3.x's {@code /api/2/connections};
 * Ditto 2.x, which lacks it, through the devops piggyback API). Every step reads first and writes only what
 * differs, so a second run changes nothing; a dry run only reads. The first refused request stops the run with
 * a {@link ProvisioningException} naming the step and the server's answer.
 *
 * <p>The local stack lists its built-in, read-only Hono connection on {@code /api/2/connections} (tag
 * {@value #BUILT_IN_TAG}): the connection step reports it as found ("skipped") instead of creating one.
 */
public final class Provisioner {

    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String CONNECTION_NOT_FOUND = "connectivity:connection.notfound";
    /** Ditto 3.x's connections API. */
    static final String CONNECTIONS_API = "/api/2/connections";
    /** The tag of a connection built into the server (the local stack's), which provisioning keeps as it is. */
    static final String BUILT_IN_TAG = "twinworks:built-in";

    private final WebClient client;
    private final ProvisionTargets targets;
    private final ThingModelCatalog catalog;
    private final HonoConnectionType connectionType;
    private final ProvisionedArtifacts artifacts;

    /**
     * @param connectionType the type of the tenant's Ditto connection: {@code kafka} (any Ditto) or {@code hono}
     *                       (Ditto 3.2+ with its Hono settings)
     */
    public Provisioner(Vertx vertx, ProvisionTargets targets, ThingModelCatalog catalog, PolicyTemplates policies,
                       HonoConnectionType connectionType) {
        this.client = WebClient.create(vertx);
        this.targets = Objects.requireNonNull(targets, "targets");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.connectionType = Objects.requireNonNull(connectionType, "connectionType");
        this.artifacts = new ProvisionedArtifacts(catalog, Objects.requireNonNull(policies, "policies"));
    }

    /**
     * Brings Hono and Ditto to the plant's state (or, with {@code dryRun}, only says what that takes).
     *
     * @return every step in order
     */
    public Future<List<ProvisionStep>> provision(Plant plant, boolean dryRun) {
        List<Supplier<Future<ProvisionStep>>> steps = new ArrayList<>();
        steps.add(() -> tenant(plant, dryRun));
        for (PlantGateway gateway : plant.gateways()) {
            steps.add(() -> device(plant, plant.deviceId(gateway), new JsonObject().put("type", "gateway"), List.of(), dryRun));
            steps.add(() -> credentials(plant, plant.deviceId(gateway), gateway.authId(), gateway.password(), dryRun));
        }
        for (PlantAsset asset : plant.assets()) {
            steps.add(() -> device(plant, plant.deviceId(asset), new JsonObject().put("type", catalog.require(asset.type()).name())
                    .put("binding", new JsonObject(asset.binding().toString())), plant.viaDeviceIds(asset), dryRun));
            steps.add(() -> credentials(plant, plant.deviceId(asset), asset.authId(), asset.password(), dryRun));
        }
        for (PlantAsset asset : plant.assets()) {
            steps.add(() -> policy(plant, asset, dryRun));
            steps.add(() -> thing(plant, asset, dryRun));
        }
        steps.add(() -> connection(plant, dryRun));
        List<ProvisionStep> done = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (Supplier<Future<ProvisionStep>> step : steps) {
            chain = chain.compose(v -> step.get()).map(result -> {
                done.add(result);
                return null;
            });
        }
        return chain.map(v -> List.copyOf(done));
    }

    /** Releases the HTTP client. */
    public void close() {
        client.close();
    }

    // ---- Hono device registry ----------------------------------------------------------------

    private Future<ProvisionStep> tenant(Plant plant, boolean dryRun) {
        String step = "Hono tenant " + plant.tenant();
        String url = registry("/v1/tenants/" + plant.tenant());
        JsonObject desired = new JsonObject().put("enabled", true);
        return send(step, registryRequest(HttpMethod.GET, url), null).compose(current -> {
            if (current.statusCode() == 404) {
                return write(step, dryRun, Outcome.CREATE, "new tenant",
                        () -> registryRequest(HttpMethod.POST, url), desired, 201);
            }
            expect(step, "GET " + url, current, 200);
            return json(current).getBoolean("enabled", true)
                    ? Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED, ""))
                    : write(step, dryRun, Outcome.UPDATE, "tenant was disabled", () -> registryRequest(HttpMethod.PUT, url), desired, 204);
        });
    }

    private Future<ProvisionStep> device(Plant plant, String deviceId, JsonObject ext, List<String> via, boolean dryRun) {
        String step = "Hono device " + deviceId;
        String url = registry("/v1/devices/" + plant.tenant() + "/" + deviceId);
        JsonObject desired = new JsonObject().put("enabled", true).put("ext", ext);
        if (!via.isEmpty()) {
            desired.put("via", new JsonArray(via));
        }
        return send(step, registryRequest(HttpMethod.GET, url), null).compose(current -> {
            if (current.statusCode() == 404) {
                return write(step, dryRun, Outcome.CREATE, "new device", () -> registryRequest(HttpMethod.POST, url), desired, 201);
            }
            expect(step, "GET " + url, current, 200);
            JsonObject existing = json(current);
            boolean same = existing.getBoolean("enabled", true) && ext.equals(existing.getJsonObject("ext", new JsonObject()))
                    && new HashSet<>(via).equals(new HashSet<>(existing.getJsonArray("via", new JsonArray()).getList()));
            return same ? Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED, ""))
                    : write(step, dryRun, Outcome.UPDATE, "enabled/type/binding/via differ", () -> registryRequest(HttpMethod.PUT, url), desired, 204);
        });
    }

    private Future<ProvisionStep> credentials(Plant plant, String deviceId, String authId, String password, boolean dryRun) {
        String step = "Hono credentials of " + deviceId;
        String url = registry("/v1/credentials/" + plant.tenant() + "/" + deviceId);
        JsonArray desired = new JsonArray().add(new JsonObject()
                .put("type", "hashed-password")
                .put("auth-id", authId)
                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", password))));
        return send(step, registryRequest(HttpMethod.GET, url), null).compose(current -> {
            Set<String> existing = new HashSet<>();
            if (current.statusCode() == 200) {
                for (Object credential : current.bodyAsJsonArray()) {
                    JsonObject c = (JsonObject) credential;
                    existing.add(c.getString("type") + "/" + c.getString("auth-id"));
                }
            } else if (current.statusCode() != 404 || !dryRun) {
                // after the device step the device exists: anything but 200 is an error (404 only in a dry run)
                expect(step, "GET " + url, current, 200);
            }
            if (existing.equals(Set.of("hashed-password/" + authId))) {
                // Hono never returns secrets, so an existing password cannot be compared
                return Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED,
                        "auth-id " + authId + "; the registry never returns passwords"));
            }
            return write(step, dryRun, existing.isEmpty() ? Outcome.CREATE : Outcome.UPDATE, "auth-id " + authId,
                    () -> registryRequest(HttpMethod.PUT, url), desired, 204);
        });
    }

    // ---- Ditto ---------------------------------------------------------------------------------

    private Future<ProvisionStep> policy(Plant plant, PlantAsset asset, boolean dryRun) {
        String policyId = plant.deviceId(asset);
        String step = "Ditto policy " + policyId;
        String url = ditto("/api/2/policies/" + policyId);
        JsonObject desired = artifacts.policy(plant, asset);
        return send(step, dittoRequest(HttpMethod.GET, url), null).compose(current -> {
            if (current.statusCode() == 404) {
                return write(step, dryRun, Outcome.CREATE, "roles " + rolesOf(plant), () -> dittoRequest(HttpMethod.PUT, url), desired, 201);
            }
            expect(step, "GET " + url, current, 200);
            JsonObject entries = normalizedEntries(json(current).getJsonObject("entries", new JsonObject()));
            return entries.equals(desired.getJsonObject("entries"))
                    ? Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED, ""))
                    : write(step, dryRun, Outcome.UPDATE, "entries differ from the templates", () -> dittoRequest(HttpMethod.PUT, url), desired, 201, 204);
        });
    }

    private Future<ProvisionStep> thing(Plant plant, PlantAsset asset, boolean dryRun) {
        String thingId = plant.deviceId(asset);
        String step = "Ditto thing " + thingId;
        String url = ditto("/api/2/things/" + thingId);
        ThingModel model = catalog.require(asset.type());
        JsonObject skeleton = artifacts.thing(plant, asset);
        return send(step, dittoRequest(HttpMethod.GET, url), null).compose(current -> {
            if (current.statusCode() == 404) {
                return write(step, dryRun, Outcome.CREATE, model.name() + " skeleton", () -> dittoRequest(HttpMethod.PUT, url), skeleton, 201);
            }
            expect(step, "GET " + url, current, 200);
            JsonObject patch = thingPatch(json(current), skeleton, asset.attributes().keySet());
            if (patch.isEmpty()) {
                return Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED, ""));
            }
            return write(step, dryRun, Outcome.UPDATE, "merge " + patch.fieldNames(),
                    () -> dittoRequest(HttpMethod.PATCH, url).putHeader("content-type", MERGE_PATCH), patch, 204);
        });
    }

    /**
     * The merge patch that brings an existing thing to the plant's definition, policy and attributes
     * and adds missing modelled features — never touching live feature values.
     */
    static JsonObject thingPatch(JsonObject existing, JsonObject skeleton, Set<String> plantAttributes) {
        JsonObject patch = new JsonObject();
        for (String field : List.of("definition", "policyId")) {
            if (!Objects.equals(existing.getValue(field), skeleton.getValue(field))) {
                patch.put(field, skeleton.getValue(field));
            }
        }
        JsonObject attributes = new JsonObject();
        JsonObject existingAttributes = existing.getJsonObject("attributes", new JsonObject());
        JsonObject wantedAttributes = skeleton.getJsonObject("attributes", new JsonObject());
        for (String name : wantedAttributes.fieldNames()) {
            boolean fromPlant = plantAttributes.contains(name);
            if ((fromPlant || !existingAttributes.containsKey(name))
                    && !Objects.equals(existingAttributes.getValue(name), wantedAttributes.getValue(name))) {
                attributes.put(name, wantedAttributes.getValue(name));
            }
        }
        if (!attributes.isEmpty()) {
            patch.put("attributes", attributes);
        }
        JsonObject features = new JsonObject();
        JsonObject existingFeatures = existing.getJsonObject("features", new JsonObject());
        skeleton.getJsonObject("features").forEach(feature -> {
            JsonObject wanted = (JsonObject) feature.getValue();
            JsonObject present = existingFeatures.getJsonObject(feature.getKey());
            if (present == null) {
                features.put(feature.getKey(), wanted);
            } else if (!Objects.equals(present.getValue("definition"), wanted.getValue("definition"))) {
                features.put(feature.getKey(), new JsonObject().put("definition", wanted.getValue("definition")));
            }
        });
        if (!features.isEmpty()) {
            patch.put("features", features);
        }
        return patch;
    }

    /**
     * The tenant's connection through Ditto 3.x's connections API: read {@code /api/2/connections/<id>}, create it
     * with {@code PUT} when missing, replace it when it does not contain what the template says (Ditto adds defaults
     * and, for the hono type, its own Hono settings). A server listing a connection tagged built-in (the local stack)
     * keeps it; a server without the API (Ditto 2.x) gets the Kafka connection through the devops piggyback API.
     */
    Future<ProvisionStep> connection(Plant plant, boolean dryRun) {
        String step = "Ditto connection " + plant.connection().id();
        String url = ditto(CONNECTIONS_API + "/" + plant.connection().id());
        String via = connectionType.value() + " connection via " + CONNECTIONS_API;
        return send(step, connectionsRequest(HttpMethod.GET, url), null).compose(current -> {
            String error = errorCode(current);
            if (current.statusCode() == 404 && !CONNECTION_NOT_FOUND.equals(error)) {
                return connectionWithoutConnectionsApi(plant, step, dryRun);
            }
            if (current.statusCode() == 404) {
                return send(step, connectionsRequest(HttpMethod.GET, ditto(CONNECTIONS_API)), null)
                        .compose(list -> createUnlessBuiltIn(plant, step, url, via, list, dryRun));
            }
            expect(step, "GET " + url, current, 200);
            JsonObject desired = artifacts.connection(plant, connectionType);
            return contains(json(current), desired)
                    ? Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED, via))
                    : write(step, dryRun, Outcome.UPDATE, via + ": differs from the template",
                    () -> connectionsRequest(HttpMethod.PUT, url), desired, 200, 201, 204);
        });
    }

    private Future<ProvisionStep> createUnlessBuiltIn(Plant plant, String step, String url, String via,
                                                      HttpResponse<Buffer> list, boolean dryRun) {
        expect(step, "GET " + ditto(CONNECTIONS_API), list, 200);
        JsonArray connections;
        try {
            connections = list.bodyAsJsonArray();
        } catch (DecodeException e) {
            throw new ProvisioningException(step, "GET " + ditto(CONNECTIONS_API), e);
        }
        for (Object listed : connections) {
            if (listed instanceof JsonObject connection
                    && connection.getJsonArray("tags", new JsonArray()).contains(BUILT_IN_TAG)) {
                return Future.succeededFuture(new ProvisionStep(step, Outcome.SKIPPED, "found the built-in connection "
                        + connection.getString("id") + " (" + connection.getString("connectionType") + ", read-only) on "
                        + CONNECTIONS_API + " at " + targets.dittoUrl() + ": it serves every tenant"));
            }
        }
        return write(step, dryRun, Outcome.CREATE, via + " for Hono tenant " + plant.tenant(),
                () -> connectionsRequest(HttpMethod.PUT, url), artifacts.connection(plant, connectionType), 200, 201, 204);
    }

    /** Ditto 2.x: no connections API, so the devops piggyback API (which knows only the kafka type). */
    private Future<ProvisionStep> connectionWithoutConnectionsApi(Plant plant, String step, boolean dryRun) {
        if (connectionType != HonoConnectionType.KAFKA) {
            return Future.failedFuture(new ProvisioningException(step, "GET " + ditto(CONNECTIONS_API), 404,
                    "Ditto at " + targets.dittoUrl() + " has no " + CONNECTIONS_API + " (Ditto 2.x): the "
                            + connectionType.value() + " connection type needs Ditto 3.2+; use --connection-type kafka"));
        }
        String url = ditto("/devops/piggyback/connectivity?timeout=10s");
        org.eclipse.ditto.json.JsonObject rendered = org.eclipse.ditto.json.JsonFactory.newObject(
                artifacts.connection(plant, HonoConnectionType.KAFKA).encode());
        JsonObject desired = new JsonObject(rendered.toString());
        String via = "kafka connection via the devops piggyback API (no " + CONNECTIONS_API + ")";
        JsonObject retrieve = piggyback(new JsonObject().put("type", "connectivity.commands:retrieveConnection")
                .put("connectionId", plant.connection().id()));
        return send(step, devopsRequest(url), retrieve).compose(current -> {
            String error = errorCode(current);
            // a server with neither API (an old local stack) answers with path.unknown or a bare 404
            if (error.endsWith("path.unknown") || (current.statusCode() == 404 && !CONNECTION_NOT_FOUND.equals(error))) {
                return Future.succeededFuture(new ProvisionStep(step, Outcome.SKIPPED,
                        "no connectivity service at " + targets.dittoUrl() + ": connection is built into the local stack"));
            }
            if (current.statusCode() == 404) {
                return write(step, dryRun, Outcome.CREATE, via + " for Hono tenant " + plant.tenant(), () -> devopsRequest(url),
                        piggyback(new JsonObject().put("type", "connectivity.commands:createConnection").put("connection", desired)), 200, 201);
            }
            expect(step, "POST " + url + " (retrieveConnection)", current, 200);
            JsonObject body = json(current);
            JsonObject existing = body.getJsonObject("connection", body);
            boolean same;
            try {
                same = ConnectivityModelFactory.connectionFromJson(JsonFactory.newObject(existing.encode()))
                        .equals(ConnectivityModelFactory.connectionFromJson(rendered));
            } catch (RuntimeException e) {
                same = false;
            }
            return same ? Future.succeededFuture(new ProvisionStep(step, Outcome.UNCHANGED, via))
                    : write(step, dryRun, Outcome.UPDATE, via + ": differs from the template", () -> devopsRequest(url),
                    piggyback(new JsonObject().put("type", "connectivity.commands:modifyConnection").put("connection", desired)), 200, 204);
        });
    }

    /**
     * Whether {@code existing} holds everything {@code desired} says: each member of an object (recursively), arrays
     * element by element, values equal. Ditto returns a stored connection with its defaults added.
     */
    static boolean contains(Object existing, Object desired) {
        if (desired instanceof JsonObject wanted) {
            return existing instanceof JsonObject present && wanted.fieldNames().stream()
                    .allMatch(name -> present.containsKey(name) && contains(present.getValue(name), wanted.getValue(name)));
        }
        if (desired instanceof JsonArray wanted) {
            if (!(existing instanceof JsonArray present) || present.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!contains(present.getValue(i), wanted.getValue(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired instanceof Number wanted && existing instanceof Number present) {
            return Double.compare(wanted.doubleValue(), present.doubleValue()) == 0;
        }
        return Objects.equals(existing, desired);
    }

    private static JsonObject piggyback(JsonObject command) {
        return new JsonObject()
                .put("targetActorSelection", "/system/sharding/connection")
                .put("headers", new JsonObject().put("aggregate", false))
                .put("piggybackCommand", command);
    }

    /** Ditto 3.x adds {@code "importable": "implicit"} (its default) to every entry it returns. */
    private static JsonObject normalizedEntries(JsonObject entries) {
        JsonObject normalized = entries.copy();
        normalized.forEach(entry -> {
            if (entry.getValue() instanceof JsonObject object && "implicit".equals(object.getValue("importable"))) {
                object.remove("importable");
            }
        });
        return normalized;
    }

    private static String rolesOf(Plant plant) {
        return String.join(", ", plant.subjects().byRole().keySet().stream().map(Enum::name).toList());
    }

    // ---- HTTP --------------------------------------------------------------------------------

    private Future<ProvisionStep> write(String step, boolean dryRun, Outcome outcome, String detail,
                                       Supplier<HttpRequest<Buffer>> request, Object body, int... accepted) {
        if (dryRun) {
            return Future.succeededFuture(new ProvisionStep(step, outcome, detail));
        }
        HttpRequest<Buffer> built = request.get();
        return send(step, built, body).map(response -> {
            expect(step, built.method() + " " + built.uri(), response, accepted);
            return new ProvisionStep(step, outcome, detail);
        });
    }

    private Future<HttpResponse<Buffer>> send(String step, HttpRequest<Buffer> request, Object body) {
        Future<HttpResponse<Buffer>> sent = body == null ? request.send()
                : request.putHeader("content-type", request.headers().get("content-type") == null
                ? "application/json" : request.headers().get("content-type"))
                .sendBuffer(Buffer.buffer(body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode()));
        return sent.recover(failure -> Future.failedFuture(new ProvisioningException(step, request.method() + " " + request.uri(), failure)));
    }

    private static void expect(String step, String request, HttpResponse<Buffer> response, int... accepted) {
        for (int status : accepted) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new ProvisioningException(step, request, response.statusCode(),
                response.body() == null ? "(no body)" : response.bodyAsString());
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        try {
            return response.body() == null ? new JsonObject() : response.bodyAsJsonObject();
        } catch (DecodeException e) {
            return new JsonObject();
        }
    }

    private static String errorCode(HttpResponse<Buffer> response) {
        return json(response).getString("error", "");
    }

    private String registry(String path) {
        return ProvisionTargets.base(targets.registryUrl()) + path;
    }

    private String ditto(String path) {
        return ProvisionTargets.base(targets.dittoUrl()) + path;
    }

    private HttpRequest<Buffer> registryRequest(HttpMethod method, String url) {
        HttpRequest<Buffer> request = client.requestAbs(method, url);
        return targets.registryUser() == null ? request : request.basicAuthentication(targets.registryUser(), targets.registryPassword());
    }

    private HttpRequest<Buffer> dittoRequest(HttpMethod method, String url) {
        return client.requestAbs(method, url).basicAuthentication(targets.dittoUser(), targets.dittoPassword());
    }

    private HttpRequest<Buffer> connectionsRequest(HttpMethod method, String url) {
        return client.requestAbs(method, url).basicAuthentication(targets.devopsUser(), targets.devopsPassword());
    }

    private HttpRequest<Buffer> devopsRequest(String url) {
        return client.requestAbs(HttpMethod.POST, url).basicAuthentication(targets.devopsUser(), targets.devopsPassword());
    }

}
