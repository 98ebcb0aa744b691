package io.twinworks.sim.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.twinworks.sim.SimConfig;
import io.twinworks.sim.SimService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * The production-line round trip over Ditto live messages on the local stack: the operator sends
 * {@code simulate} to the line twin's {@code simulation} feature (as the line-simulation Thing Model
 * declares the action); the simulation service, with the least-privilege grants of the simulation
 * role template, reads the line's stations and buffers, runs the discrete-event model, answers and
 * merges the feature, which the stack validates against the Thing Model.
 */
class LineSimulationMessageIT {

    private static final Map<String, String> USERS = Map.of("ditto", "ditto", "simulation", "simulation-secret");
    private static final ThingId LINE = ThingId.of("plant.a:line-1");
    private static final ThingId BARE_LINE = ThingId.of("plant.a:line-2");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STATIONS = """
            [{"name":"feed","asset":"plant.a:pump-1","ratePerHour":60,"mttfHours":40,"mttrHours":1.5},
             {"name":"mixer","ratePerHour":40,"mttfHours":20,"mttrHours":2},
             {"name":"filler","ratePerHour":55,"mttfHours":60,"mttrHours":0.5}]""";

    @TempDir
    Path stateDir;

    private final Vertx vertx = Vertx.vertx();
    private DittoTwinServer server;
    private SimService service;
    private DittoClient operator;

    @BeforeEach
    void start() throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        int port = await(server.start());
        operator = connect(port, "ditto", "ditto");
        createLine(LINE, Map.of("stations", MAPPER.readTree(STATIONS), "buffers", MAPPER.readTree("[10, 10]")));
        createLine(BARE_LINE, Map.of());
        SimConfig config = SimConfig.fromEnv(Map.of())
                .withDitto(URI.create("ws://127.0.0.1:" + port), "simulation", "simulation-secret")
                .withHttpPort(0);
        service = new SimService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(service.start());
    }

    @AfterEach
    void stop() throws Exception {
        operator.destroy();
        await(service.stop());
        await(server.stop());
        await(vertx.close());
    }

    @Test
    void simulateOnALineAnswersThroughputAndBottleneckAndWritesTheFeature() throws Exception {
        long revisionBefore = get(operator.twin().forId(LINE).retrieve(JsonFactory.newFieldSelector("_revision")))
                .getRevision().orElseThrow().toLong();

        Message<JsonValue> answer = send(LINE, "{\"horizonHours\":2000,\"seed\":3}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        JsonObject result = new JsonObject(answer.getPayload().orElseThrow().toString());
        // the mixer (40/h at availability 20/22) is the slowest: the line makes less than its 36.4 parts/h
        assertThat(result.getDouble("throughputPerHour")).isBetween(25.0, 36.4);
        assertThat(result.getJsonObject("bottleneck").getString("station")).isEqualTo("mixer");
        assertThat(result.getLong("basedOnRevision")).isEqualTo(revisionBefore);
        assertThat(result.getJsonObject("scenario").getDouble("warmUpHours")).isEqualTo(200.0);
        JsonArray stations = result.getJsonArray("stations");
        assertThat(stations).hasSize(3);
        assertThat(stations.getJsonObject(0).getString("asset")).isEqualTo("plant.a:pump-1");
        assertThat(stations.getJsonObject(0).getDouble("blocked")).isGreaterThan(0.0);
        assertThat(stations.getJsonObject(2).getDouble("starved")).isGreaterThan(0.0);
        assertThat(result.getJsonArray("buffers")).hasSize(2);

        Thing thing = get(operator.twin().forId(LINE).retrieve());
        JsonObject feature = new JsonObject(thing.getFeatures().orElseThrow().getFeature("simulation").orElseThrow()
                .getProperties().orElseThrow().toString());
        assertThat(feature.getDouble("throughputPerHour")).isEqualTo(result.getDouble("throughputPerHour"));
        assertThat(feature.getJsonObject("bottleneck").getString("station")).isEqualTo("mixer");
        assertThat(feature.getString("model")).isEqualTo("production-line-des");
        assertThat(feature.getString("computedAt")).isNotBlank();
    }

    @Test
    void aScenarioMayReplaceTheBuffersAndTheSameSeedGivesTheSameAnswer() throws Exception {
        JsonObject none = new JsonObject(send(LINE, "{\"horizonHours\":2000,\"buffers\":[0,0]}").getPayload().orElseThrow().toString());
        JsonObject large = new JsonObject(send(LINE, "{\"horizonHours\":2000,\"buffers\":[50,50]}").getPayload().orElseThrow().toString());
        JsonObject again = new JsonObject(send(LINE, "{\"horizonHours\":2000,\"buffers\":[50,50]}").getPayload().orElseThrow().toString());

        assertThat(none.getDouble("throughputPerHour")).isLessThan(large.getDouble("throughputPerHour"));
        assertThat(again.getDouble("throughputPerHour")).isEqualTo(large.getDouble("throughputPerHour"));
        assertThat(large.getJsonObject("scenario").getJsonArray("buffers").getInteger(0)).isEqualTo(50);
    }

    @Test
    void buffersThatDoNotFitTheStationsAreAnswered400WithTheReasonAndWriteNothing() throws Exception {
        Message<JsonValue> answer = send(LINE, "{\"horizonHours\":100,\"buffers\":[5]}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        JsonObject error = new JsonObject(answer.getPayload().orElseThrow().toString());
        assertThat(error.getString("error")).isEqualTo("simulation:scenario.invalid");
        assertThat(error.getString("message")).contains("3 stations need 2 buffers, got 1");
        assertThat(new JsonObject(get(operator.twin().forId(LINE).retrieve()).getFeatures().orElseThrow()
                .getFeature("simulation").orElseThrow().getProperties().orElseThrow().toString()).containsKey("computedAt")).isFalse();
    }

    @Test
    void invalidLineScenariosAreAnswered400() throws Exception {
        assertThat(send(LINE, "{\"horizonHours\":100,\"loadFactor\":1.2}").getPayload().orElseThrow().toString())
                .contains("unknown scenario field 'loadFactor'");
        assertThat(send(LINE, "{\"horizonHours\":100,\"warmUpHours\":100}").getPayload().orElseThrow().toString())
                .contains("warmUpHours must be within [0, horizonHours)");
        Message<JsonValue> station = send(LINE, "{\"horizonHours\":100,\"buffers\":[],\"stations\":[{\"name\":\"x\",\"ratePerHour\":-1}]}");
        assertThat(station.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        assertThat(station.getPayload().orElseThrow().toString()).contains("stations[0]").contains("ratePerHour");
        assertThat(send(LINE, "{\"horizonHours\":8000,\"stations\":[{\"name\":\"x\",\"ratePerHour\":100000}],\"buffers\":[]}")
                .getPayload().orElseThrow().toString()).contains("shorten horizonHours");
    }

    @Test
    void aLineWithoutStationsIsAnswered409() throws Exception {
        Message<JsonValue> answer = send(BARE_LINE, "{\"horizonHours\":100}");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.CONFLICT);
        assertThat(answer.getPayload().orElseThrow().toString()).contains("no attribute 'stations'");
    }

    private Message<JsonValue> send(ThingId thing, String payload) throws Exception {
        CompletableFuture<Message<JsonValue>> response = new CompletableFuture<>();
        operator.live().forId(thing).forFeature("simulation").message().to().subject("simulate").payload(payload)
                .contentType("application/json")
                .send(JsonValue.class, (answer, error) -> {
                    if (error != null) {
                        response.completeExceptionally(error);
                    } else {
                        response.complete(answer);
                    }
                });
        return response.get(30, TimeUnit.SECONDS);
    }

    private void createLine(ThingId id, Map<String, JsonNode> structure) throws Exception {
        // the simulation subject's grants are the simulation role template's
        get(operator.policies().create(PoliciesModelFactory.newPolicy("""
                {"policyId":"%s","entries":{
                  "OPERATOR":{"subjects":{"nginx:ditto":{"type":"operator"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "message:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "SIMULATION":{"subjects":{"nginx:simulation":{"type":"simulation service"}},
                           "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                        "thing:/features/simulation":{"grant":["READ","WRITE"],"revoke":[]},
                                        "message:/features/simulation/inbox/messages/simulate":{"grant":["READ"],"revoke":[]}}}}}"""
                .formatted(id))));
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        Map<String, JsonNode> attributes = new java.util.HashMap<>(structure);
        attributes.put("tenant", MAPPER.getNodeFactory().textNode("plant.a"));
        ObjectNode thing = new ThingSkeleton(catalog).skeleton(catalog.require("production-line"), attributes);
        thing.put("thingId", id.toString()).put("policyId", id.toString());
        get(operator.twin().create(ThingsModelFactory.newThing(thing.toString())));
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
