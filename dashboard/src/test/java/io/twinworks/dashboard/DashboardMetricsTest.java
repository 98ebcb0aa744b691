package io.twinworks.dashboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.twinworks.dashboard.DashboardStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /metrics} of the dashboard (Prometheus text format): answered requests by route and status
 * class, open event streams, requests Ditto did not answer. Ditto is a local HTTP server here.
 */
class DashboardMetricsTest {

    private final Vertx vertx = Vertx.vertx();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean streamClosedAtDitto = new AtomicBoolean();
    private HttpServer ditto;
    private DashboardServer dashboard;
    private HttpClient browser;
    private int port;

    @BeforeEach
    void start() {
        ditto = await(vertx.createHttpServer().requestHandler(request -> {
            if (request.path().endsWith("/stream")) {
                request.response().setChunked(true).putHeader("content-type", "text/event-stream").write("data:{}\n\n");
                request.connection().closeHandler(closed -> streamClosedAtDitto.set(true));
                return;
            }
            request.response().setStatusCode(request.path().endsWith("/missing") ? 404 : 200).end("{}");
        }).listen(0));
        dashboard = new DashboardServer(vertx, DashboardConfig.fromEnv(Map.of())
                .withDittoUrl(URI.create("http://127.0.0.1:" + ditto.actualPort())).withHttpPort(0), meters);
        port = await(dashboard.start());
        browser = vertx.createHttpClient();
    }

    @AfterEach
    void stop() {
        await(dashboard.stop());
        await(vertx.close());
    }

    private record Answer(HttpClientResponse response, Buffer body) {
    }

    private Answer get(int toPort, String uri) {
        return await(browser.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(toPort).setURI(uri))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Answer(response, body))));
    }

    private String scrape() {
        Answer metrics = get(port, "/metrics");
        assertThat(metrics.response().statusCode()).isEqualTo(200);
        assertThat(metrics.response().getHeader("content-type")).startsWith("text/plain; version=0.0.4");
        return metrics.body().toString();
    }

    @Test
    void answeredRequestsAreCountedByRouteAndStatusClass() {
        get(port, "/api/2/things/a:b");
        get(port, "/api/2/things/a:b");
        get(port, "/api/2/things/missing");
        get(port, "/");
        get(port, "/no-such-page");

        // a request is counted once its response has ended: the last one may still be on its way
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(scrape())
                .contains("dashboard_http_requests_total{route=\"api\",status=\"2xx\"} 2.0")
                .contains("dashboard_http_requests_total{route=\"api\",status=\"4xx\"} 1.0")
                .contains("dashboard_http_requests_total{route=\"page\",status=\"2xx\"} 1.0")
                .contains("dashboard_http_requests_total{route=\"page\",status=\"4xx\"} 1.0"));
    }

    @Test
    void anOpenEventStreamIsCountedUntilTheBrowserLeaves() {
        assertThat(scrape()).contains("dashboard_event_streams_open 0.0");
        HttpClientResponse stream = await(browser.request(new RequestOptions().setHost("127.0.0.1").setPort(port)
                        .setURI("/api/2/things/stream").addHeader("Accept", "text/event-stream"))
                .compose(request -> request.send()).onSuccess(response -> response.handler(chunk -> { })));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(scrape()).contains("dashboard_event_streams_open 1.0"));

        stream.request().connection().close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(scrape()).contains("dashboard_event_streams_open 0.0"));
        // the stream's Ditto request is still closed when the browser leaves (the counting close handler resets it)
        await().atMost(Duration.ofSeconds(5)).untilTrue(streamClosedAtDitto);
    }

    @Test
    void requestsDittoDidNotAnswerAreCounted() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PrometheusMeterRegistry orphanMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DashboardServer orphan = new DashboardServer(vertx, DashboardConfig.fromEnv(Map.of())
                .withDittoUrl(URI.create("http://127.0.0.1:" + closedPort)).withHttpPort(0), orphanMeters);
        int orphanPort = await(orphan.start());

        assertThat(get(orphanPort, "/api/2/things").response().statusCode()).isEqualTo(502);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get(orphanPort, "/metrics").body().toString())
                .contains("dashboard_ditto_unreachable_total 1.0")
                .contains("dashboard_http_requests_total{route=\"api\",status=\"5xx\"} 1.0"));
        await(orphan.stop());
    }
}
