package io.twinworks.localstack.ditto.api3;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ditto 3.x routes of the local stack, answered as Ditto documents them: {@code GET /api/2/whoami},
 * {@code POST /api/2/things} (server-generated ID), {@code POST /api/2/search/things} and {@code /count} with a
 * form-encoded body, {@code POST /api/2/checkPermissions}, the {@code condition} query parameter.
 */
@ExtendWith(VertxExtension.class)
class Ditto3RoutesHttpTest {

    private static final String THING = "plant.api3:pump-1";
    private static final String POLICY = """
            {"entries":{
              "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},"policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "READER":{"subjects":{"nginx:reader":{"type":"user"}},
                        "resources":{"thing:/features":{"grant":["READ"],"revoke":[]}}}}}""";

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        client = WebClient.create(vertx);
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto", "reader", "reader")), new SimpleMeterRegistry());
        await(server.start());
        assertThat(send("ditto", HttpMethod.PUT, "/api/2/policies/" + THING, POLICY).statusCode()).isEqualTo(201);
        assertThat(send("ditto", HttpMethod.PUT, "/api/2/things/" + THING,
                "{\"policyId\":\"" + THING + "\",\"attributes\":{\"site\":\"a\"},\"features\":{\"vibration\":{\"properties\":{\"rms\":1.5}}}}")
                .statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() throws Exception {
        await(server.stop());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpRequest<Buffer> request(String user, HttpMethod method, String path) {
        return client.request(method, server.httpPort(), "127.0.0.1", path).basicAuthentication(user, user);
    }

    private HttpResponse<Buffer> send(String user, HttpMethod method, String path, String json) throws Exception {
        HttpRequest<Buffer> request = request(user, method, path);
        return await(json == null ? request.send() : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
    }

    private HttpResponse<Buffer> form(String user, String path, Map<String, String> fields) throws Exception {
        MultiMap form = MultiMap.caseInsensitiveMultiMap();
        fields.forEach(form::add);
        return await(request(user, HttpMethod.POST, path).sendForm(form));
    }

    // ---- whoami

    @Test
    void whoamiNamesTheCallersSubject() throws Exception {
        HttpResponse<Buffer> response = send("reader", HttpMethod.GET, "/api/2/whoami", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
                .put("defaultSubject", "nginx:reader").put("subjects", new io.vertx.core.json.JsonArray().add("nginx:reader")));
    }

    @Test
    void whoamiWithoutCredentialsIs401AndOtherMethods405() throws Exception {
        HttpResponse<Buffer> anonymous = await(client.get(server.httpPort(), "127.0.0.1", "/api/2/whoami").send());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.bodyAsJsonObject().getString("error")).isEqualTo("gateway:authentication.failed");
        assertThat(send("ditto", HttpMethod.DELETE, "/api/2/whoami", null).statusCode()).isEqualTo(405);
    }

    // ---- POST /things

    @Test
    void postCreatesAThingWithAGeneratedIdInTheDefaultNamespace() throws Exception {
        HttpResponse<Buffer> created = send("ditto", HttpMethod.POST, "/api/2/things", "{\"attributes\":{\"site\":\"b\"}}");

        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        String thingId = created.bodyAsJsonObject().getString("thingId");
        assertThat(thingId).matches("org\\.eclipse\\.ditto:[0-9a-f-]{36}");
        assertThat(created.getHeader("Location")).isEqualTo("/api/2/things/" + thingId);
        assertThat(created.getHeader("ETag")).isEqualTo("\"rev:1\"");
        HttpResponse<Buffer> read = send("ditto", HttpMethod.GET, "/api/2/things/" + thingId, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getJsonObject("attributes").getString("site")).isEqualTo("b");
        assertThat(send("ditto", HttpMethod.POST, "/api/2/things", "{}").bodyAsJsonObject().getString("thingId"))
                .as("every POST a new ID").isNotEqualTo(thingId);
    }

    @Test
    void postWithAThingIdIsRefusedAsNotSettable() throws Exception {
        HttpResponse<Buffer> response = send("ditto", HttpMethod.POST, "/api/2/things", "{\"thingId\":\"a:b\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("things:id.notsettable");
    }

    @Test
    void postOfNoJsonObjectIsJsonInvalid() throws Exception {
        for (String body : new String[]{"[1,2]", "{\"attributes\":", "42"}) {
            HttpResponse<Buffer> response = send("ditto", HttpMethod.POST, "/api/2/things", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("error")).as(body).startsWith("json.");
        }
    }

    @Test
    void postNamingAPolicyTheCallerCannotUseIsRefused() throws Exception {
        HttpResponse<Buffer> response = send("reader", HttpMethod.POST, "/api/2/things", "{\"policyId\":\"" + THING + "\"}");

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.bodyAsJsonObject().containsKey("error")).isTrue();
    }

    // ---- POST search

    @Test
    void searchAsAFormAnswersAsTheGetDoes() throws Exception {
        HttpResponse<Buffer> posted = form("ditto", "/api/2/search/things", Map.of("filter", "gt(features/vibration/properties/rms,1)",
                "fields", "thingId"));
        HttpResponse<Buffer> got = send("ditto", HttpMethod.GET,
                "/api/2/search/things?filter=gt(features/vibration/properties/rms,1)&fields=thingId", null);

        assertThat(posted.statusCode()).as(posted.bodyAsString()).isEqualTo(200);
        assertThat(posted.bodyAsJsonObject()).isEqualTo(got.bodyAsJsonObject());
        assertThat(posted.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    }

    @Test
    void countAsAFormCountsWhatTheCallerMayRead() throws Exception {
        assertThat(form("ditto", "/api/2/search/things/count", Map.of("filter", "eq(attributes/site,\"a\")")).bodyAsString()).isEqualTo("1");
        assertThat(form("reader", "/api/2/search/things/count", Map.of("filter", "eq(attributes/site,\"a\")")).bodyAsString())
                .as("the reader may not read attributes").isEqualTo("0");
        assertThat(form("ditto", "/api/2/search/things/count", Map.of()).bodyAsString()).isEqualTo("1");
    }

    @Test
    void aFormSearchWithInvalidRqlIs400AndAJsonBodyIs415() throws Exception {
        HttpResponse<Buffer> invalid = form("ditto", "/api/2/search/things", Map.of("filter", "gt(rms"));
        HttpResponse<Buffer> json = send("ditto", HttpMethod.POST, "/api/2/search/things", "{\"filter\":\"exists(thingId)\"}");

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.bodyAsJsonObject().getString("error")).isEqualTo("rql.expression.invalid");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.bodyAsJsonObject().getString("error")).isEqualTo("mediatype.unsupported");
    }

    @Test
    void aFormBodyWithABrokenPercentEscapeIs400UriInvalidOnSearchAndCount() throws Exception {
        for (String path : List.of("/api/2/search/things", "/api/2/search/things/count")) {
            HttpResponse<Buffer> response = await(request("ditto", HttpMethod.POST, path)
                    .putHeader("Content-Type", "application/x-www-form-urlencoded")
                    .sendBuffer(Buffer.buffer("a=1&b=%ZZ&c")));

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("uri.invalid");
        }
    }

    // ---- checkPermissions

    @Test
    void checkPermissionsAnswersEachNamedCheckByThePolicy() throws Exception {
        String checks = """
                {"readFeatures":{"resource":"thing:/features/vibration","entityId":"%1$s","hasPermissions":["READ"]},
                 "writeFeatures":{"resource":"thing:/features","entityId":"%1$s","hasPermissions":["READ","WRITE"]},
                 "readAttributes":{"resource":"thing:/attributes","entityId":"%1$s","hasPermissions":["READ"]},
                 "writePolicy":{"resource":"policy:/","entityId":"%1$s","hasPermissions":["WRITE"]},
                 "message":{"resource":"message:/inbox/messages/x","entityId":"%1$s","hasPermissions":["WRITE"]},
                 "otherThing":{"resource":"thing:/","entityId":"plant.api3:nope","hasPermissions":["READ"]}}"""
                .formatted(THING);

        HttpResponse<Buffer> reader = send("reader", HttpMethod.POST, "/api/2/checkPermissions", checks);
        HttpResponse<Buffer> owner = send("ditto", HttpMethod.POST, "/api/2/checkPermissions", checks);

        assertThat(reader.statusCode()).as(reader.bodyAsString()).isEqualTo(200);
        assertThat(reader.bodyAsJsonObject()).isEqualTo(new JsonObject().put("readFeatures", true).put("writeFeatures", false)
                .put("readAttributes", false).put("writePolicy", false).put("message", false).put("otherThing", false));
        assertThat(owner.bodyAsJsonObject()).isEqualTo(new JsonObject().put("readFeatures", true).put("writeFeatures", true)
                .put("readAttributes", true).put("writePolicy", true).put("message", false).put("otherThing", false));
    }

    @Test
    void aMalformedCheckIsJsonInvalidNamingTheCheck() throws Exception {
        for (String body : new String[]{
                "{\"c\":{\"resource\":\"lamp:/x\",\"entityId\":\"a:b\",\"hasPermissions\":[\"READ\"]}}",
                "{\"c\":{\"resource\":\"thing:/\",\"hasPermissions\":[\"READ\"]}}",
                "{\"c\":{\"resource\":\"thing:/\",\"entityId\":\"a:b\",\"hasPermissions\":[\"EXECUTE\"]}}",
                "{\"c\":true}", "not json"}) {
            HttpResponse<Buffer> response = send("ditto", HttpMethod.POST, "/api/2/checkPermissions", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("error")).as(body).startsWith("json.");
        }
        assertThat(send("ditto", HttpMethod.GET, "/api/2/checkPermissions", null).statusCode()).isEqualTo(405);
    }

    // ---- condition

    private static String condition(String rql) {
        return "condition=" + java.net.URLEncoder.encode(rql, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aConditionThatHoldsLetsTheRequestThroughAndOneThatDoesNotIs412() throws Exception {
        HttpResponse<Buffer> holds = send("ditto", HttpMethod.GET, "/api/2/things/" + THING + "/attributes?"
                + condition("gt(features/vibration/properties/rms,1)"), null);
        HttpResponse<Buffer> fails = send("ditto", HttpMethod.GET, "/api/2/things/" + THING + "?"
                + condition("lt(features/vibration/properties/rms,1)"), null);

        assertThat(holds.statusCode()).isEqualTo(200);
        assertThat(holds.bodyAsJsonObject().getString("site")).isEqualTo("a");
        assertThat(fails.statusCode()).isEqualTo(412);
        assertThat(fails.bodyAsJsonObject().getString("error")).isEqualTo("things:condition.failed");
    }

    @Test
    void aWriteRunsOnlyWhenItsConditionHoldsWithItsBodyIntact() throws Exception {
        HttpResponse<Buffer> refused = send("ditto", HttpMethod.PUT, "/api/2/things/" + THING + "/attributes/site?"
                + condition("eq(attributes/site,\"z\")"), "\"refused\"");
        HttpResponse<Buffer> applied = send("ditto", HttpMethod.PUT, "/api/2/things/" + THING + "/attributes/site?"
                + condition("eq(attributes/site,\"a\")"), "\"applied\"");

        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(applied.statusCode()).isEqualTo(204);
        assertThat(send("ditto", HttpMethod.GET, "/api/2/things/" + THING + "/attributes/site", null).bodyAsString())
                .isEqualTo("\"applied\"");
    }

    @Test
    void aConditionOnWhatTheCallerCannotReadDoesNotHold() throws Exception {
        HttpResponse<Buffer> response = send("reader", HttpMethod.GET, "/api/2/things/" + THING + "/features?"
                + condition("eq(attributes/site,\"a\")"), null);

        assertThat(response.statusCode()).isEqualTo(412);
    }

    @Test
    void anInvalidConditionIs400AndAnUnknownThing404() throws Exception {
        HttpResponse<Buffer> invalid = send("ditto", HttpMethod.GET, "/api/2/things/" + THING + "?" + condition("gt(rms"), null);
        HttpResponse<Buffer> unknown = send("ditto", HttpMethod.GET, "/api/2/things/plant.api3:nope?" + condition("exists(thingId)"), null);

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.bodyAsJsonObject().getString("error")).isEqualTo("things:condition.invalid");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("things:thing.notfound");
    }
}
