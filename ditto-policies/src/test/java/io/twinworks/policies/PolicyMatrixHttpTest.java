package io.twinworks.policies;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same matrix through the local stack's Ditto HTTP API: every role is an HTTP user
 * ({@code nginx:<role>}), reads are GETs, writes PUT the current (valid) value back. The HTTP API
 * has no message endpoint, so message cells are decided by the enforcer test only. Both must agree.
 */
class PolicyMatrixHttpTest {

    private static final String THING = "plant.a:pump-1";

    @TempDir
    Path stateDir;
    private Vertx vertx;
    private DittoTwinServer server;
    private WebClient client;
    private int port;

    @BeforeEach
    void startDitto() throws Exception {
        vertx = Vertx.vertx();
        Map<String, String> users = new HashMap<>();
        for (PolicyRole role : PolicyRole.values()) {
            users.put(role.templateName().equals("device") ? "device" : PolicyMatrixEnforcerTest.SUBJECTS.get(role).get(0)
                    .substring("nginx:".length()), "secret");
        }
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, users),
                new SimpleMeterRegistry());
        port = await(server.start());
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        await(server.stop());
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> send(PolicyRole role, HttpMethod method, String path, String body) throws Exception {
        var request = client.request(method, port, "127.0.0.1", path)
                .basicAuthentication(PolicyMatrixEnforcerTest.SUBJECTS.get(role).get(0).substring("nginx:".length()), "secret");
        return await(body == null ? request.send()
                : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
    }

    private String apiPath(PolicyMatrix.Cell cell) {
        return cell.type().equals("policy")
                ? "/api/2/policies/" + THING + (cell.path().equals("/") ? "" : cell.path())
                : "/api/2/things/" + THING + cell.path();
    }

    /** Decides a cell over HTTP: READ = GET answers 200; WRITE = PUT of the current value answers 2xx. */
    private boolean httpAllows(PolicyMatrix.Cell cell, PolicyRole role, Map<String, String> currentValues) throws Exception {
        String path = apiPath(cell);
        if (cell.permission().equals("READ")) {
            int status = send(role, HttpMethod.GET, path, null).statusCode();
            assertThat(status).as(role + " " + cell.label()).isIn(200, 403, 404);
            return status == 200;
        }
        HttpResponse<Buffer> response = send(role, HttpMethod.PUT, path, currentValues.get(path));
        assertThat(response.statusCode()).as(role + " " + cell.label() + ": " + response.bodyAsString()).isIn(201, 204, 403, 404);
        return response.statusCode() / 100 == 2;
    }

    @Test
    void theLocalStacksHttpApiDecidesLikeDittosEnforcer() throws Exception {
        JsonObject policy = PolicyMatrixEnforcerTest.pumpPolicy();
        assertThat(send(PolicyRole.ADMIN, HttpMethod.PUT, "/api/2/policies/" + THING, policy.toString()).statusCode()).isEqualTo(201);
        // definitions naming the models where this stack serves them: its twin service validates the thing as Ditto would
        String thing = Files.readString(Path.of("../thing-definitions/examples/centrifugal-pump.thing.json"))
                .replace(ThingModelCatalog.BASE_URL, server.modelsBaseUrl().modelsPrefix());
        HttpResponse<Buffer> created = send(PolicyRole.ADMIN, HttpMethod.PUT, "/api/2/things/" + THING, thing);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

        Enforcer enforcer = PolicyEnforcers.defaultEvaluator(PoliciesModelFactory.newPolicy(policy.setValue("policyId", THING)));
        List<PolicyMatrix.Cell> httpCells = PolicyMatrix.PUMP.stream().filter(cell -> !cell.type().equals("message")).toList();
        Map<String, String> currentValues = new HashMap<>();
        for (PolicyMatrix.Cell cell : httpCells) {
            String path = apiPath(cell);
            HttpResponse<Buffer> current = send(PolicyRole.ADMIN, HttpMethod.GET, path, null);
            // a desired property the thing does not have yet is written with its reported value
            currentValues.put(path, current.statusCode() == 200 ? current.bodyAsString()
                    : send(PolicyRole.ADMIN, HttpMethod.GET, path.replace("/desiredProperties/", "/properties/"), null).bodyAsString());
        }
        Map<String, Boolean> http = new HashMap<>();
        for (PolicyMatrix.Cell cell : httpCells) {
            for (PolicyRole role : PolicyRole.values()) {
                http.put(role + cell.label(), httpAllows(cell, role, currentValues));
            }
        }
        String table = PolicyMatrix.table(httpCells, (cell, role) -> http.get(role + cell.label()));
        System.out.println("Policy matrix (local stack HTTP API, centrifugal pump):\n" + table);
        List<String> disagreements = new ArrayList<>();
        for (PolicyMatrix.Cell cell : httpCells) {
            for (PolicyRole role : PolicyRole.values()) {
                boolean byEnforcer = PolicyMatrixEnforcerTest.enforcerAllows(enforcer, cell, role);
                if (http.get(role + cell.label()) != byEnforcer || byEnforcer != cell.allowed().contains(role)) {
                    disagreements.add(role + " " + cell.label() + ": http=" + http.get(role + cell.label())
                            + " enforcer=" + byEnforcer + " intended=" + cell.allowed().contains(role));
                }
            }
        }
        assertThat(disagreements).as(table).isEmpty();
        // the writes put values back unchanged: the policy still holds for the admin
        assertThat(JsonFactory.newObject(send(PolicyRole.ADMIN, HttpMethod.GET, "/api/2/policies/" + THING + "/entries/ADMIN", null)
                .bodyAsString())).isEqualTo(policy.getValue("entries/ADMIN").orElseThrow().asObject());
    }
}
