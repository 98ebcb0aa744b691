package io.twinworks.it;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.cli.demo.DemoRulModel;
import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulTraining;
import io.twinworks.cli.up.UpSession;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.sim.SimConfig;
import io.vertx.core.json.JsonArray;
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
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.Message;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code twinworks up --demo} on free ports, as the command runs it ({@link UpSession}): the pumps are
 * provisioned from the Thing Model and role templates, the virtual fleet publishes physics readings,
 * analytics writes predictions, the simulation service answers {@code simulate} — checked from outside
 * through Ditto's HTTP API and a ditto-client session of the operator.
 */
class DemoIT {

    private static final String OPERATOR = "ditto";
    private static final String OPERATOR_PASSWORD = "ditto";

    @TempDir
    Path stateDir;

    /** A tiny RUL model, so the demo does not train one in the background here (DemoRulIT does). */
    @TempDir
    static Path tinyModels;

    private final StringWriter console = new StringWriter();
    private UpSession session;
    private DittoClient operatorSession;
    private List<DemoDevice> pumps;

    @org.junit.jupiter.api.BeforeAll
    static void trainTinyRulModel() throws Exception {
        RulTraining.Settings tiny = new RulTraining.Settings(3, 1, 256, 1e-2, 1, 0.2, 125, 4);
        new RulTraining(tiny, CmapssData.FD001_SENSORS).train(DemoRulModel.trainingUnits(DemoPlant.REPLAYED_UNIT), "rul-tiny", tinyModels,
                new RulTraining.Progress() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches) {
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
                    }
                });
    }

    @BeforeEach
    void startDemo() {
        pumps = DemoPlant.pumps(3);
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir).withPorts(0, 0, 0).withDitto(0, Map.of(OPERATOR, OPERATOR_PASSWORD));
        AnalyticsConfig analytics = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_DITTO_PASSWORD", "analytics-secret",
                "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "500")).withHttpPort(0).withModelDir(tinyModels);
        SimConfig sim = SimConfig.fromEnv(Map.of("TWINWORKS_SIM_DITTO_PASSWORD", "simulation-secret")).withHttpPort(0);
        // a faster clock than the command's default, so that the degrading pump's vibration rises within seconds
        session = UpSession.start(config, new UpSession.DemoOptions(pumps, new Demo.FleetSettings(120, 0.05, 2), analytics, sim),
                new PrintWriter(console, true));
    }

    @AfterEach
    void stopDemo() {
        if (operatorSession != null) {
            operatorSession.destroy();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void everyPumpGetsAHealthStateTheDegradingOneVibratesMoreAndAWhatIfIsAnswered() throws Exception {
        assertThat(session.config().dittoWotValidation()).as("the demo runs with WoT validation on").isTrue();
        DemoDevice degrading = pumps.stream().filter(DemoPlant::degrading).findFirst().orElseThrow();
        DemoDevice healthy = pumps.get(0);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonArray twins = await(session.demo().orElseThrow().readTwins());
            assertThat(twins).hasSize(pumps.size());
            for (Object twin : twins) {
                assertThat(properties((JsonObject) twin, "predictions").getString("healthState"))
                        .as("health state of %s", ((JsonObject) twin).getString("thingId"))
                        .isIn("learning", "ok", "warning", "alarm");
            }
        });
        double firstVibration = properties(thing(degrading), "vibration").getDouble("rms");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(properties(thing(degrading), "vibration").getDouble("rms"))
                        .as("the degrading pump's vibration rises").isGreaterThan(firstVibration + 1.0));

        operatorSession = connectOperator();
        Message<JsonValue> answer = simulate(healthy, "{\"horizonHours\":500,\"loadFactor\":1.2}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        JsonObject result = new JsonObject(answer.getPayload().orElseThrow().toString());
        assertThat(result.getJsonArray("trajectory")).isNotEmpty();
        assertThat(result.getString("model")).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject simulation = properties(thing(healthy), "simulation");
            assertThat(simulation.getString("computedAt")).isEqualTo(result.getString("computedAt"));
            assertThat(simulation.getJsonObject("scenario").getDouble("loadFactor")).isEqualTo(1.2);
        });
        assertThat(console.toString()).contains("provisioned 3 pumps").contains("virtual pumps").doesNotContain("training a quick one");
    }

    @Test
    void theDemoLineAnswersSimulateWithItsThroughputAndBottleneck() throws Exception {
        operatorSession = connectOperator();

        Message<JsonValue> answer = simulate(DemoPlant.TENANT + ":" + DemoPlant.LINE_NAME, "{\"horizonHours\":1000}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        JsonObject result = new JsonObject(answer.getPayload().orElseThrow().toString());
        // the mixer (45/h exponential, availability 20/22) is the slowest station of the demo line
        assertThat(result.getJsonObject("bottleneck").getString("station")).isEqualTo("mixer");
        assertThat(result.getDouble("throughputPerHour")).isBetween(20.0, 45.0 * 20 / 22);
        assertThat(result.getJsonArray("stations")).hasSize(3);
    }

    @Test
    void anInvalidScenarioIsAnswered400AndWritesNoResult() throws Exception {
        DemoDevice pump = pumps.get(1);
        operatorSession = connectOperator();

        Message<JsonValue> answer = simulate(pump, "{\"horizonHours\":-1}");

        assertThat(answer.getHttpStatus()).contains(HttpStatus.BAD_REQUEST);
        assertThat(answer.getPayload().orElseThrow().toString()).contains("simulation:scenario.invalid");
        assertThat(properties(thing(pump), "simulation").containsKey("computedAt")).isFalse();
    }

    @Test
    void theDemoTwinsRefuseAReadingOutsideTheThingModel() {
        DemoDevice pump = pumps.get(0);
        WebClient http = WebClient.create(session.vertx());
        var response = await(http.putAbs(session.endpoints().dittoUrl() + "/api/2/things/" + pump.deviceId()
                        + "/features/vibration/properties/rms")
                .basicAuthentication(OPERATOR, OPERATOR_PASSWORD)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(io.vertx.core.buffer.Buffer.buffer("250")));

        // the demo's operator is also its admin (role template ADMIN: WRITE thing:/), so the policy lets it through
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("description")).contains("<rms>").contains("maximum");
        var merge = await(http.patchAbs(session.endpoints().dittoUrl() + "/api/2/things/" + pump.deviceId())
                .basicAuthentication(OPERATOR, OPERATOR_PASSWORD)
                .putHeader("Content-Type", "application/merge-patch+json")
                .sendBuffer(io.vertx.core.buffer.Buffer.buffer("{\"attributes\":{\"ratedFlow\":99999}}")));
        assertThat(merge.statusCode()).as(merge.bodyAsString()).isEqualTo(400);
        assertThat(merge.bodyAsJsonObject().getString("error")).isEqualTo("wot:payload.validation.error");
        assertThat(merge.bodyAsJsonObject().getString("description")).contains("ratedFlow").contains("maximum");
        http.close();
    }

    private Message<JsonValue> simulate(DemoDevice pump, String scenario) throws Exception {
        return simulate(pump.deviceId(), scenario);
    }

    private Message<JsonValue> simulate(String thingId, String scenario) throws Exception {
        CompletableFuture<Message<JsonValue>> response = new CompletableFuture<>();
        // the simulate action of the thing's simulation submodel: a live message to the feature
        operatorSession.live().forId(ThingId.of(thingId)).forFeature("simulation").message().to()
                .subject("simulate").payload(scenario).contentType("application/json")
                .send(JsonValue.class, (answer, error) -> {
                    if (error != null) {
                        response.completeExceptionally(error);
                    } else {
                        response.complete(answer);
                    }
                });
        return response.get(30, TimeUnit.SECONDS);
    }

    private DittoClient connectOperator() throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(session.endpoints().dittoUrl().replaceFirst("^http", "ws"))
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(OPERATOR).password(OPERATOR_PASSWORD).build()));
        return DittoClients.newInstance(messaging).connect().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private JsonObject thing(DemoDevice pump) {
        WebClient http = WebClient.create(session.vertx());
        try {
            var response = await(http.getAbs(session.endpoints().dittoUrl() + "/api/2/things/" + pump.deviceId())
                    .basicAuthentication(OPERATOR, OPERATOR_PASSWORD).send());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.bodyAsJsonObject();
        } finally {
            http.close();
        }
    }

    private static JsonObject properties(JsonObject thing, String feature) {
        return thing.getJsonObject("features", new JsonObject()).getJsonObject(feature, new JsonObject())
                .getJsonObject("properties", new JsonObject());
    }
}
