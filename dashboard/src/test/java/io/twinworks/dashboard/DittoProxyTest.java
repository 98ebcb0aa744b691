package io.twinworks.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.twinworks.dashboard.DashboardStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy against a recording HTTP server standing in for Ditto (the browser tests run it against the
 * local stack's real Ditto API): what it forwards, what it keeps back, and how it fails.
 */
class DittoProxyTest {

    private final Vertx vertx = Vertx.vertx();
    private final CopyOnWriteArrayList<HttpServerRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> receivedBody = new AtomicReference<>();
    private final AtomicBoolean streamClosedAtDitto = new AtomicBoolean();
    private HttpServer ditto;
    private DashboardServer dashboard;
    private HttpClient browser;
    private int port;

    @BeforeEach
    void start() {
        ditto = await(vertx.createHttpServer().requestHandler(request -> {
            if (request.path().endsWith(DashboardServer.DITTO_PROBE_PATH)) {
                request.response().setStatusCode(401).end();   // the dashboard's readiness probe, not a proxied request
                return;
            }
            received.add(request);
            if (request.path().endsWith("/stream")) {
                request.response().setChunked(true).putHeader("content-type", "text/event-stream")
                        .write("data:{\"n\":1}\n\n");
                request.connection().closeHandler(closed -> streamClosedAtDitto.set(true));
                return;
            }
            request.body().onSuccess(body -> {
                receivedBody.set(body.toString());
                request.response().setStatusCode(request.getHeader("Authorization") == null ? 401 : 200)
                        .putHeader("content-type", "application/json")
                        .putHeader("WWW-Authenticate", "Basic realm=\"DITTO\"")
                        .end(new JsonObject().put("path", request.uri()).encode());
            });
        }).listen(0));
        dashboard = new DashboardServer(vertx, DashboardConfig.fromEnv(Map.of())
                .withDittoUrl(URI.create("http://127.0.0.1:" + ditto.actualPort() + "/ditto")).withHttpPort(0));
        port = await(dashboard.start());
        browser = vertx.createHttpClient();
    }

    @AfterEach
    void stop() {
        await(dashboard.stop());
        await(vertx.close());
    }

    /** A response with its whole body (read on the response's context, before it can be lost). */
    private record Answer(HttpClientResponse response, Buffer body) {
        int statusCode() {
            return response.statusCode();
        }

        String getHeader(String name) {
            return response.getHeader(name);
        }

        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private Answer send(HttpMethod method, String uri, Map<String, String> headers, String body) {
        return send(port, method, uri, headers, body);
    }

    private Answer send(int toPort, HttpMethod method, String uri, Map<String, String> headers, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(toPort).setURI(uri);
        headers.forEach(options::addHeader);
        return await(browser.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(content -> new Answer(response, content))));
    }

    @Test
    void forwardsMethodPathQueryBodyAndTheUsersOwnCredentials() {
        Answer response = send(HttpMethod.PUT, "/api/2/things/a:b/attributes/x?timeout=5",
                Map.of("Authorization", "Basic dXNlcjpwYXNz", "Content-Type", "application/json",
                        "Cookie", "dashboard-session=1"), "42");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject answer = response.json();
        assertThat(answer.getString("path")).isEqualTo("/ditto/api/2/things/a:b/attributes/x?timeout=5");
        HttpServerRequest atDitto = received.get(0);
        assertThat(atDitto.method()).isEqualTo(HttpMethod.PUT);
        assertThat(atDitto.getHeader("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(atDitto.getHeader("Cookie")).isNull();
        assertThat(receivedBody.get()).isEqualTo("42");
    }

    @Test
    void dittosBasicChallengeDoesNotReachTheBrowserSoThatItShowsNoLoginDialogOfItsOwn() {
        Answer response = send(HttpMethod.GET, "/api/2/things", Map.of(), null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isNull();
    }

    @Test
    void pathsOutsideTheDittoApiAreNotForwarded() {
        Answer response = send(HttpMethod.GET, "/api/2/../../status/health", Map.of(), null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(received).isEmpty();
    }

    @Test
    void dittoUnreachableIsA502InTheSharedErrorShape() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DashboardServer orphan = new DashboardServer(vertx, DashboardConfig.fromEnv(Map.of())
                .withDittoUrl(URI.create("http://127.0.0.1:" + closedPort)).withHttpPort(0));
        int orphanPort = await(orphan.start());
        Answer response = send(orphanPort, HttpMethod.GET, "/api/2/things", Map.of(), null);
        JsonObject error = response.json();
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error.getString("error")).isEqualTo("dashboard:ditto.unreachable");
        assertThat(error.getInteger("status")).isEqualTo(502);
        assertThat(error.getString("description")).contains("TWINWORKS_DASHBOARD_DITTO_URL");
        await(orphan.stop());
    }

    @Test
    void eventStreamsAreRelayedAsTheyComeAndClosedAtDittoWhenTheBrowserLeaves() {
        AtomicReference<String> firstEvent = new AtomicReference<>();
        RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/api/2/things/stream")
                .addHeader("Accept", "text/event-stream").addHeader("Authorization", "Basic dXNlcjpwYXNz");
        // the handler is set on the response's context before any chunk can be delivered
        HttpClientResponse response = await(browser.request(options).compose(request -> request.send())
                .onSuccess(streaming -> streaming.handler(chunk -> firstEvent.compareAndSet(null, chunk.toString()))));
        await().atMost(Duration.ofSeconds(5)).until(() -> firstEvent.get() != null);
        assertThat(response.getHeader("content-type")).isEqualTo("text/event-stream");
        assertThat(firstEvent.get()).isEqualTo("data:{\"n\":1}\n\n");
        response.request().connection().close();
        await().atMost(Duration.ofSeconds(5)).untilTrue(streamClosedAtDitto);
    }

    @Test
    void thePageAndUplotAreServed() {
        Answer page = send(HttpMethod.GET, "/", Map.of(), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().toString()).contains("<script type=\"module\" src=\"/js/main.js\">");
        Answer uplot = send(HttpMethod.GET, "/vendor/uplot/dist/uPlot.esm.js", Map.of(), null);
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body().toString()).contains("export { uPlot as default }");
        Answer missing = send(HttpMethod.GET, "/nothing-here", Map.of(), null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.json().getString("error")).isEqualTo("dashboard:path.notfound");
    }
}
