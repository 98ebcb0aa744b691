package io.twinworks.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.sim.SimConfig;
import io.twinworks.sim.SimService;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against a whole local stack with the
 * analytics service: what an operator sees, and that Ditto's policies apply per signed-in user.
 * Screenshots go to target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {

    private static final Duration PATIENCE = Duration.ofSeconds(45);

    private DashboardStackFixture fixture;
    private Browser browser;
    private String url;

    @BeforeAll
    void start(@TempDir Path stateDir) {
        fixture = new DashboardStackFixture(stateDir);
        fixture.publishTelemetryEvery(300);
        url = fixture.dashboard.url();
        browser = new Browser(1280, 860);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void screenshotOfTheEnd(TestInfo test) {
        browser.screenshot("end-of-" + test.getTestMethod().orElseThrow().getName());
    }

    /** The twins listed in the fleet table, top to bottom (read in one script: rows are re-rendered live). */
    private List<String> listedTwins() {
        return browser.strings("return [...document.querySelectorAll('#fleet-rows tr')].map(r => r.dataset.thingId)");
    }

    /** The health state shown per listed twin ('' before the first prediction). */
    private List<String> listedHealth() {
        return browser.strings("return [...document.querySelectorAll('#fleet-rows td[data-health]')]"
                + ".map(c => c.dataset.health)");
    }

    @Test
    void fleetListsEveryTwinWithItsPredictionWorstFirst() {
        browser.signIn(url, DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
        browser.waitFor(PATIENCE, d -> listedTwins().size() == 3);
        assertThat(listedTwins()).containsExactlyInAnyOrderElementsOf(DashboardStackFixture.TWINS);
        // live over SSE: the analytics service's predictions appear without a reload
        browser.waitFor(PATIENCE, d -> listedHealth().size() == 3 && !listedHealth().contains(""));
        // the drifting pump-3 is scored worst and listed first
        browser.waitFor(PATIENCE, d -> listedTwins().get(0).equals("demo.plant:pump-3"));
        assertThat(browser.text("#fleet-live")).isEqualTo("live");
        assertThat(browser.strings("return [document.querySelector('#fleet-rows tr').textContent]").get(0))
                .contains("centrifugal-pump");
        browser.screenshot("fleet");
    }

    @Test
    void fleetFilterIsDittoRql() {
        browser.signIn(url, DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
        browser.waitFor(PATIENCE, d -> listedTwins().size() == 3);
        WebElement filter = browser.find("#fleet-filter");
        filter.sendKeys("eq(thingId,\"demo.plant:pump-2\")");
        browser.find("form[role=search] button[type=submit]").click();
        browser.waitFor(PATIENCE, d -> listedTwins().equals(List.of("demo.plant:pump-2")));

        filter.clear();
        filter.sendKeys("eq(thingId");
        browser.find("form[role=search] button[type=submit]").click();
        browser.waitFor(PATIENCE, d -> d.findElement(By.id("fleet-filter-error")).getText()
                .contains("Ditto refused the search"));
        // the table keeps what the last valid filter found
        assertThat(listedTwins()).containsExactly("demo.plant:pump-2");
    }

    @Test
    void userWithoutReadOnATwinDoesNotSeeIt() {
        browser.signIn(url, DashboardStackFixture.VIEWER, DashboardStackFixture.VIEWER_PASSWORD);
        browser.waitFor(PATIENCE, d -> listedTwins().size() == 1);
        // give the live stream time to deliver changes of the other twins, had it leaked any
        browser.waitFor(PATIENCE, d -> listedHealth().size() == 1 && !listedHealth().get(0).isEmpty());
        assertThat(listedTwins()).containsExactly(DashboardStackFixture.VIEWER_TWIN);
        browser.screenshot("fleet-viewer");
    }

    @Test
    void wrongPasswordIsRefusedWithAMessage() {
        browser.open(url);
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("sessionStorage.clear();");
        browser.driver.navigate().refresh();
        browser.waitFor(PATIENCE, d -> d.findElement(By.id("login-user")).isDisplayed());
        browser.find("#login-user").sendKeys(DashboardStackFixture.OPERATOR);
        browser.find("#login-password").sendKeys("not-the-password");
        browser.find("#login-form button[type=submit]").click();
        browser.waitFor(PATIENCE, d -> !d.findElement(By.id("login-error")).getText().isEmpty());
        assertThat(browser.find("#login-error").getText()).contains("refused");
        assertThat(browser.find("#login").isDisplayed()).isTrue();
    }

    @Test
    void assetPageShowsHistoryAndAValueChangesAfterNewTelemetry() {
        String twin = "demo.plant:pump-2";
        browser.signIn(url, DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
        browser.waitFor(PATIENCE, d -> listedTwins().contains(twin));
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "document.querySelector(`#fleet-rows tr[data-thing-id='${arguments[0]}'] a`).click();", twin);
        // history from Ditto's history API: charts of the sensors and of the anomaly score, then live
        browser.waitFor(PATIENCE, d -> browser.text("#asset-history-note").contains("recorded revisions"));
        browser.waitFor(PATIENCE, d -> !d.findElements(By.cssSelector("#chart-vibration-rms canvas")).isEmpty()
                && !d.findElements(By.cssSelector("#chart-anomaly canvas")).isEmpty());
        browser.waitFor(PATIENCE, d -> browser.text("#asset-live").equals("live"));
        assertThat(browser.text("#prediction-model"))
                .isEqualTo(io.twinworks.analytics.TwinAnalytics.MODEL + " v" + io.twinworks.analytics.TwinAnalytics.MODEL_VERSION);

        fixture.quiet(twin, true);
        try {
            DashboardStackFixture.await(fixture.publish(twin, 0.4321, 61.5));
            browser.waitFor(PATIENCE, d -> browser.text("#value-vibration-rms").equals("0.432"));
            assertThat(browser.text("#value-temperature-value")).isEqualTo("61.500");
            browser.screenshotOfWholePage("asset");
        } finally {
            fixture.quiet(twin, false);
        }
    }

    @Test
    void assetOfATwinWithoutReadIsNotShown() {
        browser.signIn(url, DashboardStackFixture.VIEWER, DashboardStackFixture.VIEWER_PASSWORD);
        browser.open(url + "#/asset/demo.plant:pump-2");
        // one read per poll: the view may replace the element between a lookup and a second one (seen in CI)
        browser.waitFor(PATIENCE, d -> browser.text("#asset-error").contains("does not exist, or you may not read it"));
        assertThat(browser.driver.findElements(By.id("asset-values"))).isEmpty();
    }

    @Test
    void whatIfFormAsksTheSimulationServiceAndPlotsItsTrajectory() throws Exception {
        String twin = "demo.plant:pump-1";
        // the real simulation service, as its own least-privilege subject (fixture policy entry SIM)
        SimService sim = new SimService(fixture.vertx, SimConfig.fromEnv(java.util.Map.of())
                .withDitto(java.net.URI.create(fixture.endpoints.dittoUrl().replaceFirst("^http", "ws")),
                        DashboardStackFixture.SIM, DashboardStackFixture.SIM_PASSWORD)
                .withHttpPort(0), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        sim.start().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        try {
            browser.signIn(url, DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
            browser.open(url + "#/asset/" + twin);
            browser.waitFor(PATIENCE, d -> !d.findElements(By.id("whatif-form")).isEmpty());
            WebElement load = browser.find("#whatif-form input[name=loadPercent]");
            load.clear();
            load.sendKeys("125");
            browser.click("#whatif-form button[type=submit]");

            browser.waitFor(PATIENCE, d -> !browser.text("#whatif-summary").isEmpty());
            assertThat(browser.text("#whatif-summary")).matches("Threshold (reached in .* h \\(.* days\\)|not reached within the horizon)\\.");
            assertThat(browser.driver.findElements(By.cssSelector("#whatif-chart canvas"))).isNotEmpty();
            // the answer was also merged into the twin by the simulation service, with the form's scenario
            io.vertx.core.json.JsonObject simulation = fixture.featureProperties(twin, "simulation");
            assertThat(simulation.getJsonObject("scenario").getDouble("loadFactor")).isEqualTo(1.25);
            assertThat(simulation.getJsonObject("scenario").getDouble("horizonHours")).isEqualTo(168.0);
            assertThat(simulation.getJsonArray("trajectory")).isNotEmpty();
            browser.screenshotOfWholePage("asset-whatif");
        } finally {
            sim.stop().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void whatIfWithoutASimulationServiceSaysSoAfterTheTimeout() {
        browser.signIn(url, DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
        browser.open(url + "#/asset/demo.plant:pump-1");
        browser.waitFor(PATIENCE, d -> !d.findElements(By.id("whatif-form")).isEmpty());
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "document.querySelector('#whatif-form').dataset.timeoutSeconds = '1'");
        browser.click("#whatif-form button[type=submit]");
        browser.waitFor(PATIENCE, d -> !browser.text("#whatif-error").isEmpty());
        assertThat(browser.text("#whatif-error")).isEqualTo("No simulation service answered within 1 s.");
    }

    @Test
    void alarmsListHealthStateChangesFromHistory() {
        browser.signIn(url, DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
        browser.open(url + "#/alarms");
        browser.waitFor(PATIENCE, d -> browser.text("#alarms-note").contains("changes of 3 twins"));
        // the drifting pump-3 went to alarm; every twin's first prediction is a change from nothing
        browser.waitFor(PATIENCE, d -> browser.strings("return [...document.querySelectorAll('#alarm-rows tr')]"
                + ".map(r => r.dataset.thingId + '>' + r.dataset.to)").contains("demo.plant:pump-3>alarm"));
        assertThat(browser.strings("return [...document.querySelectorAll('#alarm-rows tr')].map(r => r.dataset.thingId)"))
                .containsAll(DashboardStackFixture.TWINS);
        browser.screenshot("alarms");
    }
}
