package io.twinworks.cli.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Reads the demo pumps' twins through Ditto's HTTP API as the operator, as any Ditto user would
 * (the twins and their policies are created by the {@link io.twinworks.cli.provision.Provisioner}).
 */
public final class DemoTwins {

    private final WebClient client;
    private final URI dittoUrl;
    private final String user;
    private final String password;

    /**
     * @param vertx    for the HTTP client
     * @param dittoUrl Ditto's base URL ({@code http://host:port})
     * @param user     the operator user reading the twins (subject {@code nginx:<user>})
     * @param password its password
     */
    public DemoTwins(Vertx vertx, URI dittoUrl, String user, String password) {
        this.client = WebClient.create(vertx);
        this.dittoUrl = Objects.requireNonNull(dittoUrl, "dittoUrl");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
    }

    /** Reads the twins of the devices (as the operator) for the live table. */
    public Future<JsonArray> read(List<DemoDevice> devices) {
        String ids = String.join(",", devices.stream().map(DemoDevice::deviceId).toList());
        return client.getAbs(dittoUrl + "/api/2/things")
                .addQueryParam("ids", ids)
                .addQueryParam("fields", "thingId,_revision,features/vibration/properties/rms,features/temperature/properties/value,"
                        + "features/predictions/properties,features/simulation/properties/timeToThresholdHours,"
                        + "features/simulation/properties/computedAt")
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

    private static IllegalStateException error(String request, HttpResponse<Buffer> response) {
        return new IllegalStateException(request + " answered " + response.statusCode() + ": " + response.bodyAsString());
    }

    /** Releases the HTTP client. */
    public void close() {
        client.close();
    }
}
