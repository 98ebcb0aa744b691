package io.twinworks.it;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.cli.up.UpSession;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.sim.SimConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code twinworks up --demo} with an empty model directory: the demo trains a RUL model in the
 * background from the committed C-MAPSS units, the analytics service hot-loads it, and the demo's
 * turbofan engine (replaying recorded unit 7 over Hono MQTT into a Thing-Model twin) gets
 * {@code rulCycles} in {@code /features/predictions}; the status block shows it.
 */
class DemoRulIT {

    @TempDir
    Path stateDir;

    @TempDir
    Path models;

    private final StringWriter console = new StringWriter();
    private UpSession session;

    @AfterEach
    void stopDemo() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void theReplayedEngineGetsRulCyclesOnceTheBackgroundModelIsLoaded() throws Exception {
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir).withPorts(0, 0, 0).withDitto(0, Map.of("ditto", "ditto"));
        AnalyticsConfig analytics = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_DITTO_PASSWORD", "analytics-secret",
                "TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS", "500", "TWINWORKS_ANALYTICS_MODEL_POLL_MS", "1000"))
                .withHttpPort(0).withModelDir(models);
        SimConfig sim = SimConfig.fromEnv(Map.of("TWINWORKS_SIM_DITTO_PASSWORD", "simulation-secret")).withHttpPort(0);
        session = UpSession.start(config, new UpSession.DemoOptions(DemoPlant.pumps(1), Demo.FleetSettings.DEFAULT, analytics, sim),
                new PrintWriter(console, true));
        Demo demo = session.demo().orElseThrow();

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonObject predictions = await(demo.readEngine()).getJsonObject("features", new JsonObject())
                    .getJsonObject("predictions", new JsonObject()).getJsonObject("properties", new JsonObject());
            assertThat(predictions.getValue("rulCycles")).as("rulCycles of %s (console:%n%s)", demo.engineDevice().deviceId(), console)
                    .isInstanceOf(Number.class);
            assertThat(predictions.getDouble("rulCycles")).isBetween(0.0, 200.0);
            assertThat(predictions.getString("model")).endsWith("+" + io.twinworks.cli.demo.DemoRulModel.NAME);
        });
        assertThat(console.toString()).contains("training a quick one in the background").contains("trained in");
        try (var entries = Files.list(models)) {
            assertThat(entries.map(p -> p.getFileName().toString())).contains(io.twinworks.cli.demo.DemoRulModel.NAME + "-1");
        }
        // the demo serves the default model's kind (its inputs and summary features), only less trained
        io.twinworks.analytics.ml.RulModel served = io.twinworks.analytics.ml.RulModel.load(
                models.resolve(io.twinworks.cli.demo.DemoRulModel.NAME + "-1"));
        assertThat(served.features()).isEqualTo(io.twinworks.analytics.ml.RulTraining.Settings.defaults().features());
        assertThat(served.baselineCycles()).isPositive();
        io.vertx.ext.web.client.WebClient http = io.vertx.ext.web.client.WebClient.create(session.vertx());
        var response = await(http.getAbs(session.endpoints().dittoUrl() + "/api/2/things/" + demo.engineDevice().deviceId()
                + "/features/sensors/properties").basicAuthentication("ditto", "ditto").send());
        http.close();
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        JsonObject sensors = response.bodyAsJsonObject();
        assertThat(sensors.getInteger("cycle")).isPositive();
        assertThat(sensors.getDouble("T24")).isBetween(640.0, 645.0);

        await(demo.printStatus());
        assertThat(console.toString()).contains(demo.engineDevice().deviceId()).contains(" rul");
    }
}
