package io.twinworks.localstack.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.localstack.LocalStackConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WoT validation in the local twin service (Ditto 3.6+ behaviour): things whose {@code definition}
 * names a Thing Model of the catalog are checked on every create, modify and merge; a violation is
 * a 400 {@code wot:payload.validation.error} naming the property path and the rule, and changes nothing.
 */
@ExtendWith(VertxExtension.class)
class WotValidationHttpTest {

    private static final String THING = "plant.wot:pump-1";
    private static final String POLICY = """
            {"entries":{"OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
              "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},"policy:/":{"grant":["READ","WRITE"],"revoke":[]}}}}}""";
    private static final ThingModelCatalog CATALOG = ThingModelCatalog.fromClasspath();

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private DittoTwinServer server;
    private WebClient client;
    private int port;

    @BeforeEach
    void setUp(Vertx vertx) {
        this.vertx = vertx;
        client = WebClient.create(vertx);
    }

    private void start(boolean wotValidation) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")).withWotValidation(wotValidation), new SimpleMeterRegistry());
        port = await(server.start());
        assertThat(send(HttpMethod.PUT, "/api/2/policies/" + THING, POLICY).statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            await(server.stop());
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path, String body) throws Exception {
        HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path).basicAuthentication("ditto", "ditto")
                .putHeader("Content-Type", method == HttpMethod.PATCH ? "application/merge-patch+json" : "application/json");
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    /** A new pump thing as provisioning creates it: the model's skeleton, definitions naming the served models. */
    private JsonObject pumpSkeleton() {
        ThingModelCatalog served = CATALOG.rebased(server.modelsBaseUrl());
        JsonNode skeleton = new ThingSkeleton(served).skeleton(served.require("centrifugal-pump"),
                Map.of("tenant", JsonNodeFactory.instance.textNode("plant.wot"), "location", JsonNodeFactory.instance.textNode("hall 1")));
        return new JsonObject(skeleton.toString()).put("policyId", THING);
    }

    private void createPump() throws Exception {
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING, pumpSkeleton().encode()).statusCode()).isEqualTo(201);
    }

    private JsonObject thing() throws Exception {
        return await(client.get(port, "127.0.0.1", "/api/2/things/" + THING).basicAuthentication("ditto", "ditto").send())
                .bodyAsJsonObject();
    }

    private static void assertWotError(HttpResponse<Buffer> response, String path, String rule) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
        JsonObject error = response.bodyAsJsonObject();
        assertThat(error.getString("error")).isEqualTo("wot:payload.validation.error");
        assertThat(error.getString("message")).isEqualTo(
                "The provided payload did not conform to the specified WoT (Web of Things) model.");
        assertThat(error.getString("description")).contains("path: " + path).contains("rule: " + rule);
        assertThat(error.getJsonObject("validationDetails").containsKey(path)).isTrue();
    }

    @Test
    void putOfAPropertyAboveItsMaximumIsRefusedNamingThePathTheRuleAndTheLimit() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = send(HttpMethod.PUT, "/api/2/things/" + THING + "/features/vibration/properties/rms", "250");

        assertWotError(response, "/features/vibration/properties/rms", "maximum");
        assertThat(response.bodyAsJsonObject().getString("description")).contains("<rms>").contains("100").contains("mm/s");
        assertThat(thing().getJsonObject("features").getJsonObject("vibration").getJsonObject("properties").containsKey("rms"))
                .as("the refused value is not stored").isFalse();
    }

    @Test
    void mergeWithAWrongTypeIsRefusedAndTheThingKeepsItsRevision() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = send(HttpMethod.PATCH, "/api/2/things/" + THING,
                "{\"features\":{\"temperature\":{\"properties\":{\"value\":\"hot\"}}}}");

        assertWotError(response, "/features/temperature/properties/value", "type");
        assertThat(await(client.get(port, "127.0.0.1", "/api/2/things/" + THING).addQueryParam("fields", "_revision")
                .basicAuthentication("ditto", "ditto").send()).bodyAsJsonObject().getLong("_revision")).isEqualTo(1L);
    }

    // a merge at /features is what devices send (the adapters' and the virtual fleet's readings): it is checked
    // per feature it names, and each rule still holds there

    @Test
    void mergeAtFeaturesWithOneBadFeatureAmongSeveralIsRefusedNamingItAndChangesNothing() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features",
                "{\"vibration\":{\"properties\":{\"rms\":1.5}},\"temperature\":{\"properties\":{\"value\":\"hot\"}}}");

        assertWotError(response, "/features/temperature/properties/value", "type");
        JsonObject features = thing().getJsonObject("features");
        assertThat(features.getJsonObject("vibration").getJsonObject("properties").containsKey("rms"))
                .as("the valid feature of the refused merge is not stored either").isFalse();
    }

    @Test
    void mergeAtFeaturesAddingANonModeledFeatureIsRefused() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features",
                "{\"vibration\":{\"properties\":{\"rms\":1.5}},\"gossip\":{\"properties\":{\"x\":1}}}");

        assertWotError(response, "/features/gossip", "non-modeled");
    }

    @Test
    void mergeAtFeaturesRemovingAModeledFeatureIsRefusedAsItMustBePresent() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features",
                "{\"vibration\":{\"properties\":{\"rms\":1.5}},\"flow\":null}");

        assertWotError(response, "/features/flow", "presence");
    }

    @Test
    void mergeAtFeaturesWithAPropertyAboveItsMaximumIsRefused() throws Exception {
        start(true);
        createPump();

        assertWotError(send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features",
                "{\"vibration\":{\"properties\":{\"rms\":250}}}"), "/features/vibration/properties/rms", "maximum");
    }

    @Test
    void mergeAtFeaturesThatIsNotADittoFeatureIsRefusedByDittosModel() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features",
                "{\"vibration\":{\"properties\":{\"rms\":1.5},\"definition\":[\"not a definition\"]}}");

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("error")).startsWith("things:");
    }

    @Test
    void creatingAThingWithANonModeledFeatureIsRefused() throws Exception {
        start(true);
        JsonObject thing = pumpSkeleton();
        thing.getJsonObject("features").put("gossip", new JsonObject().put("properties", new JsonObject().put("x", 1)));

        assertWotError(send(HttpMethod.PUT, "/api/2/things/" + THING, thing.encode()), "/features/gossip", "non-modeled");
        assertThat(await(client.get(port, "127.0.0.1", "/api/2/things/" + THING).basicAuthentication("ditto", "ditto").send())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void deletingAModeledFeatureIsRefusedAsItMustBePresent() throws Exception {
        start(true);
        createPump();

        HttpResponse<Buffer> response = await(client.delete(port, "127.0.0.1", "/api/2/things/" + THING + "/features/flow")
                .basicAuthentication("ditto", "ditto").send());

        assertWotError(response, "/features/flow", "presence");
    }

    @Test
    void aMissingRequiredAttributeIsRefused() throws Exception {
        start(true);
        JsonObject thing = pumpSkeleton();
        thing.getJsonObject("attributes").remove("tenant");

        assertWotError(send(HttpMethod.PUT, "/api/2/things/" + THING, thing.encode()), "/attributes/tenant", "required");
    }

    @Test
    void validReadingsPredictionsAndSimulationResultsAsTheProductWritesThemPass() throws Exception {
        start(true);
        createPump();
        String ts = "2024-05-01T10:00:00.123Z";
        // what the virtual fleet publishes, what analytics and the simulation service merge
        String reading = """
                {"features":{"vibration":{"properties":{"rms":1.234,"seq":7,"ts":"%s"}},
                  "temperature":{"properties":{"value":51.2,"ts":"%s"}},
                  "flow":{"properties":{"value":118.4,"ts":"%s"}},
                  "pressure":{"properties":{"value":3.71,"ts":"%s"}}}}""".formatted(ts, ts, ts, ts);
        assertThat(send(HttpMethod.PATCH, "/api/2/things/" + THING, reading).statusCode()).isEqualTo(204);
        String predictions = """
                {"anomalyScore":0.42,"healthState":"warning","model":"zscore","modelVersion":"1","basedOnRevision":2,
                 "computedAt":"%s","rulCycles":null}""".formatted(ts);
        assertThat(send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features/predictions/properties", predictions).statusCode())
                .isEqualTo(204);
        String simulation = """
                {"scenario":{"horizonHours":72,"loadFactor":1.2,"vibrationLimitMmS":4.5,"faults":[]},
                 "timeToThresholdHours":31.5,"threshold":{"signal":"vibration/rms","limit":4.5},
                 "summary":{"vibrationRms":{"start":1.2,"end":5.1,"max":5.1},"wearPerHour":0.01},
                 "trajectory":[{"hours":0,"vibrationRms":1.2,"temperature":51.0,"flow":118.0,"pressure":3.7,"bearingWear":0.0}],
                 "model":"pump-physics","modelVersion":"1","basedOnRevision":3,"computedAt":"%s"}""".formatted(ts);
        HttpResponse<Buffer> merged = send(HttpMethod.PATCH, "/api/2/things/" + THING + "/features/simulation/properties", simulation);
        assertThat(merged.statusCode()).as(merged.bodyAsString()).isEqualTo(204);
        assertThat(thing().getJsonObject("features").getJsonObject("vibration").getJsonObject("properties").getDouble("rms"))
                .isEqualTo(1.234);
    }

    @Test
    void switchedOffTheSameOutOfRangeValueIsAccepted() throws Exception {
        start(false);
        createPump();

        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING + "/features/vibration/properties/rms", "250").statusCode())
                .isEqualTo(201);
        JsonObject nonModeled = pumpSkeleton();
        nonModeled.getJsonObject("features").put("gossip", new JsonObject());
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING, nonModeled.encode()).statusCode()).isEqualTo(204);
    }

    @Test
    void thingsWithoutADefinitionOrWithAnUnknownOneAreNotChecked() throws Exception {
        start(true);
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING,
                "{\"policyId\":\"" + THING + "\",\"features\":{\"vibration\":{\"properties\":{\"rms\":250}}}}").statusCode())
                .isEqualTo(201);
        assertThat(send(HttpMethod.PATCH, "/api/2/things/" + THING,
                "{\"definition\":\"org.example:unknown:1.0.0\",\"features\":{\"x\":{}}}").statusCode()).isEqualTo(204);
    }
}
