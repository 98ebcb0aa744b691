package io.twinworks.it;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.cli.up.UpSession;
import io.twinworks.dashboard.Browser;
import io.twinworks.dashboard.DashboardConfig;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.sim.SimConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's dashboard pictures, taken from a real {@code up --demo} session ({@link UpSession} as the
 * command runs it, dashboard included, no RUL model given so the demo trains its quick one as a user's
 * first run does; only the model clock is faster, 120x instead of 20x, so that the degrading pump is in
 * warning or alarm within a minute): the fleet page with every demo twin and its prediction, and the
 * degrading pump's asset page. They always go to {@code target/screenshots}; with
 * {@code -Dtwinworks.docs.write=true} also over {@code docs/}, together with
 * {@value DocsScreenshots#MANIFEST}, which {@link DocsScreenshotsCurrentTest} checks against today's demo
 * so that the pictures cannot silently go stale.
 */
class DemoScreenshotsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    private final StringWriter console = new StringWriter();
    private UpSession session;
    private Browser browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Test
    void theFleetAndTheDegradingPumpsAssetPageOfARealDemoAreCaptured() throws IOException {
        List<DemoDevice> pumps = DemoPlant.pumps(3);
        DemoDevice degrading = pumps.stream().filter(DemoPlant::degrading).findFirst().orElseThrow();
        LocalStackConfig stack = LocalStackConfig.fromEnv(Map.of()).withStateDir(stateDir.resolve("state"))
                .withPorts(0, 0, 0).withDitto(0, Map.of("ditto", "ditto"));
        AnalyticsConfig analytics = AnalyticsConfig.fromEnv(Map.of()).withHttpPort(0).withModelDir(stateDir.resolve("models"));
        SimConfig sim = SimConfig.fromEnv(Map.of()).withHttpPort(0);
        session = UpSession.start(stack, DashboardConfig.fromEnv(Map.of()).withHttpPort(0),
                new UpSession.DemoOptions(pumps, new Demo.FleetSettings(120, 0.05, 1), analytics, sim),
                new PrintWriter(console, true));
        Demo demo = session.demo().orElseThrow();

        // what the pictures are meant to show: every pump predicted, the degrading one not ok, the engine's RUL
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Object twin : await(demo.readTwins())) {
                assertThat(predictions((JsonObject) twin).getString("healthState"))
                        .as("health of %s", ((JsonObject) twin).getString("thingId")).isNotNull();
            }
            assertThat(predictions(await(demo.readEngine())).getValue("rulCycles")).as("the engine's RUL").isNotNull();
            JsonObject degradingTwin = await(demo.readTwins()).stream().map(JsonObject.class::cast)
                    .filter(twin -> twin.getString("thingId").equals(degrading.deviceId())).findFirst().orElseThrow();
            assertThat(predictions(degradingTwin).getString("healthState")).isIn("warning", "alarm");
        });

        browser = new Browser(1280, 860);
        String url = session.dashboardUrl().orElseThrow();
        browser.signIn(url, "ditto", "ditto");
        List<String> expected = DocsScreenshots.demoTwins();
        browser.waitFor(PATIENCE, d -> listedTwins().containsAll(expected)
                && listedHealth().stream().filter(health -> !health.isEmpty()).count() >= pumps.size());
        List<String> shown = listedTwins().stream().sorted().toList();
        assertThat(shown).containsExactlyElementsOf(expected);
        Path fleet = browser.screenshot("docs-dashboard-fleet");

        browser.open(url + "#/asset/" + degrading.deviceId());
        browser.waitFor(PATIENCE, d -> browser.text("#asset-history-note").contains("recorded revisions")
                && !d.findElements(By.cssSelector("#chart-vibration-rms canvas")).isEmpty()
                && !d.findElements(By.cssSelector("#chart-anomaly canvas")).isEmpty()
                && browser.text("#asset-live").equals("live"));
        Path asset = browser.screenshotOfWholePage("docs-dashboard-asset");

        assertThat(Files.size(fleet)).isPositive();
        assertThat(Files.size(asset)).isPositive();
        if (Boolean.getBoolean("twinworks.docs.write")) {
            Files.copy(fleet, DocsScreenshots.DOCS.resolve(DocsScreenshots.FLEET), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(asset, DocsScreenshots.DOCS.resolve(DocsScreenshots.ASSET), StandardCopyOption.REPLACE_EXISTING);
            DocsScreenshots.writeManifest(shown, degrading.deviceId());
        }
    }

    private List<String> listedTwins() {
        return browser.strings("return [...document.querySelectorAll('#fleet-rows tr')].map(r => r.dataset.thingId)");
    }

    private List<String> listedHealth() {
        return browser.strings("return [...document.querySelectorAll('#fleet-rows td[data-health]')].map(c => c.dataset.health)");
    }

    private static JsonObject predictions(JsonObject twin) {
        return twin.getJsonObject("features", new JsonObject()).getJsonObject("predictions", new JsonObject())
                .getJsonObject("properties", new JsonObject());
    }
}
