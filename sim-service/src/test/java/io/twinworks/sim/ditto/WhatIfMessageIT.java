package io.twinworks.sim.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.twinworks.sim.SimConfig;
import io.twinworks.sim.SimService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.Message;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The what-if round trip over Ditto live messages: the operator (one ditto-client session) sends
 * {@code simulate} to a pump twin, the simulation service (its own session, subject
 * {@code nginx:simulation}) answers and merges {@code /features/simulation}.
 */
class WhatIfMessageIT {

    private static final Map<String, String> USERS = Map.of("ditto", "ditto", "simulation", "simulation-secret");
    private static final ThingId PUMP = ThingId.of("plant.a:pump-3");
    private static final ThingId VALVE = ThingId.of("plant.a:valve-1");
    private static final ThingId SILENT = ThingId.of("plant.a:pump-9");
    private static final ThingId MOTOR = ThingId.of("plant.a:motor-1");
    private static final ThingId TRIPPED = ThingId.of("plant.a:pump-4");

    @TempDir
    Path stateDir;

    private final Vertx vertx = Vertx.vertx();
    private DittoTwinServer server;
    private SimService service;
    private DittoClient operator;
    private int httpPort;

    @BeforeEach
    void start() throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        int port = await(server.start());
        operator = connect(port, "ditto", "ditto");
        createTwin(PUMP, "centrifugal-pump", true);
        createTwin(VALVE, "valve", true);
        createTwin(SILENT, "centrifugal-pump", false);
        createTwin(MOTOR, "induction-motor", true);
        createTwin(TRIPPED, "centrifugal-pump", true);
        get(operator.twin().forId(TRIPPED).putFeature(ThingsModelFactory.newFeature("drive",
                ThingsModelFactory.newFeatureProperties(JsonFactory.readFrom("{\"running\":false}").asObject()))));
        SimConfig config = SimConfig.fromEnv(Map.of())
                .withDitto(URI.create("ws://127.0.0.1:" + port), "simulation", "simulation-secret")
                .withHttpPort(0);
        service = new SimService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        httpPort = await(service.start());
    }

    @AfterEach
    void stop() throws Exception {
        operator.destroy();
        await(service.stop());
        await(server.stop());
        await(vertx.close());
    }

    @Test
    void simulateMessageIsAnsweredAndTheSimulationFeatureAppears() throws Exception {
        long revisionBefore = get(operator.twin().forId(PUMP).retrieve(JsonFactory.newFieldSelector("_revision")))
                .getRevision().orElseThrow().toLong();

        Message<JsonValue> answer = send(PUMP, "{\"horizonHours\":72,\"loadFactor\":1.2}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        JsonObject result = new JsonObject(answer.getPayload().orElseThrow().toString());
        // Wear 0.25 at 0.05/h under 1.2x speed crosses 4.5 mm/s within the 72 h.
        assertThat(result.getDouble("timeToThresholdHours")).isBetween(0.5, 72.0);
        assertThat(result.getLong("basedOnRevision")).isEqualTo(revisionBefore);
        assertThat(result.getJsonObject("scenario").getDouble("loadFactor")).isEqualTo(1.2);

        Thing thing = get(operator.twin().forId(PUMP).retrieve());
        JsonObject feature = new JsonObject(thing.getFeatures().orElseThrow().getFeature("simulation").orElseThrow()
                .getProperties().orElseThrow().toString());
        assertThat(feature.getDouble("timeToThresholdHours")).isEqualTo(result.getDouble("timeToThresholdHours"));
        assertThat(feature.getLong("basedOnRevision")).isEqualTo(revisionBefore);
        assertThat(feature.getJsonArray("trajectory")).hasSize(24);
        assertThat(feature.getJsonObject("summary").getJsonObject("vibrationRms").getDouble("start")).isEqualTo(2.6);
        assertThat(feature.getString("model")).isEqualTo("centrifugal-pump-physics");
    }

    @Test
    void aLongHorizonEndsAtTheTripAndSaysWhen() throws Exception {
        Message<JsonValue> answer = send(PUMP, "{\"horizonHours\":8760}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        JsonObject result = new JsonObject(answer.getPayload().orElseThrow().toString());
        assertThat(result.getDouble("timeToFailureHours")).isBetween(1.0, 72.0);
        assertThat(result.getJsonObject("summary").getJsonObject("vibrationRms").getDouble("max")).isLessThan(100.0);
        assertThat(result.getJsonArray("trajectory").getJsonObject(23).getBoolean("running")).isFalse();
        JsonObject feature = new JsonObject(get(operator.twin().forId(PUMP).retrieve()).getFeatures().orElseThrow()
                .getFeature("simulation").orElseThrow().getProperties().orElseThrow().toString());
        assertThat(feature.getDouble("timeToFailureHours")).isEqualTo(result.getDouble("timeToFailureHours"));
    }

    @Test
    void aMotorWhatIfRunsItsWindingTemperatureForward() throws Exception {
        Message<JsonValue> answer = send(MOTOR, "{\"horizonHours\":10,\"loadFactor\":1.5,\"temperatureLimitC\":130}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        JsonObject result = new JsonObject(answer.getPayload().orElseThrow().toString());
        assertThat(result.getString("model")).isEqualTo("induction-motor-thermal");
        assertThat(result.getDouble("timeToThresholdHours")).isBetween(0.01, 10.0);
        assertThat(result.getJsonObject("threshold").getDouble("limit")).isEqualTo(130.0);
        assertThat(result.getJsonObject("summary").getJsonObject("temperature").getDouble("start")).isEqualTo(49.5);
    }

    @Test
    void aStoppedPumpIsAnswered409() throws Exception {
        Message<JsonValue> answer = send(TRIPPED, "{\"horizonHours\":5}");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.CONFLICT);
        assertThat(answer.getPayload().orElseThrow().toString()).contains("is stopped");
    }

    @Test
    void invalidScenarioIsAnswered400WithAReasonAndWritesNothing() throws Exception {
        Message<JsonValue> answer = send(PUMP, "{\"horizonHours\":-5}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        JsonObject error = new JsonObject(answer.getPayload().orElseThrow().toString());
        assertThat(error.getInteger("status")).isEqualTo(400);
        assertThat(error.getString("error")).isEqualTo("simulation:scenario.invalid");
        assertThat(error.getString("message")).contains("horizonHours");
        assertThat(get(operator.twin().forId(PUMP).retrieve()).getFeatures().orElseThrow().getFeature("simulation")).isEmpty();
    }

    @Test
    void unknownScenarioFieldIsAnswered400() throws Exception {
        Message<JsonValue> answer = send(PUMP, "{\"horizonHours\":5,\"speed\":3}");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        assertThat(answer.getPayload().orElseThrow().toString()).contains("unknown scenario field 'speed'");
    }

    @Test
    void assetTypeWithoutModelIsAnswered400() throws Exception {
        Message<JsonValue> answer = send(VALVE, "{\"horizonHours\":5}");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        assertThat(answer.getPayload().orElseThrow().toString()).contains("no simulation model for asset type 'valve'");
    }

    @Test
    void twinWithoutReadingsIsAnswered409() throws Exception {
        Message<JsonValue> answer = send(SILENT, "{\"horizonHours\":5}");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.CONFLICT);
        assertThat(answer.getPayload().orElseThrow().toString()).contains("simulation:twin.state.missing");
    }

    @Test
    void healthAndMetricsCountTheOutcomes() throws Exception {
        send(PUMP, "{\"horizonHours\":1}");
        Message<JsonValue> garbage = send(PUMP, "not json", "text/plain");
        assertThat(garbage.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        assertThat(garbage.getPayload().orElseThrow().toString()).contains("not a JSON object");
        WebClient web = WebClient.create(vertx);
        String health = await(web.get(httpPort, "127.0.0.1", "/health").send()).bodyAsString();
        String metrics = await(web.get(httpPort, "127.0.0.1", "/metrics").send()).bodyAsString();
        assertThat(health).contains("UP");
        assertThat(metrics).contains("twinworks_sim_whatif_requests_total{outcome=\"ok\"} 1.0")
                .contains("twinworks_sim_whatif_requests_total{outcome=\"invalid\"} 1.0");
    }

    private Message<JsonValue> send(ThingId thing, String payload) throws Exception {
        return send(thing, payload, "application/json");
    }

    private Message<JsonValue> send(ThingId thing, String payload, String contentType) throws Exception {
        CompletableFuture<Message<JsonValue>> response = new CompletableFuture<>();
        operator.live().forId(thing).message().to().subject("simulate").payload(payload).contentType(contentType)
                .send(JsonValue.class, (answer, error) -> {
                    if (error != null) {
                        response.completeExceptionally(error);
                    } else {
                        response.complete(answer);
                    }
                });
        return response.get(30, TimeUnit.SECONDS);
    }

    private void createTwin(ThingId id, String type, boolean withReadings) throws Exception {
        get(operator.policies().create(PoliciesModelFactory.newPolicy("""
                {"policyId":"%s","entries":{
                  "OPERATOR":{"subjects":{"nginx:ditto":{"type":"operator"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "message:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "SIMULATION":{"subjects":{"nginx:simulation":{"type":"simulation service"}},
                           "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                        "thing:/features/simulation":{"grant":["READ","WRITE"],"revoke":[]},
                                        "message:/":{"grant":["READ"],"revoke":[]}}}}}""".formatted(id))));
        String features = withReadings
                ? "{\"vibration\":{\"properties\":{\"rms\":2.6,\"seq\":9}},\"temperature\":{\"properties\":{\"value\":49.5}}}"
                : "{}";
        get(operator.twin().create(ThingsModelFactory.newThing("""
                {"thingId":"%s","policyId":"%s","attributes":{"type":"%s","model":{"wearPerHour":0.05}},"features":%s}"""
                .formatted(id, id, type, features))));
    }

    private static DittoClient connect(int port, String user, String password) throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + port)
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(user).password(password).build()));
        return get(DittoClients.newInstance(messaging).connect());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
