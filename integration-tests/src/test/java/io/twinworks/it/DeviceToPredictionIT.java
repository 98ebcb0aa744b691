package io.twinworks.it;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop with a client nobody here wrote: {@code mosquitto_pub} publishes Ditto Protocol
 * merges as a Hono device → Kafka northbound → twin updated → analytics (Ditto's Java client over
 * the WebSocket) → {@code predictions} feature, read back over Ditto's HTTP API. The twin is provisioned
 * from the pump's Thing Model, so the local stack's WoT validation checks every reading.
 */
class DeviceToPredictionIT {

    @TempDir
    Path stateDir;

    private LocalStackFixture fixture;
    private AnalyticsService analytics;
    private WebClient http;
    private final DemoDevice pump = DemoPlant.pumps(1).get(0);

    @BeforeEach
    void startStack() throws Exception {
        requireCommand("mosquitto_pub");
        fixture = new LocalStackFixture(stateDir);
        // as twinworks provision does: Hono device, Ditto policy from the role templates, twin from the Thing Model
        await(Demo.provision(fixture.vertx, fixture.endpoints, LocalStackFixture.OPERATOR, LocalStackFixture.OPERATOR_PASSWORD,
                List.of(pump), Demo.subjects(fixture.config.dittoHonoSubjects(), "nginx:" + LocalStackFixture.ANALYTICS,
                        "nginx:simulation", "nginx:" + LocalStackFixture.OPERATOR)));
        analytics = new AnalyticsService(fixture.vertx, fixture.analyticsConfig(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(analytics.start());
        http = WebClient.create(fixture.vertx);
    }

    @AfterEach
    void stopStack() {
        if (analytics != null) {
            await(analytics.stop());
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void mosquittoPublishedMergesUpdateTheTwinAndAPredictionAppears() throws Exception {
        for (int seq = 1; seq <= 8; seq++) {
            publish(mergeOfVibration(1.0 + 0.01 * (seq % 3), seq));
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonObject thing = getThing();
            assertThat(properties(thing, "vibration").getInteger("seq")).isEqualTo(8);
            JsonObject predictions = properties(thing, "predictions");
            assertThat(predictions.getString("healthState")).isEqualTo("ok");
            assertThat(predictions.getDouble("anomalyScore")).isBetween(0.0, 1.0);
            assertThat(predictions.getLong("basedOnRevision")).isPositive();
            assertThat(predictions.getString("model")).isNotBlank();
        });
    }

    @Test
    void aVibrationFarOutsideNormalOperationRaisesAnAlarmOnTheTwin() throws Exception {
        for (int seq = 1; seq <= 6; seq++) {
            publish(mergeOfVibration(1.0 + 0.01 * (seq % 3), seq));
        }
        for (int seq = 7; seq <= 10; seq++) {
            publish(mergeOfVibration(4.0, seq));
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonObject predictions = properties(getThing(), "predictions");
            assertThat(predictions.getString("healthState")).isEqualTo("alarm");
            assertThat(predictions.getDouble("anomalyScore")).isGreaterThan(0.9);
        });
    }

    @Test
    void theDeviceCannotWriteTheAnalyticsFeature() throws Exception {
        publish(new JsonObject()
                .put("topic", pump.namespace() + "/" + pump.name() + "/things/twin/commands/merge")
                .put("headers", new JsonObject().put("content-type", "application/merge-patch+json"))
                .put("path", "/features/predictions/properties")
                .put("value", new JsonObject().put("healthState", "ok").put("anomalyScore", 0.0))
                .encode());
        publish(mergeOfVibration(1.0, 1));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(properties(getThing(), "vibration").getDouble("rms")).isEqualTo(1.0));
        assertThat(properties(getThing(), "predictions")).isEmpty();
    }

    /** The properties of a feature, empty if the feature or its properties are absent. */
    private static JsonObject properties(JsonObject thing, String featureId) {
        return thing.getJsonObject("features", new JsonObject())
                .getJsonObject(featureId, new JsonObject())
                .getJsonObject("properties", new JsonObject());
    }

    private JsonObject getThing() {
        var response = await(http.getAbs(fixture.endpoints.dittoUrl() + "/api/2/things/" + pump.deviceId())
                .basicAuthentication(LocalStackFixture.OPERATOR, LocalStackFixture.OPERATOR_PASSWORD)
                .send());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private String mergeOfVibration(double rms, int seq) {
        return new JsonObject()
                .put("topic", pump.namespace() + "/" + pump.name() + "/things/twin/commands/merge")
                .put("headers", new JsonObject().put("content-type", "application/merge-patch+json"))
                .put("path", "/features/vibration/properties")
                .put("value", new JsonObject().put("rms", rms).put("seq", seq))
                .encode();
    }

    /** One QoS 1 publish by mosquitto_pub (MQTT 5, Ditto Protocol content type); returns after PUBACK. */
    private void publish(String payload) throws Exception {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-V", "mqttv5",
                "-h", "127.0.0.1", "-p", String.valueOf(fixture.mqttPort()),
                "-u", pump.username(), "-P", pump.password(),
                "-q", "1", "-t", "telemetry",
                "-D", "publish", "content-type", "application/vnd.eclipse.ditto+json",
                "-m", payload));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("mosquitto_pub exit code, output: " + output).isZero();
    }

    /** A contract test needing a peer fails loudly (never skips) when the peer is missing. */
    static void requireCommand(String command) throws Exception {
        Process which = new ProcessBuilder("sh", "-c", "command -v " + command).start();
        assertThat(which.waitFor()).as(command + " is required (apt-get install mosquitto-clients; ./run-tests installs it)").isZero();
    }
}
