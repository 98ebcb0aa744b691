package io.twinworks.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code twinworks provision} with the sample plant file against a local stack started empty. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisionCommandTest {

    private static final Path DEMO_PLANT = Path.of("../plants/demo.yaml");

    @TempDir
    static Path stateDir;
    private final Vertx vertx = Vertx.vertx();
    private LocalStack stack;
    private LocalStackEndpoints endpoints;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    void startEmptyStack() {
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir).withPorts(0, 0, 0).withDitto(0, Map.of("ditto", "ditto"));
        stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        endpoints = await(stack.start());
    }

    @AfterAll
    void stopStack() {
        await(stack.stop());
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        // bounded: a future that never completes fails the test (a CompletionException with a TimeoutException)
        // instead of parking the build until CI's limit
        return future.toCompletionStage().toCompletableFuture().orTimeout(2, java.util.concurrent.TimeUnit.MINUTES).join();
    }

    private Run provision(Path plant, String... extra) {
        List<String> args = new ArrayList<>(List.of("provision", "--plant", plant.toString(), "--ditto", endpoints.dittoUrl()));
        if (!List.of(extra).contains("--hono-registry")) {
            args.addAll(List.of("--hono-registry", endpoints.registryUrl()));
        }
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new TwinworksCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exit = command.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void dryRunOnAnEmptyStackPlansEverythingAndWritesNothing() {
        Run run = provision(DEMO_PLANT, "--dry-run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("would create  Hono tenant plant.a", "would create  Hono device plant.a:pump-3",
                "would create  Ditto policy plant.a:pump-1", "would create  Ditto thing plant.a:pump-2",
                "planned; run without --dry-run");
        assertThat(get(endpoints.registryUrl() + "/v1/tenants/plant.a")).isEqualTo(404);
    }

    @Test
    @Order(2)
    void firstRunCreatesTenantDevicesCredentialsPoliciesAndThingsAndSkipsTheBuiltInConnection() {
        Run run = provision(DEMO_PLANT);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("created       Hono tenant plant.a", "created       Hono credentials of plant.a:pump-1",
                "created       Ditto thing plant.a:pump-3",
                "skipped       Ditto connection hono-plant-a", "found the built-in connection twinworks-hono (kafka, read-only) on /api/2/connections",
                "17 change(s) applied.");
        JsonObject line = new JsonObject(getBody(endpoints.dittoUrl() + "/api/2/things/plant.a:line-1"));
        assertThat(line.getJsonObject("attributes").getJsonArray("stations")).hasSize(3);
        assertThat(line.getJsonObject("attributes").getString("type")).isEqualTo("production-line");
        assertThat(line.getJsonObject("features").getJsonObject("simulation").getJsonArray("definition").getString(0))
                .endsWith("line-simulation-1.0.0.tm.jsonld");
        JsonObject thing = new JsonObject(getBody(endpoints.dittoUrl() + "/api/2/things/plant.a:pump-1"));
        // the models are served where the definitions point: the local stack's own /models/ (the --ditto URL)
        assertThat(thing.getString("definition")).isEqualTo(endpoints.dittoUrl() + "/models/centrifugal-pump-1.0.0.tm.jsonld");
        assertThat(run.out()).contains("Thing Models " + endpoints.dittoUrl() + "/models/");
        assertThat(new JsonObject(getBody(thing.getString("definition"))).getString("id")).isEqualTo(thing.getString("definition"));
        assertThat(thing.getJsonObject("attributes").getMap()).containsEntry("tenant", "plant.a").containsEntry("location", "hall 1")
                .containsEntry("type", "centrifugal-pump");
        assertThat(thing.getJsonObject("features").fieldNames())
                .containsExactlyInAnyOrder("vibration", "temperature", "flow", "pressure", "drive", "predictions", "simulation");
        JsonObject device = new JsonObject(getBody(endpoints.registryUrl() + "/v1/devices/plant.a/plant.a:pump-3"));
        assertThat(device.getJsonObject("ext").getJsonObject("binding").getJsonObject("serial").getString("port")).isEqualTo("/dev/ttyUSB0");
    }

    @Test
    @Order(3)
    void secondRunChangesNothingAndSaysSo() {
        Run run = provision(DEMO_PLANT);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("No changes: everything is up to date.").doesNotContain("created", "updated");
    }

    @Test
    @Order(4)
    void aChangedAttributeIsMergedWithoutTouchingLiveFeatureValues(@TempDir Path dir) throws Exception {
        put(endpoints.dittoUrl() + "/api/2/things/plant.a:pump-1/features/vibration/properties/rms", "1.5");
        Path changed = dir.resolve("plant.yaml");
        Files.writeString(changed, Files.readString(DEMO_PLANT).replaceFirst("location: hall 1", "location: hall 9"));
        Run run = provision(changed);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("updated       Ditto thing plant.a:pump-1 (merge [attributes])", "1 change(s) applied.");
        JsonObject thing = new JsonObject(getBody(endpoints.dittoUrl() + "/api/2/things/plant.a:pump-1"));
        assertThat(thing.getJsonObject("attributes").getString("location")).isEqualTo("hall 9");
        assertThat(thing.getJsonObject("features").getJsonObject("vibration").getJsonObject("properties").getDouble("rms")).isEqualTo(1.5);
    }

    @Test
    @Order(5)
    void aRefusedRequestNamesTheStepAndTheServersAnswer() {
        Run run = provision(DEMO_PLANT, "--ditto-password", "wrong");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("step 'Ditto policy plant.a:pump-1' failed", "answered 401");
    }

    @Test
    @Order(5)
    void aModelsBaseUrlThatIsNoHttpUrlIsRefusedBeforeTouchingAnything() {
        Run run = provision(DEMO_PLANT, "--models-base-url", "ftp://models.example");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--models-base-url", "http");
        assertThat(run.out()).doesNotContain("created", "updated");
    }

    @Test
    @Order(5)
    void anUnknownConnectionTypeIsRefusedBeforeTouchingAnything() {
        Run run = provision(DEMO_PLANT, "--connection-type", "amqp");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--connection-type", "neither kafka nor hono");
    }

    @Test
    @Order(5)
    void theHonoTypeAgainstTheLocalStackFindsItsBuiltInConnection() {
        Run run = provision(DEMO_PLANT, "--connection-type", "hono", "--dry-run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Ditto connection hono-plant-a", "found the built-in connection twinworks-hono");
    }

    @Test
    @Order(5)
    void anotherModelsBaseUrlIsPlannedAsAnUpdateOfEveryDefinition() {
        Run run = provision(DEMO_PLANT, "--models-base-url", "https://twins.example.com", "--dry-run");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Thing Models https://twins.example.com/models/", "Ditto thing plant.a:pump-1");
        assertThat(run.out()).doesNotContain("No changes");
    }

    @Test
    @Order(6)
    void anUnreachableRegistryNamesTheStep() {
        Run run = provision(DEMO_PLANT, "--hono-registry", "http://127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("step 'Hono tenant plant.a' failed: GET /v1/tenants/plant.a: Connection refused: /127.0.0.1:1");
    }

    @Test
    @Order(7)
    void aBrokenPlantFileListsEveryProblemBeforeTouchingAnything(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, """
                tenant: plant.b
                subjects: {operators: [nginx:ditto]}
                colour: blue
                assets:
                  - name: pump-1
                    type: coffee-machine
                    credentials: {authId: p1}
                  - name: pump-2
                    type: centrifugal-pump
                    attributes: {ratedFlow: -5}
                    credentials: {authId: p2, passwordEnv: TWINWORKS_TEST_UNSET_PASSWORD}
                """);
        Run run = provision(broken);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("colour is not a known key", "at least one ADMIN", "assets[0].type 'coffee-machine' is no known Thing Model",
                "assets[0].credentials: password or passwordEnv is needed", "assets[1].attributes", "ratedFlow", "minimum",
                "TWINWORKS_TEST_UNSET_PASSWORD is not set");
        assertThat(get(endpoints.registryUrl() + "/v1/tenants/plant.b")).isEqualTo(404);
    }

    private static final String GATEWAY_PLANT = """
            tenant: plant.g
            subjects: {operators: [nginx:ditto], admins: [nginx:ditto], analytics: [nginx:analytics]}
            gateways:
              - name: adapter-1
                credentials: {authId: adapter-1, password: gw-secret}
            assets:
              - name: pump-1
                type: centrifugal-pump
                attributes: {location: hall 1, ratedFlow: 120, ratedHead: 45}
                credentials: {authId: pump-1, password: p1-secret}
                binding: {serial: {port: /dev/ttyUSB0}}
                via: [adapter-1]
            """;

    @Test
    @Order(8)
    void gatewaysAreRegisteredWithCredentialsAndAssetsNameThemInVia(@TempDir Path dir) throws Exception {
        Path plant = Files.writeString(dir.resolve("gw.yaml"), GATEWAY_PLANT);

        Run run = provision(plant);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("created       Hono device plant.g:adapter-1", "created       Hono credentials of plant.g:adapter-1")
                .doesNotContain("Ditto thing plant.g:adapter-1");
        JsonObject gateway = new JsonObject(getBody(endpoints.registryUrl() + "/v1/devices/plant.g/plant.g:adapter-1"));
        assertThat(gateway.getJsonObject("ext").getString("type")).isEqualTo("gateway");
        assertThat(getBody(endpoints.registryUrl() + "/v1/credentials/plant.g/plant.g:adapter-1")).contains("\"auth-id\":\"adapter-1\"");
        JsonObject device = new JsonObject(getBody(endpoints.registryUrl() + "/v1/devices/plant.g/plant.g:pump-1"));
        assertThat(device.getJsonArray("via").getList()).containsExactly("plant.g:adapter-1");
        assertThat(get(endpoints.dittoUrl() + "/api/2/things/plant.g:adapter-1")).isEqualTo(404);

        Run again = provision(plant);
        assertThat(again.out()).as("via compared, not rewritten").contains("No changes: everything is up to date.");

        Path without = Files.writeString(dir.resolve("gw2.yaml"), GATEWAY_PLANT.replace("via: [adapter-1]", ""));
        Run removed = provision(without);
        assertThat(removed.out()).contains("updated       Hono device plant.g:pump-1");
        device = new JsonObject(getBody(endpoints.registryUrl() + "/v1/devices/plant.g/plant.g:pump-1"));
        assertThat(device.getJsonArray("via", new io.vertx.core.json.JsonArray()).getList()).isEmpty();
    }

    @Test
    @Order(9)
    void anAssetNamingAnUnknownGatewayOrAGatewayWithoutPasswordIsRefusedBeforeTouchingAnything(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("broken-gw.yaml"), GATEWAY_PLANT.replace("plant.g", "plant.h")
                .replace("via: [adapter-1]", "via: [adapter-9]").replace("{authId: adapter-1, password: gw-secret}", "{authId: pump-1}"));

        Run run = provision(broken);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("assets[0].via names 'adapter-9', which is not in gateways",
                "gateways[0].credentials: password or passwordEnv is needed");
        assertThat(get(endpoints.registryUrl() + "/v1/tenants/plant.h")).isEqualTo(404);
    }

    private int get(String url) {
        WebClient client = WebClient.create(vertx);
        try {
            return await(client.getAbs(url).basicAuthentication("ditto", "ditto").send()).statusCode();
        } finally {
            client.close();
        }
    }

    private String getBody(String url) {
        WebClient client = WebClient.create(vertx);
        try {
            return await(client.getAbs(url).basicAuthentication("ditto", "ditto").send()).bodyAsString();
        } finally {
            client.close();
        }
    }

    private void put(String url, String body) {
        WebClient client = WebClient.create(vertx);
        try {
            int status = await(client.putAbs(url).basicAuthentication("ditto", "ditto").putHeader("content-type", "application/json")
                    .sendBuffer(io.vertx.core.buffer.Buffer.buffer(body))).statusCode();
            assertThat(status).isIn(201, 204);
        } finally {
            client.close();
        }
    }
}
