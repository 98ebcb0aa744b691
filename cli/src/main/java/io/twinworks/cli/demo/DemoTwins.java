package io.twinworks.cli.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates the demo pumps' policies and things through Ditto's HTTP API, as any Ditto user would:
 * the operator owns them, the Hono connection may write sensor features (but not the features other
 * services own), and the analytics subject may read the twin and write only {@code predictions}.
 */
public final class DemoTwins {

    /** The features a device must never write: each belongs to one service. */
    private static final List<String> SERVICE_FEATURES = List.of("predictions", "simulation");

    private final WebClient client;
    private final URI dittoUrl;
    private final String user;
    private final String password;

    /**
     * @param vertx    for the HTTP client
     * @param dittoUrl Ditto's base URL ({@code http://host:port})
     * @param user     the operator user creating the twins (owner subject {@code nginx:<user>})
     * @param password its password
     */
    public DemoTwins(Vertx vertx, URI dittoUrl, String user, String password) {
        this.client = WebClient.create(vertx);
        this.dittoUrl = Objects.requireNonNull(dittoUrl, "dittoUrl");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
    }

    /**
     * Creates or replaces the policy and thing of every device.
     *
     * @param deviceSubjects   the subjects the Hono connection writes with (e.g. {@code pre-authenticated:hono-connection})
     * @param analyticsSubject the analytics service's subject (e.g. {@code nginx:analytics})
     */
    public Future<Void> create(List<DemoDevice> devices, List<String> deviceSubjects, String analyticsSubject) {
        List<Future<Void>> created = new ArrayList<>();
        for (DemoDevice device : devices) {
            created.add(put("/api/2/policies/" + device.deviceId(), policy(deviceSubjects, analyticsSubject))
                    .compose(v -> put("/api/2/things/" + device.deviceId(), thing(device))));
        }
        return Future.all(created).mapEmpty();
    }

    /** Reads the twins of the devices (as the operator) for the live table. */
    public Future<JsonArray> read(List<DemoDevice> devices) {
        String ids = String.join(",", devices.stream().map(DemoDevice::deviceId).toList());
        return client.getAbs(dittoUrl + "/api/2/things")
                .addQueryParam("ids", ids)
                .addQueryParam("fields", "thingId,_revision,features/vibration/properties/rms,features/predictions/properties")
                .basicAuthentication(user, password)
                .send()
                .compose(response -> response.statusCode() == 200
                        ? Future.succeededFuture(response.bodyAsJsonArray())
                        : Future.failedFuture(error("GET /api/2/things", response)));
    }

    /**
     * Reads one feature's properties of a device's twin (as the operator).
     *
     * @return the properties, or a failed future when the twin or feature cannot be read
     */
    public Future<JsonObject> readFeatureProperties(DemoDevice device, String featureId) {
        String path = "/api/2/things/" + device.deviceId() + "/features/" + featureId + "/properties";
        return client.getAbs(dittoUrl + path)
                .basicAuthentication(user, password)
                .send()
                .compose(response -> response.statusCode() == 200
                        ? Future.succeededFuture(response.bodyAsJsonObject())
                        : Future.failedFuture(error("GET " + path, response)));
    }

    private Future<Void> put(String path, JsonObject body) {
        return client.putAbs(dittoUrl + path)
                .basicAuthentication(user, password)
                .putHeader("content-type", "application/json")
                .sendJsonObject(body)
                .compose(response -> response.statusCode() / 100 == 2
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(error("PUT " + path, response)));
    }

    private static IllegalStateException error(String request, HttpResponse<Buffer> response) {
        return new IllegalStateException(request + " answered " + response.statusCode() + ": " + response.bodyAsString());
    }

    private JsonObject policy(List<String> deviceSubjects, String analyticsSubject) {
        JsonObject deviceSubjectsJson = new JsonObject();
        deviceSubjects.forEach(subject -> deviceSubjectsJson.put(subject, new JsonObject().put("type", "Hono connection")));
        JsonObject deviceResources = new JsonObject().put("thing:/features", grant("READ", "WRITE"));
        SERVICE_FEATURES.forEach(feature -> deviceResources.put("thing:/features/" + feature, revoke("WRITE")));
        return new JsonObject().put("entries", new JsonObject()
                .put("OPERATOR", new JsonObject()
                        .put("subjects", new JsonObject().put("nginx:" + user, new JsonObject().put("type", "demo operator")))
                        .put("resources", new JsonObject()
                                .put("thing:/", grant("READ", "WRITE"))
                                .put("policy:/", grant("READ", "WRITE"))
                                .put("message:/", grant("READ", "WRITE"))))
                .put("DEVICE", new JsonObject()
                        .put("subjects", deviceSubjectsJson)
                        .put("resources", deviceResources))
                .put("ANALYTICS", new JsonObject()
                        .put("subjects", new JsonObject().put(analyticsSubject, new JsonObject().put("type", "analytics service")))
                        .put("resources", new JsonObject()
                                .put("thing:/", grant("READ"))
                                .put("thing:/features/predictions", grant("READ", "WRITE"))
                                .put("message:/features/predictions/outbox/messages/healthAlarm", grant("WRITE")))));
    }

    private static JsonObject thing(DemoDevice device) {
        return new JsonObject()
                .put("policyId", device.deviceId())
                .put("attributes", new JsonObject()
                        .put("type", "centrifugal-pump")
                        .put("tenant", device.tenantId())
                        .put("demo", true))
                .put("features", new JsonObject());
    }

    private static JsonObject grant(String... permissions) {
        return new JsonObject().put("grant", new JsonArray(List.of((Object[]) permissions))).put("revoke", new JsonArray());
    }

    private static JsonObject revoke(String... permissions) {
        return new JsonObject().put("grant", new JsonArray()).put("revoke", new JsonArray(List.of((Object[]) permissions)));
    }

    /** Releases the HTTP client. */
    public void close() {
        client.close();
    }
}
