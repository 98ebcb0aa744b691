package io.twinworks.localstack.ditto;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad inputs that once answered 500 or plain text: unsupported content types (415), invalid
 * percent-encoding in the path or query (400 {@code uri.invalid}, one INFO line, no stack trace),
 * the policy resource path {@code thing:/}, an empty path segment, the bare {@code /api/2}.
 */
@ExtendWith(VertxExtension.class)
class DittoHttpBadInputTest {

    private static final String AUTH = DittoApiFuzzRequests.basic("ditto", "ditto");

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private HttpClient http;
    private int port;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    private record Answer(int status, String contentType, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        port = await(server.start());
        http = vertx.createHttpClient();
        assertThat(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1", "application/json",
                "{\"attributes\":{\"a\":1}}").status()).isEqualTo(201);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.setContext(root.getLoggerContext());
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        await(http.close());
        await(server.stop());
    }

    @Test
    void multipartFormDataOnAThingsRouteIs415InDittosShape() throws Exception {
        for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.POST, HttpMethod.GET,
                HttpMethod.OPTIONS)) {
            Answer answer = send(method, "/api/2/things/bad.input:thing-1/attributes", "multipart/form-data",
                    "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n");

            assertDittoError(answer, 415, "mediatype.unsupported");
        }
    }

    @Test
    void formUrlEncodedAndTextBodiesOnThingsRoutesAre415() throws Exception {
        assertDittoError(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1/attributes/a",
                "application/x-www-form-urlencoded", "a=%ZZ"), 415, "mediatype.unsupported");
        assertDittoError(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1/attributes/a", "text/plain", "2"),
                415, "mediatype.unsupported");
        assertDittoError(send(HttpMethod.PUT, "/api/2/policies/bad.input:thing-1", "application/xml", "<policy/>"),
                415, "mediatype.unsupported");
    }

    @Test
    void jsonInACharsetOtherThanUtf8Is415() throws Exception {
        assertDittoError(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1/attributes/a",
                "application/json; charset=ebcdic", "2"), 415, "mediatype.unsupported");
        assertDittoError(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1/attributes/a",
                "application/json; charset=ISO-8859-1", "2"), 415, "mediatype.unsupported");
    }

    @Test
    void jsonWithUtf8CharsetOrWithoutContentTypeIsStillAccepted() throws Exception {
        assertThat(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1/attributes/a",
                "application/json; charset=UTF-8", "2").status()).isEqualTo(204);
        assertThat(send(HttpMethod.PUT, "/api/2/things/bad.input:thing-1/attributes/a", null, "3").status())
                .isEqualTo(204);
        assertThat(send(HttpMethod.GET, "/api/2/things/bad.input:thing-1/attributes/a", "text/plain", null).body())
                .isEqualTo("3");
    }

    @Test
    void invalidPercentEncodingInThePathIs400UriInvalidLoggedOnceAtInfoWithoutStackTrace() throws Exception {
        for (String uri : List.of("/api/2/things/%", "/api/2/things/a:%ZZ", "/api/2/things/a:%ZZ/attributes",
                "/api/2/things/bad.input:thing-1/inbox/messages/%ZZ", "/api/2/policies/a:%Z",
                "/api/2/search/things/%", "/%")) {
            logs.list.clear();

            Answer answer = send(HttpMethod.GET, uri, null, null);

            assertDittoError(answer, 400, "uri.invalid");
            List<ILoggingEvent> lines = logs.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                    .toList();
            assertThat(lines).as(uri).hasSize(1);
            assertThat(lines.get(0).getLevel()).isEqualTo(Level.INFO);
            assertThat(lines.get(0).getThrowableProxy()).isNull();
        }
    }

    @Test
    void invalidPercentEncodingInTheQueryIs400UriInvalid() throws Exception {
        assertDittoError(send(HttpMethod.GET, "/api/2/things/bad.input:thing-1?fields=%ZZ", null, null),
                400, "uri.invalid");
        assertDittoError(send(HttpMethod.GET, "/api/2/search/things?filter=eq(thingId,%22a%", null, null),
                400, "uri.invalid");
        assertDittoError(send(HttpMethod.POST, "/api/2/things/bad.input:thing-1/inbox/messages/ask?timeout=%",
                "text/plain", "hi"), 400, "uri.invalid");
    }

    @Test
    void policyResourceThingRootCanBeReadAndDeleted() throws Exception {
        String resource = "/api/2/policies/bad.input:thing-1/entries/DEFAULT/resources/thing:/";

        Answer read = send(HttpMethod.GET, resource, null, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().getJsonArray("grant").getList()).containsExactlyInAnyOrder("READ", "WRITE");

        Answer deleted = send(HttpMethod.DELETE, resource, null, null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertDittoError(send(HttpMethod.GET, resource, null, null), 404, "policies:resource.notfound");
    }

    @Test
    void policyResourceWithAPathBelowTheRootCanBeWrittenAndRead() throws Exception {
        String resource = "/api/2/policies/bad.input:thing-1/entries/DEFAULT/resources/thing:/features/x";

        Answer written = send(HttpMethod.PUT, resource, "application/json", "{\"grant\":[\"READ\"],\"revoke\":[]}");
        assertThat(written.status()).as(written.body()).isEqualTo(201);
        assertThat(send(HttpMethod.GET, resource, null, null).json().getJsonArray("grant").getList())
                .containsExactly("READ");
    }

    @Test
    void emptySegmentInsideAResourcePathIs400JsonPointerInvalid() throws Exception {
        assertDittoError(send(HttpMethod.PUT, "/api/2/policies/bad.input:thing-1/entries//x", "application/json", "{}"),
                400, "json.pointer.invalid");
    }

    @Test
    void bareApiRootIs400PathUnknownNotAServerError() throws Exception {
        assertDittoError(send(HttpMethod.PUT, "/api/2", "application/json", "true"), 400,
                "signals.commands:path.unknown");
    }

    private static void assertDittoError(Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonObject json = answer.json();
        assertThat(json.getInteger("status")).isEqualTo(status);
        assertThat(json.getString("error")).isEqualTo(error);
        assertThat(json.getString("message")).isNotBlank();
    }

    private Answer send(HttpMethod method, String uri, String contentType, String body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
                .putHeader("Authorization", AUTH);
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        // the body is asked for in the response's own callback, on the event loop: attached later from this
        // thread, it could miss a body that had already arrived (an empty answer now and then)
        Future<Answer> answer = http.request(options).compose(request -> {
            Future<HttpClientResponse> response = body == null ? request.send() : request.send(Buffer.buffer(body));
            return response.compose(r -> r.body().map(b -> new Answer(r.statusCode(),
                    String.valueOf(r.getHeader("Content-Type")), b.toString())));
        });
        return await(answer);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
