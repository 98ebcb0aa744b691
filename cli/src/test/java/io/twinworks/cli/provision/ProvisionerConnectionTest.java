package io.twinworks.cli.provision;

import io.twinworks.cli.provision.plant.Plant;
import io.twinworks.cli.provision.plant.PlantFile;
import io.twinworks.connections.HonoConnectionType;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.policies.PolicyTemplates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connection step against servers answering as Ditto 3.x's connections API does (a stored connection comes back
 * with Ditto's defaults added) and as Ditto 2.x does (no {@code /api/2/connections}, the devops piggyback API only):
 * create, leave alone, replace, and the hono type refused where Ditto cannot have it. The local stack's built-in
 * connection is covered by {@code ProvisionCommandTest} against the real local stack.
 */
class ProvisionerConnectionTest {

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, JsonObject> stored = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static Plant plant() throws Exception {
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath().rebased(ModelsBaseUrl.parse("http://models.example"));
        return new PlantFile(catalog, Map.of()).read(Path.of("src/test/resources/every-model-plant.yaml"));
    }

    /** Ditto 3.x: connections under /api/2/connections, stored with defaults Ditto adds, devops credentials required. */
    private void startDitto3() {
        start(request -> request.body().onSuccess(body -> {
            requests.add(request.method() + " " + request.path());
            if (!"Basic ZGV2b3BzOmZvb2Jhcg==".equals(request.getHeader("Authorization"))) {
                request.response().setStatusCode(401).end(new JsonObject().put("status", 401).put("error", "gateway:authentication.failed").encode());
                return;
            }
            String id = request.path().substring("/api/2/connections".length()).replaceFirst("^/", "");
            if (request.path().equals("/api/2/connections")) {
                request.response().end(new io.vertx.core.json.JsonArray(List.copyOf(stored.values())).encode());
            } else if (request.method().name().equals("GET")) {
                JsonObject connection = stored.get(id);
                request.response().setStatusCode(connection == null ? 404 : 200).end(connection != null ? connection.encode()
                        : new JsonObject().put("status", 404).put("error", "connectivity:connection.notfound").encode());
            } else if (request.method().name().equals("PUT")) {
                boolean existed = stored.containsKey(id);
                JsonObject withDefaults = body.toJsonObject().put("clientCount", 1).put("validateCertificates", true)
                        .put("processorPoolSize", 1).put("tags", new io.vertx.core.json.JsonArray());
                stored.put(id, withDefaults);
                request.response().setStatusCode(existed ? 204 : 201).end(existed ? "" : withDefaults.encode());
            }
        }));
    }

    /** Ditto 2.x: no connections API (404 path unknown), the devops piggyback API creates the connection. */
    private void startDitto2() {
        start(request -> request.body().onSuccess(body -> {
            requests.add(request.method() + " " + request.path());
            if (request.path().startsWith("/api/2/connections")) {
                request.response().setStatusCode(404).end(new JsonObject().put("status", 404).put("error", "things:path.unknown").encode());
            } else if (request.path().equals("/devops/piggyback/connectivity")) {
                JsonObject command = body.toJsonObject().getJsonObject("piggybackCommand");
                if (command.getString("type").endsWith("retrieveConnection")) {
                    request.response().setStatusCode(404).end(new JsonObject().put("status", 404)
                            .put("error", "connectivity:connection.notfound").encode());
                } else {
                    stored.put(command.getJsonObject("connection").getString("id"), command.getJsonObject("connection"));
                    request.response().setStatusCode(200).end("{}");
                }
            }
        }));
    }

    private void start(io.vertx.core.Handler<HttpServerRequest> handler) {
        server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
    }

    private ProvisionStep connect(HonoConnectionType type) throws Exception {
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath().rebased(ModelsBaseUrl.parse("http://models.example"));
        Provisioner provisioner = new Provisioner(vertx, new ProvisionTargets(URI.create("http://127.0.0.1:" + server.actualPort()),
                "ditto", "ditto", "devops", "foobar", URI.create("http://127.0.0.1:1"), null, null),
                catalog, PolicyTemplates.fromClasspath(catalog), type);
        try {
            return provisioner.connection(plant(), false).toCompletionStage().toCompletableFuture().join();
        } finally {
            provisioner.close();
        }
    }

    @Test
    void aMissingConnectionIsCreatedWithPutOnTheConnectionsApiAndThenLeftAlone() throws Exception {
        startDitto3();

        ProvisionStep created = connect(HonoConnectionType.KAFKA);
        ProvisionStep again = connect(HonoConnectionType.KAFKA);

        assertThat(created.outcome()).isEqualTo(ProvisionStep.Outcome.CREATE);
        assertThat(created.line(false)).contains("kafka connection via /api/2/connections");
        assertThat(stored.get("hono-plant-a").getString("connectionType")).isEqualTo("kafka");
        assertThat(again.outcome()).as("Ditto's added defaults are no difference").isEqualTo(ProvisionStep.Outcome.UNCHANGED);
        assertThat(requests).containsSubsequence("GET /api/2/connections/hono-plant-a", "GET /api/2/connections",
                "PUT /api/2/connections/hono-plant-a", "GET /api/2/connections/hono-plant-a");
        assertThat(requests).doesNotContain("POST /devops/piggyback/connectivity");
    }

    @Test
    void anotherTypeReplacesTheStoredConnection() throws Exception {
        startDitto3();
        connect(HonoConnectionType.KAFKA);

        ProvisionStep replaced = connect(HonoConnectionType.HONO);

        assertThat(replaced.outcome()).isEqualTo(ProvisionStep.Outcome.UPDATE);
        assertThat(replaced.line(false)).contains("hono connection via /api/2/connections");
        assertThat(stored.get("hono-plant-a").getString("connectionType")).isEqualTo("hono");
        assertThat(stored.get("hono-plant-a").getJsonObject("specificConfig").getString("honoTenantId")).isEqualTo("plant.a");
    }

    @Test
    void ditto2GetsTheKafkaConnectionThroughTheDevopsApi() throws Exception {
        startDitto2();

        ProvisionStep created = connect(HonoConnectionType.KAFKA);

        assertThat(created.outcome()).isEqualTo(ProvisionStep.Outcome.CREATE);
        assertThat(created.line(false)).contains("devops piggyback API");
        assertThat(stored.get("hono-plant-a").getString("connectionType")).isEqualTo("kafka");
    }

    @Test
    void theHonoTypeOnDitto2IsRefusedNamingTheReason() {
        startDitto2();

        assertThatThrownBy(() -> connect(HonoConnectionType.HONO)).isInstanceOf(CompletionException.class)
                .hasRootCauseInstanceOf(ProvisioningException.class)
                .rootCause().hasMessageContaining("needs Ditto 3.2+").hasMessageContaining("--connection-type kafka");
        assertThat(stored).isEmpty();
    }

    @Test
    void wrongDevopsCredentialsStopTheStepWithTheServersAnswer() {
        startDitto3();
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        Provisioner provisioner = new Provisioner(vertx, new ProvisionTargets(URI.create("http://127.0.0.1:" + server.actualPort()),
                "ditto", "ditto", "devops", "wrong", URI.create("http://127.0.0.1:1"), null, null),
                catalog, PolicyTemplates.fromClasspath(catalog), HonoConnectionType.KAFKA);

        assertThatThrownBy(() -> provisioner.connection(plant(), false).toCompletionStage().toCompletableFuture().join())
                .hasRootCauseInstanceOf(ProvisioningException.class).rootCause().hasMessageContaining("401");
        provisioner.close();
    }

    @Test
    void containmentIgnoresAddedMembersButNotChangedOnes() {
        JsonObject desired = new JsonObject().put("a", 1).put("list", new io.vertx.core.json.JsonArray().add(new JsonObject().put("x", "y")));
        JsonObject withDefaults = desired.copy().put("b", 2);
        withDefaults.getJsonArray("list").getJsonObject(0).put("z", true);

        assertThat(Provisioner.contains(withDefaults, desired)).isTrue();
        assertThat(Provisioner.contains(withDefaults.copy().put("a", 2), desired)).isFalse();
        assertThat(Provisioner.contains(new JsonObject().put("a", 1.0).put("list", desired.getJsonArray("list")), desired)).isTrue();
        assertThat(Provisioner.contains(new JsonObject().put("a", 1).put("list", new io.vertx.core.json.JsonArray()), desired)).isFalse();
    }
}
