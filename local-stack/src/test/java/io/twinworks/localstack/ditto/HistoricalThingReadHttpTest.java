package io.twinworks.localstack.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ditto 3.2+'s historical reads on the local stack's HTTP API: {@code GET} of a thing or one of its parts with
 * {@code at-historical-revision} / {@code at-historical-timestamp} answers the recorded state, with Ditto's entity
 * tag, field selection and the current policy's READ enforcement; what is not recorded answers Ditto's
 * {@code things:thing.history.notfound}, malformed values {@code header.invalid}.
 */
@ExtendWith(VertxExtension.class)
class HistoricalThingReadHttpTest {

    private static final String THING = "plant.hist:pump-1";
    private static final String POLICY = """
            {"entries":{
              "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},"policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "READER":{"subjects":{"nginx:reader":{"type":"user"}},
                        "resources":{"thing:/features":{"grant":["READ"],"revoke":[]}}}}}""";
    private static final String REVISION_1 = "{\"policyId\":\"" + THING + "\",\"definition\":\"plant.hist:pump:1.0.0\","
            + "\"attributes\":{\"site\":\"a\"},\"features\":{\"vibration\":{\"properties\":{\"rms\":1.5},"
            + "\"desiredProperties\":{\"rms\":1.0}}}}";

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private WebClient client;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        client = WebClient.create(vertx);
        startServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withWotValidation(false)
                .withDitto(0, Map.of("ditto", "ditto", "reader", "reader", "stranger", "stranger")));
        assertThat(send(HttpMethod.PUT, "/api/2/policies/" + THING, POLICY).statusCode()).isEqualTo(201);
        // revision 1: created; 2: attribute changed and added; 3: feature property merged
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING, REVISION_1).statusCode()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING + "/attributes",
                "{\"site\":\"b\",\"line\":7}").statusCode()).isEqualTo(204);
        assertThat(await(request("ditto", HttpMethod.PATCH, "/api/2/things/" + THING + "/features/vibration/properties")
                .putHeader("Content-Type", "application/merge-patch+json")
                .sendBuffer(Buffer.buffer("{\"rms\":2.5}"))).statusCode()).isEqualTo(204);
    }

    private void startServer(Vertx vertx, LocalStackConfig config) throws Exception {
        server = new DittoTwinServer(vertx, config, new SimpleMeterRegistry());
        await(server.start());
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

    private HttpResponse<Buffer> send(HttpMethod method, String path, String json) throws Exception {
        HttpRequest<Buffer> request = request("ditto", method, path);
        return await(json == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
    }

    private HttpResponse<Buffer> getAt(String user, String path, String header, String value) throws Exception {
        return await(request(user, HttpMethod.GET, path).putHeader(header, value).send());
    }

    private HttpResponse<Buffer> getAtRevision(String path, String revision) throws Exception {
        return getAt("ditto", path, "at-historical-revision", revision);
    }

    private Instant modifiedAt(long revision) throws Exception {
        HttpResponse<Buffer> response = getAtRevision("/api/2/things/" + THING + "?fields=_modified", Long.toString(revision));
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return Instant.parse(response.bodyAsJsonObject().getString("_modified"));
    }

    private static void assertError(HttpResponse<Buffer> response, int status, String error) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("error")).isEqualTo(error);
        assertThat(body.getInteger("status")).isEqualTo(status);
        assertThat(body.getString("message")).isNotBlank();
        assertThat(body.getString("description")).isNotBlank();
    }

    // ---- the state at a revision

    @Test
    void aRevisionAnswersTheWholeThingAsItWasThenWithThatRevisionsEntityTag() throws Exception {
        HttpResponse<Buffer> first = getAtRevision("/api/2/things/" + THING, "1");
        HttpResponse<Buffer> second = getAtRevision("/api/2/things/" + THING, "2");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.bodyAsJsonObject()).isEqualTo(new JsonObject(REVISION_1).put("thingId", THING));
        assertThat(first.getHeader("ETag")).isEqualTo("\"rev:1\"");
        assertThat(second.bodyAsJsonObject().getJsonObject("attributes"))
                .isEqualTo(new JsonObject().put("site", "b").put("line", 7));
        assertThat(second.bodyAsJsonObject().getJsonObject("features").getJsonObject("vibration")
                .getJsonObject("properties").getDouble("rms")).isEqualTo(1.5);
        assertThat(second.getHeader("ETag")).isEqualTo("\"rev:2\"");
        HttpResponse<Buffer> current = send(HttpMethod.GET, "/api/2/things/" + THING, null);
        assertThat(current.getHeader("ETag")).as("the current state is untouched").isEqualTo("\"rev:3\"");
        assertThat(current.bodyAsJsonObject().getJsonObject("features").getJsonObject("vibration")
                .getJsonObject("properties").getDouble("rms")).isEqualTo(2.5);
    }

    @Test
    void everyPartOfTheThingIsReadableAtARevision() throws Exception {
        String thing = "/api/2/things/" + THING;
        Map<String, Object> expectedAtRevision1 = Map.of(
                "/attributes", new JsonObject().put("site", "a"),
                "/attributes/site", "a",
                "/definition", "plant.hist:pump:1.0.0",
                "/policyId", THING,
                "/features", new JsonObject(REVISION_1).getJsonObject("features"),
                "/features/vibration", new JsonObject(REVISION_1).getJsonObject("features").getJsonObject("vibration"),
                "/features/vibration/properties", new JsonObject().put("rms", 1.5),
                "/features/vibration/properties/rms", 1.5,
                "/features/vibration/desiredProperties", new JsonObject().put("rms", 1.0));
        for (Map.Entry<String, Object> part : expectedAtRevision1.entrySet()) {
            HttpResponse<Buffer> response = getAtRevision(thing + part.getKey(), "1");

            assertThat(response.statusCode()).as(part.getKey() + ": " + response.bodyAsString()).isEqualTo(200);
            assertThat(io.vertx.core.json.Json.decodeValue(response.bodyAsString())).as(part.getKey())
                    .isEqualTo(part.getValue());
            assertThat(response.getHeader("ETag")).as(part.getKey()).isNotBlank();
        }
    }

    @Test
    void aPartThatDidNotExistAtThatRevisionIsNotFoundAsDittoAnswersForTheCurrentState() throws Exception {
        HttpResponse<Buffer> response = getAtRevision("/api/2/things/" + THING + "/attributes/line", "1");

        assertError(response, 404, "things:attribute.notfound");
        assertThat(getAtRevision("/api/2/things/" + THING + "/attributes/line", "2").bodyAsString()).isEqualTo("7");
    }

    @Test
    void theFieldSelectorAppliesToTheHistoricalStateIncludingItsRevisionAndModified() throws Exception {
        HttpResponse<Buffer> response = getAtRevision("/api/2/things/" + THING + "?fields=attributes,_revision,_modified", "1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("attributes", "_revision", "_modified");
        assertThat(body.getLong("_revision")).isEqualTo(1L);
        assertThat(body.getJsonObject("attributes")).isEqualTo(new JsonObject().put("site", "a"));
        assertThat(Instant.parse(body.getString("_modified"))).isBefore(modifiedAt(3));
    }

    @Test
    void aQueryParameterOfTheSameNameWorksAsTheHeaderAsInDittosGateway() throws Exception {
        HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/2/things/" + THING + "/attributes?at-historical-revision=1", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("site", "a"));
    }

    @Test
    void anIfNoneMatchOnTheHistoricalEntityTagIsNotModified() throws Exception {
        HttpResponse<Buffer> response = await(request("ditto", HttpMethod.GET, "/api/2/things/" + THING)
                .putHeader("at-historical-revision", "1").putHeader("If-None-Match", "\"rev:1\"").send());

        assertThat(response.statusCode()).isEqualTo(304);
    }

    @Test
    void severalThingsAtOnceAreReadAtTheRevisionLeavingOutThoseWithoutIt() throws Exception {
        String other = "plant.hist:pump-2";
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + other, "{\"policyId\":\"" + THING + "\"}").statusCode())
                .isEqualTo(201);
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + other + "/attributes/x", "1").statusCode()).isEqualTo(201);

        HttpResponse<Buffer> response = getAtRevision("/api/2/things?ids=" + THING + "," + other + "&fields=thingId,attributes", "2");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray things = response.bodyAsJsonArray();
        assertThat(things.size()).isEqualTo(2);
        assertThat(things.getJsonObject(0).getJsonObject("attributes").getString("site")).isEqualTo("b");
        assertThat(things.getJsonObject(1).getJsonObject("attributes").getInteger("x")).isEqualTo(1);
        assertThat(getAtRevision("/api/2/things?ids=" + THING + "," + other, "3").bodyAsJsonArray().size())
                .as("the other thing has no revision 3").isEqualTo(1);
    }

    // ---- the state at a time

    @Test
    void aTimestampAnswersTheNewestStateModifiedStrictlyBeforeItAsDitto() throws Exception {
        Instant second = modifiedAt(2);
        Instant third = modifiedAt(3);

        HttpResponse<Buffer> atSecond = getAt("ditto", "/api/2/things/" + THING + "/attributes",
                "at-historical-timestamp", second.toString());
        HttpResponse<Buffer> atThird = getAt("ditto", "/api/2/things/" + THING + "?fields=_revision",
                "at-historical-timestamp", third.toString());
        HttpResponse<Buffer> now = getAt("ditto", "/api/2/things/" + THING + "?fields=_revision",
                "at-historical-timestamp", Instant.now().toString());

        assertThat(atSecond.bodyAsJsonObject()).isEqualTo(new JsonObject().put("site", "a"));
        assertThat(atThird.bodyAsJsonObject().getLong("_revision")).isEqualTo(2L);
        assertThat(atThird.getHeader("ETag")).isEqualTo("\"rev:2\"");
        assertThat(now.bodyAsJsonObject().getLong("_revision")).isEqualTo(3L);
    }

    @Test
    void aTimestampWithAnOffsetIsTheSameInstant() throws Exception {
        Instant third = modifiedAt(3);
        String withOffset = third.atOffset(java.time.ZoneOffset.ofHours(2)).toString();

        HttpResponse<Buffer> response = getAt("ditto", "/api/2/things/" + THING + "?fields=_revision",
                "at-historical-timestamp", withOffset);

        assertThat(response.bodyAsJsonObject().getLong("_revision")).as(withOffset).isEqualTo(2L);
    }

    @Test
    void aTimestampBeforeCreationIsHistoryNotFound() throws Exception {
        HttpResponse<Buffer> response = getAt("ditto", "/api/2/things/" + THING, "at-historical-timestamp",
                modifiedAt(1).minusSeconds(60).toString());

        assertError(response, 404, "things:thing.history.notfound");
        assertThat(response.bodyAsJsonObject().getString("message")).contains("at timestamp");
    }

    @Test
    void aTimestampInTheFutureIsHistoryNotFoundAsDittoDeniesIt() throws Exception {
        HttpResponse<Buffer> response = getAt("ditto", "/api/2/things/" + THING, "at-historical-timestamp",
                Instant.now().plusSeconds(3600).toString());

        assertError(response, 404, "things:thing.history.notfound");
    }

    @Test
    void bothHeadersTogetherAnswerTheNewestStateUpToTheRevisionBeforeTheTime() throws Exception {
        HttpResponse<Buffer> narrowedByTime = await(request("ditto", HttpMethod.GET, "/api/2/things/" + THING + "?fields=_revision")
                .putHeader("at-historical-revision", "3")
                .putHeader("at-historical-timestamp", modifiedAt(2).toString()).send());
        HttpResponse<Buffer> narrowedByRevision = await(request("ditto", HttpMethod.GET, "/api/2/things/" + THING + "?fields=_revision")
                .putHeader("at-historical-revision", "2")
                .putHeader("at-historical-timestamp", Instant.now().toString()).send());
        HttpResponse<Buffer> nothingSatisfiesBoth = await(request("ditto", HttpMethod.GET, "/api/2/things/" + THING)
                .putHeader("at-historical-revision", "2")
                .putHeader("at-historical-timestamp", modifiedAt(1).toString()).send());

        assertThat(narrowedByTime.bodyAsJsonObject().getLong("_revision")).isEqualTo(1L);
        assertThat(narrowedByRevision.bodyAsJsonObject().getLong("_revision")).isEqualTo(2L);
        assertError(nothingSatisfiesBoth, 404, "things:thing.history.notfound");
    }

    // ---- revisions that are not there

    @Test
    void aRevisionAfterTheCurrentOneIsHistoryNotFound() throws Exception {
        HttpResponse<Buffer> response = getAtRevision("/api/2/things/" + THING, "4");

        assertError(response, 404, "things:thing.history.notfound");
        assertThat(response.bodyAsJsonObject().getString("message"))
                .isEqualTo("The Thing with ID '" + THING + "' at revision '4' could not be found or requester had"
                        + " insufficient permissions to access it.");
    }

    @Test
    void revisionZeroIsHistoryNotFound() throws Exception {
        assertError(getAtRevision("/api/2/things/" + THING, "0"), 404, "things:thing.history.notfound");
    }

    @Test
    void aNegativeRevisionIsHistoryNotFound() throws Exception {
        assertError(getAtRevision("/api/2/things/" + THING + "/attributes", "-1"), 404, "things:thing.history.notfound");
    }

    @Test
    void aRevisionBeyondTheRetainedDepthIsHistoryNotFound(Vertx vertx) throws Exception {
        await(server.stop());
        startServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withWotValidation(false)
                .withDitto(0, Map.of("ditto", "ditto")).withThingHistoryDepth(2));
        // revision 4 prunes everything at or below revision 2
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING + "/attributes/site", "\"c\"").statusCode()).isEqualTo(204);

        assertError(getAtRevision("/api/2/things/" + THING, "2"), 404, "things:thing.history.notfound");
        assertError(getAtRevision("/api/2/things/" + THING, "1"), 404, "things:thing.history.notfound");
        assertThat(getAtRevision("/api/2/things/" + THING + "/attributes/site", "3").bodyAsString()).isEqualTo("\"b\"");
        assertThat(getAtRevision("/api/2/things/" + THING + "/attributes/site", "4").bodyAsString()).isEqualTo("\"c\"");
    }

    @Test
    void withoutHistoryOnlyTheCurrentRevisionIsReadable(Vertx vertx) throws Exception {
        await(server.stop());
        // a store that never kept history
        startServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir.resolve("no-history")).withWotValidation(false)
                .withDitto(0, Map.of("ditto", "ditto")).withThingHistoryDepth(0));
        assertThat(send(HttpMethod.PUT, "/api/2/policies/" + THING, POLICY).statusCode()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING, REVISION_1).statusCode()).isEqualTo(201);
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING + "/attributes/site", "\"c\"").statusCode()).isEqualTo(204);

        assertThat(getAtRevision("/api/2/things/" + THING + "/attributes/site", "2").bodyAsString()).isEqualTo("\"c\"");
        assertError(getAtRevision("/api/2/things/" + THING, "1"), 404, "things:thing.history.notfound");
    }

    // ---- malformed values

    @Test
    void aNonNumericRevisionIsHeaderInvalid() throws Exception {
        for (String value : new String[]{"abc", "1.5", "", "99999999999999999999"}) {
            HttpResponse<Buffer> response = getAtRevision("/api/2/things/" + THING, value);

            assertError(response, 400, "header.invalid");
            assertThat(response.bodyAsJsonObject().getString("message")).as(value).contains("at-historical-revision");
        }
    }

    @Test
    void aMalformedTimestampIsHeaderInvalid() throws Exception {
        for (String value : new String[]{"yesterday", "2026-01-01", "2026-01-01T10:00:00", "1700000000"}) {
            HttpResponse<Buffer> response = getAt("ditto", "/api/2/things/" + THING, "at-historical-timestamp", value);

            assertError(response, 400, "header.invalid");
            assertThat(response.bodyAsJsonObject().getString("message")).as(value).contains("at-historical-timestamp");
        }
    }

    @Test
    void aMalformedQueryParameterIsHeaderInvalidToo() throws Exception {
        assertError(send(HttpMethod.GET, "/api/2/things/" + THING + "?at-historical-revision=x", null),
                400, "header.invalid");
    }

    // ---- existence and permissions: the current thing and its current policy decide

    @Test
    void aDeletedThingIsNotFoundAtAnyRevision() throws Exception {
        assertThat(send(HttpMethod.DELETE, "/api/2/things/" + THING, null).statusCode()).isEqualTo(204);

        assertError(getAtRevision("/api/2/things/" + THING, "2"), 404, "things:thing.notfound");
    }

    @Test
    void aThingThatNeverExistedIsNotFound() throws Exception {
        assertError(getAtRevision("/api/2/things/plant.hist:never", "1"), 404, "things:thing.notfound");
    }

    @Test
    void aRevisionAtWhichTheThingWasDeletedIsHistoryNotFound() throws Exception {
        assertThat(send(HttpMethod.DELETE, "/api/2/things/" + THING, null).statusCode()).isEqualTo(204);
        assertThat(send(HttpMethod.PUT, "/api/2/things/" + THING, "{\"policyId\":\"" + THING + "\"}").statusCode())
                .as("re-created at revision 5").isEqualTo(201);

        assertError(getAtRevision("/api/2/things/" + THING, "4"), 404, "things:thing.history.notfound");
        assertThat(getAtRevision("/api/2/things/" + THING + "/attributes/site", "3").bodyAsString())
                .as("the earlier life stays readable, as Ditto's journal keeps it").isEqualTo("\"b\"");
    }

    @Test
    void aSubjectWithoutReadIsToldTheThingDoesNotExist() throws Exception {
        assertError(getAt("stranger", "/api/2/things/" + THING, "at-historical-revision", "1"), 404, "things:thing.notfound");
        assertError(getAt("stranger", "/api/2/things/" + THING, "at-historical-revision", "99"), 404, "things:thing.notfound");
    }

    @Test
    void aPartialReaderSeesOnlyWhatTheCurrentPolicyGrantsOfTheHistoricalState() throws Exception {
        HttpResponse<Buffer> whole = getAt("reader", "/api/2/things/" + THING, "at-historical-revision", "1");
        HttpResponse<Buffer> attributes = getAt("reader", "/api/2/things/" + THING + "/attributes", "at-historical-revision", "1");

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.bodyAsJsonObject().fieldNames()).containsExactly("features");
        assertThat(whole.bodyAsJsonObject().getJsonObject("features").getJsonObject("vibration")
                .getJsonObject("properties").getDouble("rms")).isEqualTo(1.5);
        assertThat(attributes.statusCode()).isEqualTo(404);
        assertThat(attributes.bodyAsJsonObject().getString("error")).isEqualTo("things:attributes.notfound");
    }

    @Test
    void theCurrentPolicyNotThePastOneDecides() throws Exception {
        // revoke the reader's grant now: the past state, when it could read, is no longer readable to it
        String withoutReader = POLICY.replace("\"nginx:reader\"", "\"nginx:nobody\"");
        assertThat(send(HttpMethod.PUT, "/api/2/policies/" + THING, withoutReader).statusCode()).isEqualTo(204);

        assertError(getAt("reader", "/api/2/things/" + THING, "at-historical-revision", "1"), 404, "things:thing.notfound");
    }

    @Test
    void aWriteWithTheHeadersIsAppliedToTheCurrentStateAsDittoIgnoresThemThere() throws Exception {
        HttpResponse<Buffer> response = await(request("ditto", HttpMethod.PUT, "/api/2/things/" + THING + "/attributes/site")
                .putHeader("at-historical-revision", "1").putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("\"d\"")));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(send(HttpMethod.GET, "/api/2/things/" + THING + "/attributes/site", null).bodyAsString()).isEqualTo("\"d\"");
        assertThat(response.getHeader("ETag")).isNotEqualTo("\"rev:1\"");
    }
}
