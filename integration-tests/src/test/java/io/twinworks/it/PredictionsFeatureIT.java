package io.twinworks.it;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.analytics.ditto.DittoTwinConnection;
import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.analytics.ml.RulTraining;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The predictions feature beyond the anomaly score: a {@code healthAlarm} live message when an
 * asset's health worsens, and {@code rulCycles} from a DL4J model (trained here, tiny) on a twin
 * carrying turbofan cycles in its {@code sensors} feature.
 */
class PredictionsFeatureIT {

    @TempDir
    Path stateDir;

    private LocalStackFixture fixture;
    private AnalyticsService analytics;
    private WebClient http;
    private DittoClient operator;
    private final DemoDevice asset = DemoPlant.pumps(1).get(0);

    @BeforeEach
    void startStack() throws Exception {
        fixture = new LocalStackFixture(stateDir);
        fixture.createUnmodelledTwins(List.of(asset.deviceId()));
        http = WebClient.create(fixture.vertx);
    }

    @AfterEach
    void stopStack() {
        if (operator != null) {
            operator.destroy();
        }
        if (analytics != null) {
            await(analytics.stop());
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void anOperatorReceivesAHealthAlarmMessageWhenTheAssetGoesIntoAlarm() throws Exception {
        startAnalytics(stateDir.resolve("no-models"));
        List<String> alarms = new CopyOnWriteArrayList<>();
        List<Boolean> responseRequired = new CopyOnWriteArrayList<>();
        operator = connectOperator();
        operator.live().forId(org.eclipse.ditto.things.model.ThingId.of(asset.deviceId())).forFeature("predictions")
                .registerForMessage("alarms", DittoTwinConnection.HEALTH_ALARM_SUBJECT, message -> {
                    responseRequired.add(message.getHeaders().isResponseRequired());
                    alarms.add(String.valueOf(message.getPayload().orElse(null)));
                });
        operator.live().startConsumption().toCompletableFuture().get(20, TimeUnit.SECONDS);

        for (int seq = 1; seq <= 6; seq++) {
            mergeAsOperator("/features/vibration/properties", new JsonObject().put("rms", 1.0 + 0.01 * (seq % 3)));
        }
        for (int seq = 7; seq <= 9; seq++) {
            mergeAsOperator("/features/vibration/properties", new JsonObject().put("rms", 4.0));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alarms).isNotEmpty());
        assertThat(alarms.get(0)).contains("\"healthState\":\"alarm\"").contains("\"worstSignal\":\"vibration/rms\"");
        // fire-and-forget: with response-required the gateway would answer the sender 408 a minute later
        assertThat(responseRequired).containsOnly(false);
    }

    @Test
    void afterARestartTheWebSocketTransportContinuesFromTheBaselinesInTheTwin() {
        startAnalytics(stateDir.resolve("no-models"));
        for (int seq = 1; seq <= 8; seq++) {
            mergeAsOperator("/features/vibration/properties", new JsonObject().put("rms", 1.0 + 0.01 * (seq % 3)));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonObject predictions = getThing().getJsonObject("features").getJsonObject("predictions", new JsonObject())
                    .getJsonObject("properties", new JsonObject());
            assertThat(predictions.getString("healthState")).isEqualTo("ok");
            assertThat(predictions.getJsonObject("baselines", new JsonObject()).getJsonObject("vibration", new JsonObject())
                    .getJsonObject("rms")).isNotNull();
        });
        await(analytics.stop());
        analytics = null;

        startAnalytics(stateDir.resolve("no-models"));
        // far outside normal operation at once: a restarted service without the twin's baselines would
        // spend these readings learning; with them restored, they are an alarm
        for (int seq = 1; seq <= 3; seq++) {
            mergeAsOperator("/features/vibration/properties", new JsonObject().put("rms", 4.0));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(getThing().getJsonObject("features").getJsonObject("predictions").getJsonObject("properties")
                        .getString("healthState")).isEqualTo("alarm"));
    }

    @Test
    void aTurbofanTwinGetsRulCyclesFromTheNewestModelInTheModelDirectory() throws Exception {
        Path models = stateDir.resolve("models");
        RulTraining.Settings tiny = new RulTraining.Settings(3, 2, 64, 1e-2, 1, 0.25, 125, 4);
        new RulTraining(tiny, List.of("s2", "s3")).train(syntheticEngines(), "rul-it", models, new RulTraining.Progress() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches) {
            }

            @Override
            public void epoch(int epoch, int epochs, double trainingLoss, double validationRmse) {
            }
        });
        startAnalytics(models);
        assertThat(analytics.rulEstimator()).isNotNull();

        for (int cycle = 1; cycle <= 12; cycle++) {
            mergeAsOperator("/features/sensors/properties", new JsonObject()
                    .put("cycle", cycle).put("s2", 642.0 + 0.05 * cycle).put("s3", 1590.0 + 0.2 * cycle));
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonObject predictions = getThing().getJsonObject("features").getJsonObject("predictions", new JsonObject())
                    .getJsonObject("properties", new JsonObject());
            assertThat(predictions.getDouble("rulCycles")).isNotNull().isNotNegative();
            assertThat(predictions.getString("model")).endsWith("+rul-it");
            assertThat(predictions.getString("modelVersion")).endsWith("+1");
        });
    }

    private void startAnalytics(Path modelDir) {
        analytics = new AnalyticsService(fixture.vertx, fixture.analyticsConfig().withModelDir(modelDir),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(analytics.start());
    }

    private DittoClient connectOperator() throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(fixture.endpoints.dittoUrl().replaceFirst("^http", "ws"))
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(LocalStackFixture.OPERATOR).password(LocalStackFixture.OPERATOR_PASSWORD).build()));
        return DittoClients.newInstance(messaging).connect().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private void mergeAsOperator(String path, JsonObject value) {
        var response = await(http.patchAbs(fixture.endpoints.dittoUrl() + "/api/2/things/" + asset.deviceId() + path)
                .basicAuthentication(LocalStackFixture.OPERATOR, LocalStackFixture.OPERATOR_PASSWORD)
                .putHeader("content-type", "application/merge-patch+json")
                .sendBuffer(value.toBuffer()));
        assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 204);
    }

    private JsonObject getThing() {
        var response = await(http.getAbs(fixture.endpoints.dittoUrl() + "/api/2/things/" + asset.deviceId())
                .basicAuthentication(LocalStackFixture.OPERATOR, LocalStackFixture.OPERATOR_PASSWORD)
                .send());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    /** Four run-to-failure engines whose sensors drift with wear (C-MAPSS layout). */
    private static List<CmapssData.Unit> syntheticEngines() {
        Random random = new Random(4);
        List<CmapssData.Unit> units = new ArrayList<>();
        for (int id = 1; id <= 4; id++) {
            double[][] rows = new double[40 + 5 * id][CmapssData.COLUMNS.size()];
            for (int c = 0; c < rows.length; c++) {
                rows[c][0] = id;
                rows[c][1] = c + 1;
                for (int col = 2; col < rows[c].length; col++) {
                    rows[c][col] = (col == 6 ? 642.0 : 1590.0) + 0.05 * c + 0.1 * random.nextGaussian();
                }
            }
            units.add(new CmapssData.Unit(id, rows));
        }
        return units;
    }
}
