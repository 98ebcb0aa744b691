package io.twinworks.localstack.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyCreated;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Ditto HTTP API of the local twin service, through a real HTTP client. */
@ExtendWith(VertxExtension.class)
class DittoTwinHttpApiTest {

    private static final Map<String, String> USERS = Map.of(
            "ditto", "ditto", "reader", "reader-secret", "writer", "writer-secret", "stranger", "stranger-secret");

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private DittoTwinServer server;
    private WebClient client;
    private int port;

    @BeforeEach
    void startServer(Vertx vertx) throws Exception {
        this.vertx = vertx;
        startOn(stateDir);
        client = WebClient.create(vertx);
    }

    private void startOn(Path dir) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(dir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        port = await(server.start());
    }

    @AfterEach
    void stopServer() throws Exception {
        await(server.stop());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private HttpResponse<Buffer> send(String user, HttpMethod method, String path, String body, String... headers)
            throws Exception {
        HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
        if (user != null) {
            request.basicAuthentication(user, USERS.get(user));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.putHeader(headers[i], headers[i + 1]);
        }
        if (body == null) {
            return await(request.send());
        }
        if (!request.headers().contains("Content-Type")) {
            request.putHeader("Content-Type", method == HttpMethod.PATCH ? "application/merge-patch+json" : "application/json");
        }
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    private HttpResponse<Buffer> get(String user, String path) throws Exception {
        return send(user, HttpMethod.GET, path, null);
    }

    private HttpResponse<Buffer> put(String user, String path, String body) throws Exception {
        return send(user, HttpMethod.PUT, path, body);
    }

    private static void assertDittoError(HttpResponse<Buffer> response, int status, String error) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        JsonObject json = response.bodyAsJsonObject();
        assertThat(json.getInteger("status")).isEqualTo(status);
        assertThat(json.getString("error")).isEqualTo(error);
        assertThat(json.getString("message")).isNotBlank();
    }

    /** A policy granting reader READ on the thing, writer READ on the thing and WRITE on /features/x, ditto everything. */
    private void createSharedThing(String thingId) throws Exception {
        String policy = """
                {"entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"test"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "READER":{"subjects":{"nginx:reader":{"type":"test"}},
                           "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}},
                  "WRITER":{"subjects":{"nginx:writer":{"type":"test"}},
                           "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                        "thing:/features/x":{"grant":["WRITE"],"revoke":[]}}}}}""";
        assertThat(put("ditto", "/api/2/policies/" + thingId, policy).statusCode()).isEqualTo(201);
        assertThat(put("ditto", "/api/2/things/" + thingId, """
                {"policyId":"%s","attributes":{"site":"plant-a"},
                 "features":{"x":{"properties":{"rms":0.1}},"y":{"properties":{"t":20}}}}""".formatted(thingId))
                .statusCode()).isEqualTo(201);
    }

    @Test
    void putOfANewThingWithoutPolicyCreatesItWithDittosDefaultPolicyForTheCreator() throws Exception {
        HttpResponse<Buffer> created = put("ditto", "/api/2/things/plant.a:pump-1", """
                {"attributes":{"site":"plant-a"}}""");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.getHeader("ETag")).isEqualTo("\"rev:1\"");
        assertThat(created.bodyAsJsonObject().getString("thingId")).isEqualTo("plant.a:pump-1");
        assertThat(created.bodyAsJsonObject().getString("policyId")).isEqualTo("plant.a:pump-1");
        JsonObject policy = get("ditto", "/api/2/policies/plant.a:pump-1").bodyAsJsonObject();
        JsonObject entry = policy.getJsonObject("entries").getJsonObject("DEFAULT");
        assertThat(entry.getJsonObject("subjects").fieldNames()).containsExactly("nginx:ditto");
        assertThat(entry.getJsonObject("resources").fieldNames())
                .containsExactlyInAnyOrder("thing:/", "policy:/", "message:/");
        assertThat(entry.getJsonObject("resources").getJsonObject("thing:/").getJsonArray("grant").getList())
                .containsExactlyInAnyOrder("READ", "WRITE");
    }

    @Test
    void singlePropertyIsCreatedWith201ModifiedWith204ReadBackAndDeleted() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-2", "{\"features\":{\"vibration\":{}}}");
        String property = "/api/2/things/plant.a:pump-2/features/vibration/properties/axis/rms";

        HttpResponse<Buffer> created = put("ditto", property, "0.31");
        HttpResponse<Buffer> modified = put("ditto", property, "0.42");
        HttpResponse<Buffer> read = get("ditto", property);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.bodyAsString()).isEqualTo("0.31");
        assertThat(modified.statusCode()).isEqualTo(204);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsString()).isEqualTo("0.42");
        assertThat(get("ditto", "/api/2/things/plant.a:pump-2/features/vibration/properties").bodyAsJsonObject())
                .isEqualTo(new JsonObject("{\"axis\":{\"rms\":0.42}}"));
        assertThat(send("ditto", HttpMethod.DELETE, property, null).statusCode()).isEqualTo(204);
        assertDittoError(get("ditto", property), 404, "things:feature.property.notfound");
    }

    @Test
    void attributesDefinitionDesiredPropertiesAndPolicyIdAreAddressable() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-3", "{\"features\":{\"valve\":{}}}");
        String thing = "/api/2/things/plant.a:pump-3";

        assertThat(put("ditto", thing + "/attributes/location/hall", "\"B\"").statusCode()).isEqualTo(201);
        assertThat(put("ditto", thing + "/definition", "\"org.example:pump:1.0.0\"").statusCode()).isEqualTo(201);
        assertThat(put("ditto", thing + "/features/valve/desiredProperties/open", "true").statusCode()).isEqualTo(201);

        assertThat(get("ditto", thing + "/attributes").bodyAsJsonObject())
                .isEqualTo(new JsonObject("{\"location\":{\"hall\":\"B\"}}"));
        assertThat(get("ditto", thing + "/definition").bodyAsString()).isEqualTo("\"org.example:pump:1.0.0\"");
        assertThat(get("ditto", thing + "/features/valve/desiredProperties/open").bodyAsString()).isEqualTo("true");
        assertThat(get("ditto", thing + "/policyId").bodyAsString()).isEqualTo("\"plant.a:pump-3\"");
        assertThat(get("ditto", thing + "/features").bodyAsJsonObject().fieldNames()).containsExactly("valve");
        assertThat(send("ditto", HttpMethod.DELETE, thing + "/attributes/location", null).statusCode()).isEqualTo(204);
        assertDittoError(get("ditto", thing + "/attributes/location"), 404, "things:attribute.notfound");
    }

    @Test
    void propertyOfAMissingFeatureIsRefusedWith404FeatureNotFound() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-4", "{}");

        assertDittoError(put("ditto", "/api/2/things/plant.a:pump-4/features/nope/properties/a", "1"),
                404, "things:feature.notfound");
    }

    @Test
    void everyChangeIncrementsTheRevision() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-5", "{\"features\":{\"f\":{}}}");
        put("ditto", "/api/2/things/plant.a:pump-5/features/f/properties/a", "1");
        send("ditto", HttpMethod.PATCH, "/api/2/things/plant.a:pump-5/features/f/properties", "{\"b\":2}");
        send("ditto", HttpMethod.DELETE, "/api/2/things/plant.a:pump-5/features/f/properties/a", null);

        HttpResponse<Buffer> thing = get("ditto", "/api/2/things/plant.a:pump-5?fields=thingId,_revision");

        assertThat(thing.bodyAsJsonObject().getLong("_revision")).as(thing.bodyAsString()).isEqualTo(4L);
        assertThat(thing.bodyAsJsonObject().fieldNames()).containsExactlyInAnyOrder("thingId", "_revision");
        assertThat(thing.getHeader("ETag")).isEqualTo("\"rev:4\"");
    }

    @Test
    void patchMergesAsJsonMergePatchWhereNullDeletes() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-6", """
                {"attributes":{"a":1,"b":2},"features":{"vibration":{"properties":{"rms":0.1,"peak":0.5}}}}""");

        HttpResponse<Buffer> merged = send("ditto", HttpMethod.PATCH, "/api/2/things/plant.a:pump-6", """
                {"attributes":{"b":null,"c":3},"features":{"vibration":{"properties":{"rms":0.2}},
                 "predictions":{"properties":{"anomalyScore":0.7}}}}""");

        assertThat(merged.statusCode()).isEqualTo(204);
        JsonObject thing = get("ditto", "/api/2/things/plant.a:pump-6").bodyAsJsonObject();
        assertThat(thing.getJsonObject("attributes")).isEqualTo(new JsonObject("{\"a\":1,\"c\":3}"));
        assertThat(thing.getJsonObject("features")).isEqualTo(new JsonObject("""
                {"vibration":{"properties":{"rms":0.2,"peak":0.5}},"predictions":{"properties":{"anomalyScore":0.7}}}"""));
    }

    @Test
    void patchWithoutMergePatchContentTypeIsRefusedWith415() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-7", "{}");

        HttpResponse<Buffer> response = send("ditto", HttpMethod.PATCH, "/api/2/things/plant.a:pump-7",
                "{\"attributes\":{}}", "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    }

    @Test
    void patchOfAMissingThingIs404() throws Exception {
        assertDittoError(send("ditto", HttpMethod.PATCH, "/api/2/things/plant.a:ghost", "{\"attributes\":{}}"),
                404, "things:thing.notfound");
    }

    @Test
    void ifMatchWithAStaleRevisionIsRefusedWith412AndTheCurrentOneSucceeds() throws Exception {
        put("ditto", "/api/2/things/plant.a:pump-8", "{}");
        put("ditto", "/api/2/things/plant.a:pump-8/attributes", "{\"a\":1}");

        HttpResponse<Buffer> stale = send("ditto", HttpMethod.PUT, "/api/2/things/plant.a:pump-8",
                "{\"attributes\":{\"a\":2}}", "If-Match", "\"rev:1\"");
        HttpResponse<Buffer> current = send("ditto", HttpMethod.PUT, "/api/2/things/plant.a:pump-8",
                "{\"attributes\":{\"a\":3}}", "If-Match", "\"rev:2\"");

        assertDittoError(stale, 412, "things:precondition.failed");
        assertThat(current.statusCode()).isEqualTo(204);
        assertThat(get("ditto", "/api/2/things/plant.a:pump-8/attributes/a").bodyAsString()).isEqualTo("3");
    }

    @Test
    void ifNoneMatchStarCreatesOnlyAndRefusesToOverwriteWith412() throws Exception {
        HttpResponse<Buffer> first = send("ditto", HttpMethod.PUT, "/api/2/things/plant.a:pump-9", "{}",
                "If-None-Match", "*");
        HttpResponse<Buffer> second = send("ditto", HttpMethod.PUT, "/api/2/things/plant.a:pump-9", "{}",
                "If-None-Match", "*");

        assertThat(first.statusCode()).isEqualTo(201);
        assertDittoError(second, 412, "things:precondition.failed");
    }

    @Test
    void getWithIfNoneMatchOfTheCurrentTagIs304() throws Exception {
        String etag = put("ditto", "/api/2/things/plant.a:pump-10", "{}").getHeader("ETag");

        HttpResponse<Buffer> response = send("ditto", HttpMethod.GET, "/api/2/things/plant.a:pump-10", null,
                "If-None-Match", etag);

        assertThat(response.statusCode()).isEqualTo(304);
    }

    @Test
    void userWithoutReadGets404ThingNotFoundForReadsAndWrites() throws Exception {
        createSharedThing("plant.a:shared-1");

        assertDittoError(get("stranger", "/api/2/things/plant.a:shared-1"), 404, "things:thing.notfound");
        assertDittoError(put("stranger", "/api/2/things/plant.a:shared-1/features/x/properties/rms", "1"),
                404, "things:thing.notfound");
        assertDittoError(send("stranger", HttpMethod.DELETE, "/api/2/things/plant.a:shared-1", null),
                404, "things:thing.notfound");
    }

    @Test
    void userWithReadButNoWriteGets403NotModifiable() throws Exception {
        createSharedThing("plant.a:shared-2");

        assertThat(get("reader", "/api/2/things/plant.a:shared-2/features/x/properties/rms").bodyAsString())
                .isEqualTo("0.1");
        assertDittoError(put("reader", "/api/2/things/plant.a:shared-2/features/x/properties/rms", "0.9"),
                403, "things:feature.property.notmodifiable");
        assertDittoError(put("writer", "/api/2/things/plant.a:shared-2/attributes/site", "\"x\""),
                403, "things:attribute.notmodifiable");
        assertDittoError(put("writer", "/api/2/things/plant.a:shared-2/features/y/properties/t", "1"),
                403, "things:feature.property.notmodifiable");
    }

    @Test
    void userWithWriteOnOneFeatureMayWriteAndMergeOnlyThatFeature() throws Exception {
        createSharedThing("plant.a:shared-3");

        assertThat(put("writer", "/api/2/things/plant.a:shared-3/features/x/properties/rms", "0.9").statusCode())
                .isEqualTo(204);
        assertThat(send("writer", HttpMethod.PATCH, "/api/2/things/plant.a:shared-3",
                "{\"features\":{\"x\":{\"properties\":{\"peak\":2}}}}").statusCode()).isEqualTo(204);
        HttpResponse<Buffer> mergeBeyondGrant = send("writer", HttpMethod.PATCH, "/api/2/things/plant.a:shared-3",
                "{\"features\":{\"x\":{\"properties\":{\"peak\":3}},\"y\":{\"properties\":{\"t\":99}}}}");

        assertThat(mergeBeyondGrant.statusCode()).isEqualTo(403);
        assertThat(get("ditto", "/api/2/things/plant.a:shared-3/features").bodyAsJsonObject()).isEqualTo(new JsonObject(
                "{\"x\":{\"properties\":{\"rms\":0.9,\"peak\":2}},\"y\":{\"properties\":{\"t\":20}}}"));
    }

    @Test
    void readsShowOnlyWhatThePolicyGrants() throws Exception {
        String policy = """
                {"entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"test"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "PARTIAL":{"subjects":{"nginx:reader":{"type":"test"}},
                           "resources":{"thing:/features/x":{"grant":["READ"],"revoke":[]}}}}}""";
        put("ditto", "/api/2/policies/plant.a:partial", policy);
        put("ditto", "/api/2/things/plant.a:partial", """
                {"policyId":"plant.a:partial","attributes":{"secret":1},
                 "features":{"x":{"properties":{"rms":0.1}},"y":{"properties":{"t":20}}}}""");

        JsonObject seen = get("reader", "/api/2/things/plant.a:partial").bodyAsJsonObject();

        assertThat(seen.getJsonObject("features").fieldNames()).containsExactly("x");
        assertThat(seen.containsKey("attributes")).isFalse();
        assertDittoError(get("reader", "/api/2/things/plant.a:partial/attributes"), 404, "things:attributes.notfound");
    }

    @Test
    void retrieveThingsByIdsReturnsOnlyExistingThingsTheUserMaySee() throws Exception {
        put("ditto", "/api/2/things/plant.a:m-1", "{}");
        put("ditto", "/api/2/things/plant.a:m-2", "{}");

        HttpResponse<Buffer> mine = get("ditto", "/api/2/things?ids=plant.a:m-1,plant.a:m-2,plant.a:nope&fields=thingId");
        HttpResponse<Buffer> others = get("stranger", "/api/2/things?ids=plant.a:m-1");

        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.bodyAsJsonArray().getList()).hasSize(2);
        assertThat(mine.bodyAsJsonArray().getJsonObject(0).fieldNames()).containsExactly("thingId");
        assertThat(others.bodyAsJsonArray().isEmpty()).isTrue();
    }

    @Test
    void unknownThingIs404ThingNotFound() throws Exception {
        assertDittoError(get("ditto", "/api/2/things/plant.a:never"), 404, "things:thing.notfound");
    }

    @Test
    void invalidThingIdIs400IdInvalid() throws Exception {
        assertDittoError(get("ditto", "/api/2/things/no-namespace-separator"), 400, "things:id.invalid");
        assertDittoError(put("ditto", "/api/2/things/no-namespace-separator", "{}"), 400, "things:id.invalid");
    }

    @Test
    void malformedJsonIs400JsonInvalid() throws Exception {
        assertDittoError(put("ditto", "/api/2/things/plant.a:bad-json", "{\"attributes\":"), 400, "json.invalid");
    }

    @Test
    void bodyWithADifferentThingIdIs400() throws Exception {
        HttpResponse<Buffer> response = put("ditto", "/api/2/things/plant.a:one", "{\"thingId\":\"plant.a:other\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("things:id.notsettable");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String huge = "{\"attributes\":{\"blob\":\"" + "x".repeat(200 * 1024) + "\"}}";

        assertDittoError(put("ditto", "/api/2/things/plant.a:huge", huge), 413, "things:thing.toolarge");
    }

    @Test
    void thingGrowingBeyondTheLimitThroughSmallChangesIs413() throws Exception {
        put("ditto", "/api/2/things/plant.a:growing", "{}");
        String chunk = "\"" + "x".repeat(60 * 1024) + "\"";
        assertThat(put("ditto", "/api/2/things/plant.a:growing/attributes/a", chunk).statusCode()).isEqualTo(201);

        assertDittoError(put("ditto", "/api/2/things/plant.a:growing/attributes/b", chunk), 413, "things:thing.toolarge");
    }

    @Test
    void missingCredentialsAre401WithDittoErrorBody() throws Exception {
        HttpResponse<Buffer> response = get(null, "/api/2/things/plant.a:any");

        assertDittoError(response, 401, "gateway:authentication.failed");
        assertThat(response.getHeader("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void wrongPasswordIs401() throws Exception {
        HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", "/api/2/things/plant.a:any")
                .basicAuthentication("ditto", "wrong").send());

        assertDittoError(response, 401, "gateway:authentication.failed");
    }

    @Test
    void unknownResourcePathIsRefusedWithDittosPathUnknownError() throws Exception {
        put("ditto", "/api/2/things/plant.a:paths", "{}");

        assertDittoError(get("ditto", "/api/2/things/plant.a:paths/nonsense"), 400, "signals.commands:path.unknown");
        assertDittoError(get("ditto", "/api/2/nothing-here/x"), 400, "signals.commands:path.unknown");
        assertDittoError(get(null, "/not-the-api"), 400, "signals.commands:path.unknown");
    }

    @Test
    void thingsAndPoliciesSurviveCloseAndReopen() throws Exception {
        put("ditto", "/api/2/things/plant.a:durable", "{\"features\":{\"f\":{\"properties\":{\"a\":1}}}}");
        put("ditto", "/api/2/things/plant.a:durable/features/f/properties/a", "2");
        await(server.stop());

        startOn(stateDir);
        HttpResponse<Buffer> thing = get("ditto", "/api/2/things/plant.a:durable?fields=features,_revision");

        assertThat(thing.statusCode()).isEqualTo(200);
        assertThat(thing.bodyAsJsonObject().getLong("_revision")).as(thing.bodyAsString()).isEqualTo(2L);
        assertThat(thing.bodyAsJsonObject().getJsonObject("features").getJsonObject("f").getJsonObject("properties")
                .getInteger("a")).isEqualTo(2);
        assertThat(get("ditto", "/api/2/policies/plant.a:durable").statusCode()).isEqualTo(200);
    }

    @Test
    void deletedThingIsGoneAndARecreatedOneContinuesTheRevision() throws Exception {
        put("ditto", "/api/2/things/plant.a:phoenix", "{}");
        assertThat(send("ditto", HttpMethod.DELETE, "/api/2/things/plant.a:phoenix", null).statusCode()).isEqualTo(204);
        assertDittoError(get("ditto", "/api/2/things/plant.a:phoenix"), 404, "things:thing.notfound");

        HttpResponse<Buffer> recreated = put("ditto", "/api/2/things/plant.a:phoenix",
                "{\"policyId\":\"plant.a:phoenix\"}");

        assertThat(recreated.statusCode()).isEqualTo(201);
        assertThat(recreated.getHeader("ETag")).isEqualTo("\"rev:3\"");
    }

    @Test
    void policyEntriesCanBeReadWrittenAndDeletedButTheLastWriterCannotBeRemoved() throws Exception {
        put("ditto", "/api/2/things/plant.a:pol", "{}");
        String entries = "/api/2/policies/plant.a:pol/entries/";
        String analytics = """
                {"subjects":{"nginx:reader":{"type":"service"}},
                 "resources":{"thing:/features/predictions":{"grant":["READ","WRITE"],"revoke":[]}}}""";

        assertThat(put("ditto", entries + "ANALYTICS", analytics).statusCode()).isEqualTo(201);
        assertThat(get("ditto", entries + "ANALYTICS").bodyAsJsonObject().getJsonObject("subjects").fieldNames())
                .containsExactly("nginx:reader");
        assertThat(put("ditto", entries + "ANALYTICS", analytics).statusCode()).isEqualTo(204);
        assertThat(send("ditto", HttpMethod.DELETE, entries + "ANALYTICS", null).statusCode()).isEqualTo(204);
        assertDittoError(get("ditto", entries + "ANALYTICS"), 404, "policies:entry.notfound");
        HttpResponse<Buffer> lockout = send("ditto", HttpMethod.DELETE, entries + "DEFAULT", null);
        assertThat(lockout.statusCode()).isEqualTo(403);
        assertThat(get("ditto", entries + "DEFAULT").statusCode()).isEqualTo(200);
    }

    @Test
    void policyOfAnotherUserIsNotFoundForAStranger() throws Exception {
        put("ditto", "/api/2/things/plant.a:pol-2", "{}");

        assertDittoError(get("stranger", "/api/2/policies/plant.a:pol-2"), 404, "policies:policy.notfound");
        assertDittoError(put("stranger", "/api/2/policies/plant.a:pol-2/entries/X", """
                {"subjects":{"nginx:stranger":{"type":"t"}},"resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}"""), 404,
                "policies:policy.notfound");
    }

    @Test
    void everyPersistedChangeIsPublishedAsADittoEventWithRevision() throws Exception {
        List<TwinChange> changes = new CopyOnWriteArrayList<>();
        server.events().subscribe(changes::add);
        put("ditto", "/api/2/things/plant.a:evented", "{\"features\":{\"f\":{}}}");
        put("ditto", "/api/2/things/plant.a:evented/features/f/properties/rms", "0.1");
        put("ditto", "/api/2/things/plant.a:evented/features/f/properties/rms", "0.2");
        send("ditto", HttpMethod.PATCH, "/api/2/things/plant.a:evented/features/f/properties", "{\"peak\":1}");

        assertThat(changes).hasSize(4);
        assertThat(changes.get(1).event()).isInstanceOf(FeaturePropertyCreated.class);
        assertThat(changes.get(2).event()).isInstanceOf(FeaturePropertyModified.class);
        assertThat(changes.get(2).event().getRevision()).isEqualTo(3L);
        assertThat(changes.get(3).event()).isInstanceOf(ThingMerged.class);
        assertThat(changes.get(3).thingAfter().getFeatures().orElseThrow().getFeature("f").orElseThrow()
                .getProperties().orElseThrow().getValue("peak")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(1));
        assertThat(await(server.twinService().thingHistory(
                org.eclipse.ditto.things.model.ThingId.of("plant.a:evented"),
                new io.twinworks.localstack.ditto.model.HistoryRange(1L, null, null, null))).orElseThrow().entries())
                .extracting(io.twinworks.localstack.ditto.model.FeatureHistoryEntry::featureId)
                .containsExactly("f", "f", "f", "f");
    }
}
