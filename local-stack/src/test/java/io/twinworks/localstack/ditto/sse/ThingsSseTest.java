package io.twinworks.localstack.ditto.sse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Ditto's server-sent events on {@code /api/2/things} with {@code Accept: text/event-stream}, over raw HTTP and curl. */
@ExtendWith(VertxExtension.class)
class ThingsSseTest {

    private static final Map<String, String> USERS = Map.of(
            "ditto", "ditto", "reader", "reader-secret", "partial", "partial-secret", "stranger", "stranger-secret");

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private SimpleMeterRegistry metrics;
    private DittoTwinServer server;
    private WebClient client;
    private HttpClient sseClient;
    private int port;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        metrics = new SimpleMeterRegistry();
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                metrics);
        port = complete(server.start());
        client = WebClient.create(vertx);
        sseClient = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        complete(sseClient.close());
        complete(server.stop());
    }

    private static <T> T complete(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** An open event stream: everything received, as text. */
    private static final class EventStream {
        final HttpClientResponse response;
        final StringBuffer received = new StringBuffer();

        EventStream(HttpClientResponse response) {
            this.response = response;
            response.handler(buffer -> received.append(buffer.toString(StandardCharsets.UTF_8)));
        }

        /** The payloads of the {@code data:} lines received so far. */
        List<String> data() {
            List<String> data = new ArrayList<>();
            for (String line : received.toString().split("\n")) {
                if (line.startsWith("data:")) {
                    data.add(line.substring(5));
                }
            }
            return data;
        }

        void close() throws Exception {
            complete(response.request().connection().close());
        }
    }

    private EventStream subscribe(String user, String pathAndQuery) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(pathAndQuery).putHeader("Accept", "text/event-stream")
                .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + USERS.get(user)).getBytes(StandardCharsets.UTF_8)));
        HttpClientResponse response = complete(sseClient.request(options).compose(request -> request.send()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
        return new EventStream(response);
    }

    private HttpResponse<Buffer> put(String path, String body) throws Exception {
        return complete(client.put(port, "127.0.0.1", path).basicAuthentication("ditto", "ditto")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    }

    /** A thing readable by reader, by partial only at /features/vibration, by stranger not at all. */
    private void createThing(String thingId, String site) throws Exception {
        assertThat(put("/api/2/policies/" + thingId, """
                {"entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "READER":{"subjects":{"nginx:reader":{"type":"user"}},
                            "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}},
                  "PARTIAL":{"subjects":{"nginx:partial":{"type":"user"}},
                             "resources":{"thing:/features/vibration":{"grant":["READ"],"revoke":[]}}}}}""")
                .statusCode()).isEqualTo(201);
        assertThat(put("/api/2/things/" + thingId, """
                {"policyId":"%s","attributes":{"site":"%s"},
                 "features":{"vibration":{"properties":{"rms":0.1}},"temperature":{"properties":{"c":20}}}}"""
                .formatted(thingId, site)).statusCode()).isEqualTo(201);
    }

    @Test
    void changeOfAReadableThingIsSentAsThingJsonWithOnlyTheChangedPart() throws Exception {
        createThing("plant.a:pump-1", "a");
        EventStream stream = subscribe("reader", "/api/2/things");

        put("/api/2/things/plant.a:pump-1/features/vibration/properties/rms", "0.5");

        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.data().isEmpty());
        assertThat(stream.data()).containsExactly(
                "{\"thingId\":\"plant.a:pump-1\",\"features\":{\"vibration\":{\"properties\":{\"rms\":0.5}}}}");
    }

    @Test
    void changesAppliedInOneTransactionArriveCompleteAndInRevisionOrder() throws Exception {
        createThing("plant.a:pump-1", "a");
        createThing("plant.b:pump-2", "b");
        EventStream stream = subscribe("reader", "/api/2/things?ids=plant.a:pump-1");

        // sent at once: the twin service applies queued commands in one transaction, published as one batch
        List<Future<HttpResponse<Buffer>>> writes = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            String thingId = i % 2 == 0 ? "plant.a:pump-1" : "plant.b:pump-2";
            writes.add(client.put(port, "127.0.0.1", "/api/2/things/" + thingId + "/features/vibration/properties/rms")
                    .basicAuthentication("ditto", "ditto").putHeader("Content-Type", "application/json")
                    .sendBuffer(Buffer.buffer(Integer.toString(i))));
        }
        for (Future<HttpResponse<Buffer>> write : writes) {
            assertThat(complete(write).statusCode()).isEqualTo(204);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> stream.data().size() >= 100);
        List<Integer> streamed = stream.data().stream().map(JsonObject::of)
                .map(change -> change.getValue("features/vibration/properties/rms").orElseThrow().asInt()).toList();
        // the order the changes were committed in: the thing's history, revision by revision
        List<Integer> committed = dataOf(history("reader", "/api/2/things/plant.a:pump-1"
                + "?from-historical-revision=2&fields=features/vibration")).stream().map(JsonObject::of)
                .map(revision -> revision.getValue("features/vibration/properties/rms").orElseThrow().asInt())
                .toList();
        assertThat(committed).hasSize(100);
        assertThat(streamed).isEqualTo(committed);
        assertThat(streamed).containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, 200).filter(i -> i % 2 == 0).boxed().toList());
    }

    @Test
    void userWithoutReadReceivesNothingWhileAReaderReceivesTheChange() throws Exception {
        createThing("plant.a:pump-1", "a");
        EventStream stranger = subscribe("stranger", "/api/2/things");
        EventStream reader = subscribe("reader", "/api/2/things");

        put("/api/2/things/plant.a:pump-1/attributes/site", "\"b\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> !reader.data().isEmpty());
        Thread.sleep(300);

        assertThat(stranger.data()).isEmpty();
    }

    @Test
    void partialReaderReceivesOnlyTheReadablePartOfAChange() throws Exception {
        createThing("plant.a:pump-1", "a");
        EventStream partial = subscribe("partial", "/api/2/things");
        EventStream reader = subscribe("reader", "/api/2/things");

        put("/api/2/things/plant.a:pump-1/features/temperature/properties/c", "25");
        put("/api/2/things/plant.a:pump-1/features", """
                {"vibration":{"properties":{"rms":0.7}},"temperature":{"properties":{"c":30}}}""");
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.data().size() == 2);
        Thread.sleep(300);

        assertThat(partial.data()).containsExactly(
                "{\"thingId\":\"plant.a:pump-1\",\"features\":{\"vibration\":{\"properties\":{\"rms\":0.7}}}}");
    }

    @Test
    void rqlFilterWithExtraFieldsAndIdsSelectWhichChangesAreSent() throws Exception {
        createThing("plant.a:pump-1", "a");
        createThing("plant.a:pump-2", "b");
        createThing("plant.a:pump-3", "a");
        EventStream filtered = subscribe("reader", "/api/2/things?ids=plant.a:pump-1,plant.a:pump-2"
                + "&extraFields=attributes/site&fields=thingId,features&filter=eq(attributes/site,%22a%22)");
        EventStream all = subscribe("reader", "/api/2/things");

        for (String pump : List.of("pump-1", "pump-2", "pump-3")) {
            put("/api/2/things/plant.a:" + pump + "/features/vibration/properties/rms", "0.9");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> all.data().size() == 3);
        Thread.sleep(300);

        assertThat(filtered.data()).containsExactly(
                "{\"thingId\":\"plant.a:pump-1\",\"features\":{\"vibration\":{\"properties\":{\"rms\":0.9}}}}");
    }

    @Test
    void namespacesRestrictTheStream() throws Exception {
        createThing("plant.a:pump-1", "a");
        createThing("plant.b:pump-2", "a");
        EventStream onlyB = subscribe("reader", "/api/2/things?namespaces=plant.b");

        put("/api/2/things/plant.a:pump-1/attributes/site", "\"x\"");
        put("/api/2/things/plant.b:pump-2/attributes/site", "\"y\"");

        await().atMost(Duration.ofSeconds(10)).until(() -> !onlyB.data().isEmpty());
        Thread.sleep(200);
        assertThat(onlyB.data()).containsExactly("{\"thingId\":\"plant.b:pump-2\",\"attributes\":{\"site\":\"y\"}}");
    }

    @Test
    void streamOnAPropertyPathSendsJustItsValue() throws Exception {
        createThing("plant.a:pump-1", "a");
        EventStream rms = subscribe("reader", "/api/2/things/plant.a:pump-1/features/vibration/properties/rms");

        put("/api/2/things/plant.a:pump-1/features/temperature/properties/c", "21");
        put("/api/2/things/plant.a:pump-1/features/vibration/properties/rms", "0.25");

        await().atMost(Duration.ofSeconds(10)).until(() -> !rms.data().isEmpty());
        Thread.sleep(200);
        assertThat(rms.data()).containsExactly("0.25");
    }

    @Test
    void keepAliveCommentsArriveWhileNothingChanges() throws Exception {
        EventStream stream = subscribe("reader", "/api/2/things");

        await().atMost(Duration.ofSeconds(5)).until(() -> stream.received.toString().split(":\n\n", -1).length > 2);
        assertThat(stream.data()).isEmpty();
    }

    @Test
    void clientDisconnectUnsubscribes() throws Exception {
        EventStream stream = subscribe("reader", "/api/2/things");
        await().atMost(Duration.ofSeconds(5)).until(() -> streams() == 1);

        stream.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> streams() == 0);
    }

    private double streams() {
        return metrics.get("twinworks.ditto.sse.streams").gauge().value();
    }

    @Test
    void invalidFilterIsRejectedWith400BeforeTheStreamStarts() throws Exception {
        HttpResponse<Buffer> response = complete(client.get(port, "127.0.0.1", "/api/2/things")
                .addQueryParam("filter", "eq(attributes/site").putHeader("Accept", "text/event-stream")
                .basicAuthentication("reader", USERS.get("reader")).send());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("rql.expression.invalid");
    }

    @Test
    void streamWithoutCredentialsIsRejectedWith401() throws Exception {
        HttpResponse<Buffer> response = complete(client.get(port, "127.0.0.1", "/api/2/things")
                .putHeader("Accept", "text/event-stream").send());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("gateway:authentication.failed");
    }

    @Test
    void getWithoutEventStreamAcceptStillReachesTheRegularApi() throws Exception {
        createThing("plant.a:pump-1", "a");

        HttpResponse<Buffer> response = complete(client.get(port, "127.0.0.1", "/api/2/things/plant.a:pump-1/attributes/site")
                .basicAuthentication("reader", USERS.get("reader")).send());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("\"a\"");
    }

    @Test
    void curlWithEventStreamAcceptPrintsTheChangeAsDataLine() throws Exception {
        createThing("plant.a:pump-1", "a");
        List<String> command = List.of("curl", "-s", "-N", "-u", "reader:reader-secret",
                "-H", "Accept: text/event-stream", "http://127.0.0.1:" + port + "/api/2/things?fields=thingId,attributes");
        Process curl;
        try {
            curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs the 'curl' command on the PATH", e);
        }
        try {
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(curl.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // curl was stopped
                }
            });
            reader.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(":"));   // the stream is open

            put("/api/2/things/plant.a:pump-1/attributes/site", "\"c\"");

            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data:")));
            assertThat(lines.stream().filter(l -> l.startsWith("data:")).toList())
                    .containsExactly("data:{\"thingId\":\"plant.a:pump-1\",\"attributes\":{\"site\":\"c\"}}");
        } finally {
            curl.destroy();
            curl.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ Ditto 3.2+ history over SSE

    /** A historical stream: the whole answer (it ends by itself), and its data lines. */
    private HttpResponse<Buffer> history(String user, String pathAndQuery) throws Exception {
        return complete(client.get(port, "127.0.0.1", pathAndQuery).putHeader("Accept", "text/event-stream")
                .basicAuthentication(user, USERS.get(user)).send());
    }

    private static List<String> dataOf(HttpResponse<Buffer> response) {
        List<String> data = new ArrayList<>();
        for (String line : response.bodyAsString().split("\n")) {
            if (line.startsWith("data:")) {
                data.add(line.substring(5));
            }
        }
        return data;
    }

    /** Revision 1 creates the thing, 2 and 3 change the vibration, 4 the temperature. */
    private void thingWithHistory() throws Exception {
        createThing("plant.a:pump-1", "a");
        put("/api/2/things/plant.a:pump-1/features/vibration/properties/rms", "0.5");
        put("/api/2/things/plant.a:pump-1/features/vibration/properties/rms", "0.6");
        put("/api/2/things/plant.a:pump-1/features/temperature/properties/c", "25");
    }

    @Test
    void historyFromARevisionSendsEachRecordedRevisionAsThingJsonAndEnds() throws Exception {
        thingWithHistory();

        HttpResponse<Buffer> response = history("reader", "/api/2/things/plant.a:pump-1"
                + "?from-historical-revision=2&to-historical-revision=3&fields=thingId,features/vibration,_revision");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
        assertThat(dataOf(response)).containsExactly(
                "{\"thingId\":\"plant.a:pump-1\",\"features\":{\"vibration\":{\"properties\":{\"rms\":0.5}}},\"_revision\":2}",
                "{\"thingId\":\"plant.a:pump-1\",\"features\":{\"vibration\":{\"properties\":{\"rms\":0.6}}},\"_revision\":3}");
    }

    @Test
    void negativeFromRevisionCountsBackFromTheCurrentRevision() throws Exception {
        thingWithHistory();

        HttpResponse<Buffer> response = history("reader",
                "/api/2/things/plant.a:pump-1?from-historical-revision=-1&fields=_revision");

        assertThat(dataOf(response)).containsExactly("{\"_revision\":3}", "{\"_revision\":4}");
    }

    @Test
    void historyByTimestampSendsTheRevisionsModifiedWithinTheRange() throws Exception {
        thingWithHistory();

        assertThat(dataOf(history("reader", "/api/2/things/plant.a:pump-1"
                + "?from-historical-timestamp=2000-01-01T00:00:00Z&fields=_revision"))).hasSize(4);
        assertThat(dataOf(history("reader", "/api/2/things/plant.a:pump-1"
                + "?from-historical-timestamp=2000-01-01T00:00:00Z&to-historical-timestamp=2000-01-02T00:00:00Z")))
                .isEmpty();
        List<String> withModified = dataOf(history("reader", "/api/2/things/plant.a:pump-1"
                + "?from-historical-revision=1&to-historical-revision=1&fields=_modified"));
        assertThat(withModified).singleElement().asString().startsWith("{\"_modified\":\"20");
    }

    @Test
    void historyOnAPathSendsTheValuesThereAndAFilterSelectsRevisions() throws Exception {
        thingWithHistory();

        assertThat(dataOf(history("reader", "/api/2/things/plant.a:pump-1/features/vibration/properties/rms"
                + "?from-historical-revision=0"))).containsExactly("0.1", "0.5", "0.6");
        assertThat(dataOf(history("reader", "/api/2/things/plant.a:pump-1?from-historical-revision=0"
                + "&filter=gt(features/vibration/properties/rms,0.55)&fields=_revision")))
                .containsExactly("{\"_revision\":3}");
    }

    @Test
    void historyShowsAPartialReaderOnlyWhatItMayRead() throws Exception {
        thingWithHistory();

        List<String> data = dataOf(history("partial", "/api/2/things/plant.a:pump-1?from-historical-revision=0"
                + "&fields=features,_revision"));

        assertThat(data).containsExactly(
                "{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.1}}},\"_revision\":1}",
                "{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.5}}},\"_revision\":2}",
                "{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.6}}},\"_revision\":3}");
    }

    @Test
    void historyOfAThingWithoutReadIsNotFoundLikeAMissingThing() throws Exception {
        thingWithHistory();

        HttpResponse<Buffer> stranger = history("stranger", "/api/2/things/plant.a:pump-1?from-historical-revision=0");
        HttpResponse<Buffer> missing = history("reader", "/api/2/things/plant.a:nothing?from-historical-revision=0");

        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(stranger.bodyAsJsonObject().getString("error")).isEqualTo("things:thing.notfound");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("things:thing.notfound");
    }

    @Test
    void malformedHistoryParametersAreRejectedWith400() throws Exception {
        thingWithHistory();

        HttpResponse<Buffer> revision = history("reader", "/api/2/things/plant.a:pump-1?from-historical-revision=two");
        HttpResponse<Buffer> timestamp = history("reader",
                "/api/2/things/plant.a:pump-1?from-historical-timestamp=yesterday");
        HttpResponse<Buffer> onlyTo = history("reader", "/api/2/things/plant.a:pump-1?to-historical-revision=3");

        assertThat(revision.statusCode()).isEqualTo(400);
        assertThat(revision.bodyAsJsonObject().getString("message")).contains("from-historical-revision");
        assertThat(timestamp.statusCode()).isEqualTo(400);
        assertThat(timestamp.bodyAsJsonObject().getString("message")).contains("from-historical-timestamp");
        assertThat(onlyTo.statusCode()).isEqualTo(400);
    }

    @Test
    void historyWithoutCredentialsIsRejectedWith401() throws Exception {
        thingWithHistory();

        HttpResponse<Buffer> response = complete(client.get(port, "127.0.0.1",
                "/api/2/things/plant.a:pump-1?from-historical-revision=0").putHeader("Accept", "text/event-stream").send());

        assertThat(response.statusCode()).isEqualTo(401);
    }
}
