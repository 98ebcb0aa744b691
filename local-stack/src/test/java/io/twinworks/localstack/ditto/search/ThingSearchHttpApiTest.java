package io.twinworks.localstack.ditto.search;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Ditto's search API {@code /api/2/search/things} of the local twin service, through real HTTP clients. */
@ExtendWith(VertxExtension.class)
class ThingSearchHttpApiTest {

    private static final Map<String, String> USERS = Map.of(
            "ditto", "ditto", "reader", "reader-secret", "partial", "partial-secret", "stranger", "stranger-secret");

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private WebClient client;
    private int port;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        port = complete(server.start());
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        complete(server.stop());
    }

    private static <T> T complete(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /**
     * A thing whose policy lets ditto do everything, reader READ everything, and partial READ only
     * {@code /features/vibration}; stranger nothing.
     */
    private void createThing(String thingId, String attributesJson) throws Exception {
        String policy = """
                {"entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "READER":{"subjects":{"nginx:reader":{"type":"user"}},
                            "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}},
                  "PARTIAL":{"subjects":{"nginx:partial":{"type":"user"}},
                             "resources":{"thing:/features/vibration":{"grant":["READ"],"revoke":[]}}}}}""";
        HttpResponse<Buffer> policyCreated = complete(client.put(port, "127.0.0.1", "/api/2/policies/" + thingId)
                .basicAuthentication("ditto", "ditto").sendBuffer(Buffer.buffer(policy)));
        assertThat(policyCreated.statusCode()).isEqualTo(201);
        HttpResponse<Buffer> thingCreated = complete(client.put(port, "127.0.0.1", "/api/2/things/" + thingId)
                .basicAuthentication("ditto", "ditto").putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("""
                        {"policyId":"%s","attributes":%s,"features":{"vibration":{"properties":{"rms":0.1}}}}"""
                        .formatted(thingId, attributesJson))));
        assertThat(thingCreated.statusCode()).isEqualTo(201);
    }

    private HttpResponse<Buffer> search(String user, String path, String... params) throws Exception {
        HttpRequest<Buffer> request = client.get(port, "127.0.0.1", path);
        if (user != null) {
            request.basicAuthentication(user, USERS.get(user));
        }
        for (int i = 0; i + 1 < params.length; i += 2) {
            request.addQueryParam(params[i], params[i + 1]);
        }
        return complete(request.send());
    }

    private static List<String> thingIds(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.bodyAsJsonObject().getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getString("thingId")));
        return ids;
    }

    private static void assertDittoError(HttpResponse<Buffer> response, int status, String error) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        JsonObject json = response.bodyAsJsonObject();
        assertThat(json.getInteger("status")).isEqualTo(status);
        assertThat(json.getString("error")).isEqualTo(error);
        assertThat(json.getString("message")).isNotBlank();
    }

    @Test
    void rqlFilterReturnsTheMatchingThingsInDittosResultShapeSortedByThingId() throws Exception {
        createThing("plant.a:pump-2", "{\"site\":\"a\",\"n\":2}");
        createThing("plant.a:pump-1", "{\"site\":\"a\",\"n\":1}");
        createThing("plant.b:pump-3", "{\"site\":\"b\",\"n\":3}");

        HttpResponse<Buffer> response = search("ditto", "/api/2/search/things", "filter", "eq(attributes/site,\"a\")");

        assertThat(thingIds(response)).containsExactly("plant.a:pump-1", "plant.a:pump-2");
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.fieldNames()).containsExactly("items");
        assertThat(body.getJsonArray("items").getJsonObject(0).getJsonObject("attributes").getInteger("n")).isEqualTo(1);
    }

    @Test
    void searchFindsOnlyThingsTheCallerMayRead() throws Exception {
        createThing("plant.a:pump-1", "{\"site\":\"a\"}");

        assertThat(thingIds(search("reader", "/api/2/search/things"))).containsExactly("plant.a:pump-1");
        assertThat(thingIds(search("stranger", "/api/2/search/things"))).isEmpty();
        assertThat(search("stranger", "/api/2/search/things/count").bodyAsString()).isEqualTo("0");
    }

    @Test
    void partialReaderGetsOnlyReadableFieldsAndCannotMatchOnHiddenOnes() throws Exception {
        createThing("plant.a:pump-1", "{\"site\":\"a\"}");

        HttpResponse<Buffer> all = search("partial", "/api/2/search/things");
        HttpResponse<Buffer> byHiddenAttribute = search("partial", "/api/2/search/things",
                "filter", "eq(attributes/site,\"a\")");
        HttpResponse<Buffer> byReadableProperty = search("partial", "/api/2/search/things",
                "filter", "gt(features/vibration/properties/rms,0.05)");

        JsonObject item = all.bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
        assertThat(item.fieldNames()).containsExactly("features");
        assertThat(byHiddenAttribute.bodyAsJsonObject().getJsonArray("items")).isEmpty();
        assertThat(byReadableProperty.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    }

    @Test
    void invalidRqlIsRejectedWith400RqlExpressionInvalid() throws Exception {
        createThing("plant.a:pump-1", "{\"site\":\"a\"}");

        assertDittoError(search("ditto", "/api/2/search/things", "filter", "eq(attributes/site,\"a\""),
                400, "rql.expression.invalid");
        assertDittoError(search("ditto", "/api/2/search/things", "filter", "teleport(attributes/site,1)"),
                400, "rql.expression.invalid");
        assertDittoError(search("ditto", "/api/2/search/things/count", "filter", "eq(attributes/site)"),
                400, "rql.expression.invalid");
    }

    @Test
    void sizeAndCursorPageThroughEveryResultOnceInSortOrder() throws Exception {
        for (int n = 1; n <= 5; n++) {
            createThing("plant.a:pump-" + n, "{\"n\":" + n + "}");
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            String option = "sort(-attributes/n),size(2)" + (cursor == null ? "" : ",cursor(" + cursor + ")");
            HttpResponse<Buffer> page = search("ditto", "/api/2/search/things", "option", option);
            List<String> ids = thingIds(page);
            seen.addAll(ids);
            pageSizes.add(ids.size());
            cursor = page.bodyAsJsonObject().getString("cursor");
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactly("plant.a:pump-5", "plant.a:pump-4", "plant.a:pump-3", "plant.a:pump-2",
                "plant.a:pump-1");
    }

    @Test
    void sortByModifiedDescendingListsTheLastChangedThingFirst() throws Exception {
        createThing("plant.a:pump-1", "{\"n\":1}");
        createThing("plant.a:pump-2", "{\"n\":2}");
        Thread.sleep(5);
        HttpResponse<Buffer> modified = complete(client.put(port, "127.0.0.1",
                        "/api/2/things/plant.a:pump-1/attributes/n").basicAuthentication("ditto", "ditto")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("10")));
        assertThat(modified.statusCode()).isEqualTo(204);

        assertThat(thingIds(search("ditto", "/api/2/search/things", "option", "sort(-_modified)")))
                .containsExactly("plant.a:pump-1", "plant.a:pump-2");
    }

    @Test
    void cursorOfASearchWithAnotherFilterIsRejected() throws Exception {
        for (int n = 1; n <= 3; n++) {
            createThing("plant.a:pump-" + n, "{\"n\":" + n + "}");
        }
        String cursor = search("ditto", "/api/2/search/things", "option", "size(1)")
                .bodyAsJsonObject().getString("cursor");
        assertThat(cursor).isNotBlank();

        assertDittoError(search("ditto", "/api/2/search/things", "filter", "gt(attributes/n,1)",
                "option", "size(1),cursor(" + cursor + ")"), 400, "thing-search:search.option.invalid");
        assertDittoError(search("ditto", "/api/2/search/things", "option", "cursor(not-a-cursor)"),
                400, "thing-search:search.option.invalid");
    }

    @Test
    void malformedOptionsAreRejectedWith400() throws Exception {
        assertDittoError(search("ditto", "/api/2/search/things", "option", "size(0)"), 400, "thing-search:search.option.invalid");
        assertDittoError(search("ditto", "/api/2/search/things", "option", "size(201)"), 400, "thing-search:search.option.invalid");
        assertDittoError(search("ditto", "/api/2/search/things", "option", "sort(attributes/x)"),
                400, "thing-search:search.option.invalid");
        assertDittoError(search("ditto", "/api/2/search/things", "option", "shuffle()"), 400, "thing-search:search.option.invalid");
    }

    @Test
    void fieldsAndNamespacesNarrowTheItems() throws Exception {
        createThing("plant.a:pump-1", "{\"site\":\"a\",\"n\":1}");
        createThing("plant.b:pump-2", "{\"site\":\"b\",\"n\":2}");

        HttpResponse<Buffer> response = search("ditto", "/api/2/search/things",
                "namespaces", "plant.b", "fields", "thingId,attributes/n");

        JsonArray items = response.bodyAsJsonObject().getJsonArray("items");
        assertThat(items).hasSize(1);
        assertThat(items.getJsonObject(0).encode()).isEqualTo("{\"thingId\":\"plant.b:pump-2\",\"attributes\":{\"n\":2}}");
    }

    @Test
    void limitPagingAnswersWithNextPageOffset() throws Exception {
        for (int n = 1; n <= 3; n++) {
            createThing("plant.a:pump-" + n, "{\"n\":" + n + "}");
        }

        JsonObject first = search("ditto", "/api/2/search/things", "option", "limit(0,2)").bodyAsJsonObject();
        JsonObject last = search("ditto", "/api/2/search/things", "option", "limit(2,2)").bodyAsJsonObject();

        assertThat(first.getJsonArray("items")).hasSize(2);
        assertThat(first.getLong("nextPageOffset")).isEqualTo(2);
        assertThat(last.getJsonArray("items")).hasSize(1);
        assertThat(last.getLong("nextPageOffset")).isEqualTo(-1);
    }

    @Test
    void countCountsTheMatchingReadableThings() throws Exception {
        createThing("plant.a:pump-1", "{\"n\":1}");
        createThing("plant.a:pump-2", "{\"n\":2}");
        createThing("plant.a:pump-3", "{\"n\":3}");

        HttpResponse<Buffer> count = search("reader", "/api/2/search/things/count", "filter", "ge(attributes/n,2)");

        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(count.bodyAsString()).isEqualTo("2");
    }

    @Test
    void searchWithoutCredentialsIsRejectedWith401() throws Exception {
        assertDittoError(search(null, "/api/2/search/things"), 401, "gateway:authentication.failed");
    }

    @Test
    void curlSearchWithAnRqlFilterPrintsDittosResultJson() throws Exception {
        createThing("plant.a:pump-1", "{\"site\":\"a\"}");
        createThing("plant.a:pump-2", "{\"site\":\"b\"}");
        List<String> command = List.of("curl", "-s", "-G", "-w", "\n%{http_code}", "-u", "ditto:ditto",
                "--data-urlencode", "filter=eq(attributes/site,\"b\")",
                "--data-urlencode", "fields=thingId",
                "http://127.0.0.1:" + port + "/api/2/search/things");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs the 'curl' command on the PATH", e);
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output).isEqualTo("{\"items\":[{\"thingId\":\"plant.a:pump-2\"}]}\n200");
    }
}
