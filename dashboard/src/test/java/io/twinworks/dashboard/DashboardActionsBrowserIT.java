package io.twinworks.dashboard;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingSkeleton;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asset page's action forms in a real browser: built from the twin's Thing Model (its {@code definition}),
 * sent as live messages through the local stack's Hono connection to a device subscribed over MQTT (Vert.x's MQTT
 * client as the device), whose answer — success or error status — the page shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardActionsBrowserIT {

    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String TENANT = "demo.plant";
    private static final String PUMP = "demo.plant:pump-9";
    private static final String DEFINITION = "https://twinworks.io/models/centrifugal-pump-1.0.0.tm.jsonld";

    private DashboardStackFixture fixture;
    private Browser browser;
    private MqttClient device;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path stateDir) throws Exception {
        fixture = new DashboardStackFixture(stateDir);
        String registry = fixture.endpoints.registryUrl();
        expect2xx(fixture.http.postAbs(registry + "/v1/tenants/" + TENANT).send());
        expect2xx(fixture.http.postAbs(registry + "/v1/devices/" + TENANT + "/" + PUMP).send());
        expect2xx(fixture.http.putAbs(registry + "/v1/credentials/" + TENANT + "/" + PUMP)
                .sendJson(new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", "pump-9")
                        .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", "pump-9-secret"))))));
        JsonObject all = new JsonObject().put("grant", new JsonArray().add("READ").add("WRITE")).put("revoke", new JsonArray());
        JsonObject policy = new JsonObject().put("entries", new JsonObject()
                .put("OPERATOR", new JsonObject()
                        .put("subjects", new JsonObject().put("nginx:" + DashboardStackFixture.OPERATOR,
                                new JsonObject().put("type", "test user")))
                        .put("resources", new JsonObject().put("thing:/", all).put("policy:/", all).put("message:/", all)))
                .put("DEVICE", new JsonObject()
                        .put("subjects", new JsonObject().put("pre-authenticated:hono-connection",
                                new JsonObject().put("type", "Hono connection")))
                        .put("resources", new JsonObject().put("message:/inbox/messages", new JsonObject()
                                .put("grant", new JsonArray().add("READ")).put("revoke", new JsonArray())))));
        expect2xx(fixture.http.putAbs(fixture.endpoints.dittoUrl() + "/api/2/policies/" + PUMP)
                .basicAuthentication(DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD)
                .sendJsonObject(policy));
        // the twin as provisioning creates it: the skeleton of its Thing Model (WoT validation is on)
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        JsonObject thing = new JsonObject(new ThingSkeleton(catalog).skeleton(catalog.require(DEFINITION),
                        Map.of("tenant", com.fasterxml.jackson.databind.node.TextNode.valueOf(TENANT)))
                .toString()).put("policyId", PUMP);
        expect2xx(fixture.http.putAbs(fixture.endpoints.dittoUrl() + "/api/2/things/" + PUMP)
                .basicAuthentication(DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD)
                .sendJsonObject(thing));

        device = MqttClient.create(fixture.vertx, new MqttClientOptions().setClientId("pump-9")
                .setUsername("pump-9@" + TENANT).setPassword("pump-9-secret"));
        device.publishHandler(message -> {
            String[] topic = message.topicName().split("/", -1); // command///req/<req-id>/<name>
            String payload = message.payload().toString(StandardCharsets.UTF_8);
            received.add(topic[5] + " " + payload);
            boolean ok = topic[5].equals("setSpeed");
            String answer = ok ? new JsonObject().put("rpm", new JsonObject(payload).getValue("rpm")).put("running", true).encode()
                    : new JsonObject().put("error", "the pump tripped: the alarm clears with its repair").encode();
            device.publish("command///res/" + topic[4] + "/" + (ok ? 200 : 409) + "/?content-type=application%2Fjson",
                    Buffer.buffer(answer), MqttQoS.AT_LEAST_ONCE, false, false);
        });
        URI mqtt = URI.create(fixture.endpoints.mqttUri());
        device.connect(mqtt.getPort(), mqtt.getHost()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        device.subscribe("command///req/#", 1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        browser = new Browser(1280, 860);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (device != null && device.isConnected()) {
            device.disconnect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static void expect2xx(io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<Buffer>> request) throws Exception {
        var response = request.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode() / 100).as(response.bodyAsString()).isEqualTo(2);
    }

    private void openAsset() {
        browser.signIn(fixture.dashboard.url(), DashboardStackFixture.OPERATOR, DashboardStackFixture.OPERATOR_PASSWORD);
        browser.open(fixture.dashboard.url() + "#/asset/" + PUMP);
        browser.waitFor(PATIENCE, d -> !d.findElements(By.id("action-setSpeed")).isEmpty());
    }

    @Test
    void theThingModelsActionsAreFormsAndSetSpeedShowsTheDevicesAnswer() {
        openAsset();
        assertThat(browser.driver.findElements(By.cssSelector("form.action"))).extracting(f -> f.getAttribute("data-action"))
                .containsExactly("setSpeed", "stop", "resetAlarm");
        WebElement rpm = browser.find("#action-setSpeed input[name=rpm]");
        assertThat(rpm.getAttribute("max")).isEqualTo("20000");
        rpm.sendKeys("1200");
        browser.click("#action-setSpeed button[type=submit]");

        browser.waitFor(PATIENCE, d -> browser.text("#action-answer").contains("answered"));
        assertThat(browser.text("#action-answer")).contains("\"rpm\":1200").contains("\"running\":true");
        assertThat(received).contains("setSpeed {\"rpm\":1200}");
        browser.screenshotOfWholePage("asset-actions");
    }

    @Test
    void anErrorStatusOfTheDeviceIsShownAsAnError() {
        openAsset();
        browser.click("#action-resetAlarm button[type=submit]");

        browser.waitFor(PATIENCE, d -> "409".equals(d.findElement(By.id("action-answer")).getAttribute("data-status")));
        assertThat(browser.text("#action-answer")).contains("resetAlarm: 409").contains("tripped");
    }
}
