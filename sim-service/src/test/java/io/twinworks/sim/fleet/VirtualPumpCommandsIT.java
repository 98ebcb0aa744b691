package io.twinworks.sim.fleet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.twinworks.sim.model.PumpParameters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;


/**
 * The demo's loop closed: a live message to a virtual pump's twin (HTTP messages API of the local stack) becomes a
 * Hono command, the {@link VirtualFleet} pump answers it, and its next readings in the twin follow the command.
 */
class VirtualPumpCommandsIT {

    private static final String TENANT = "plant.a";
    private static final String PUMP = "plant.a:pump-1";

    @TempDir
    Path stateDir;

    private final Vertx vertx = Vertx.vertx();
    private LocalStack stack;
    private LocalStackEndpoints endpoints;
    private WebClient http;
    private VirtualFleet fleet;

    @BeforeEach
    void start() throws Exception {
        stack = new LocalStack(vertx, LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir).withPorts(0, 0, 0)
                .withDitto(0, Map.of("ditto", "ditto")), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        endpoints = await(stack.start());
        http = WebClient.create(vertx);
        ok(http.postAbs(endpoints.registryUrl() + "/v1/tenants/" + TENANT).send());
        ok(http.postAbs(endpoints.registryUrl() + "/v1/devices/" + TENANT + "/" + PUMP).send());
        ok(http.putAbs(endpoints.registryUrl() + "/v1/credentials/" + TENANT + "/" + PUMP)
                .sendJson(new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", "pump-1")
                        .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", "pump-secret"))))));
        JsonObject readWrite = new JsonObject().put("grant", new JsonArray().add("READ").add("WRITE")).put("revoke", new JsonArray());
        ok(http.putAbs(endpoints.dittoUrl() + "/api/2/policies/" + PUMP).basicAuthentication("ditto", "ditto")
                .sendJsonObject(new JsonObject().put("entries", new JsonObject()
                        .put("OPERATOR", new JsonObject()
                                .put("subjects", new JsonObject().put("nginx:ditto", new JsonObject().put("type", "operator")))
                                .put("resources", new JsonObject().put("thing:/", readWrite).put("policy:/", readWrite)
                                        .put("message:/", readWrite)))
                        .put("DEVICE", new JsonObject()
                                .put("subjects", new JsonObject().put("pre-authenticated:hono-connection",
                                        new JsonObject().put("type", "Hono connection")))
                                .put("resources", new JsonObject().put("thing:/features", readWrite)
                                        .put("message:/inbox/messages", new JsonObject()
                                                .put("grant", new JsonArray().add("READ")).put("revoke", new JsonArray())))))));
        ok(http.putAbs(endpoints.dittoUrl() + "/api/2/things/" + PUMP).basicAuthentication("ditto", "ditto")
                .sendJsonObject(new JsonObject().put("policyId", PUMP)));
        fleet = new VirtualFleet(endpoints.mqttUri(), TENANT, List.of(new FleetAsset(PUMP, "pump-1", "pump-secret",
                PumpParameters.STANDARD, List.of(), 7)), List.of(), 5, 60);
        fleet.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        await(stack.stop());
        await(vertx.close());
    }

    @Test
    void setSpeedIsAnsweredByThePumpAndItsReadingsFollow() throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> drive().getInteger("speed", -1) == 1450);
        double nominalFlow = property("flow", "value");

        HttpResponse<Buffer> answer = send("setSpeed", "{\"rpm\":1015}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(answer.bodyAsJsonObject().getDouble("rpm")).isEqualTo(1015.0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> drive().getInteger("speed", -1) == 1015);
        assertThat(property("flow", "value")).isLessThan(nominalFlow);
    }

    @Test
    void stopStopsThePumpAndBadOrUnknownCommandsAreRefused() throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> drive().getBoolean("running", false));

        assertThat(send("stop", "{}").statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !drive().getBoolean("running", true)
                && property("flow", "value") == 0.0);
        assertThat(drive().getBoolean("alarmActive")).isFalse();

        HttpResponse<Buffer> tooFast = send("setSpeed", "{\"rpm\":9000}");
        assertThat(tooFast.statusCode()).isEqualTo(400);
        assertThat(tooFast.bodyAsJsonObject().getString("error")).contains("speed range");
        assertThat(send("selfDestruct", "{}").statusCode()).isEqualTo(404);
        assertThat(fleet.commandsAnswered()).isEqualTo(3);
    }

    private HttpResponse<Buffer> send(String subject, String json) throws Exception {
        return await(http.postAbs(endpoints.dittoUrl() + "/api/2/things/" + PUMP + "/inbox/messages/" + subject)
                .addQueryParam("timeout", "10")
                .basicAuthentication("ditto", "ditto")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(json)));
    }

    private JsonObject drive() throws Exception {
        return features().getJsonObject("drive", new JsonObject()).getJsonObject("properties", new JsonObject());
    }

    private double property(String feature, String property) throws Exception {
        return features().getJsonObject(feature).getJsonObject("properties").getDouble(property);
    }

    private JsonObject features() throws Exception {
        HttpResponse<Buffer> response = await(http.getAbs(endpoints.dittoUrl() + "/api/2/things/" + PUMP + "/features")
                .basicAuthentication("ditto", "ditto").send());
        return response.statusCode() == 200 ? response.bodyAsJsonObject() : new JsonObject();
    }

    private static void ok(Future<HttpResponse<Buffer>> request) throws Exception {
        HttpResponse<Buffer> response = await(request);
        assertThat(response.statusCode() / 100).as(response.bodyAsString()).isEqualTo(2);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

}
