package io.twinworks.it;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analytics service's readiness follows its Ditto WebSocket and, on the Kafka transport, its consumer's broker
 * connection: 503 while the dependency is down, 200 once it is back, liveness 200 throughout.
 */
class AnalyticsReadinessIT {

    private static final Map<String, String> USERS = Map.of("analytics", "analytics-secret");

    @TempDir
    Path stateDir;
    @TempDir
    Path modelDir;
    @TempDir
    Path kafkaDir;

    private final Vertx vertx = Vertx.vertx();
    private DittoTwinServer ditto;
    private AnalyticsService analytics;
    private EmbeddedKafkaBroker kafka;

    @AfterEach
    void stop() throws Exception {
        if (analytics != null) {
            get(analytics.stop());
        }
        if (ditto != null) {
            get(ditto.stop());
        }
        if (kafka != null) {
            kafka.close();
        }
        get(vertx.close());
    }

    @Test
    void readinessIs503WhileDittoIsStoppedAnd200WhenItReturnsSubscribedAgainWhileLivenessStays200() throws Exception {
        ditto = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        int dittoPort = get(ditto.start());
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of())
                .withDitto(URI.create("ws://127.0.0.1:" + dittoPort), "analytics", "analytics-secret")
                .withHttpPort(0)
                .withModelDir(modelDir)
                .withLearnedProbation(0);
        analytics = new AnalyticsService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        get(analytics.start());
        int opsPort = analytics.opsPort();
        WebClient client = WebClient.create(vertx);
        HttpResponse<Buffer> ready = get(client.get(opsPort, "127.0.0.1", "/health/ready").send());
        assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
        assertThat(ready.bodyAsJsonObject().getJsonObject("checks").fieldNames()).contains("ditto", "rulModel");

        get(ditto.stop());
        await().atMost(Duration.ofSeconds(30)).until(() -> status(client, opsPort, "/health/ready") == 503);
        HttpResponse<Buffer> down = get(client.get(opsPort, "127.0.0.1", "/health").send());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.bodyAsJsonObject().getJsonArray("down").getList()).containsExactly("ditto");
        assertThat(status(client, opsPort, "/health/live")).isEqualTo(200);

        ditto = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(dittoPort, USERS),
                new SimpleMeterRegistry());
        get(ditto.start());
        await().atMost(Duration.ofSeconds(60)).until(() -> status(client, opsPort, "/health/ready") == 200);

        // ready again means subscribed again: a twin change made now reaches the analytics over the new session
        HttpResponse<Buffer> created = get(client.put(dittoPort, "127.0.0.1", "/api/2/things/plant.a:pump-after-restart")
                .basicAuthentication("analytics", "analytics-secret")
                .sendJsonObject(new JsonObject().put("features", new JsonObject().put("vibration",
                        new JsonObject().put("properties", new JsonObject().put("rms", 2.0))))));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(analytics.assetIds()).contains("plant.a:pump-after-restart"));
    }

    @Test
    void kafkaReadinessIs503WhileTheBrokerIsStoppedAnd200WhenItReturns() throws Exception {
        kafka = new EmbeddedKafkaBroker(kafkaDir, "127.0.0.1", 0);
        kafka.start();
        int kafkaPort = kafka.port();
        ditto = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        int dittoPort = get(ditto.start());
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of())
                .withDitto(URI.create("ws://127.0.0.1:" + dittoPort), "analytics", "analytics-secret")
                .withKafka(new AnalyticsConfig.KafkaTransport(kafka.bootstrapServers(), "twinworks.twin-events", "analytics"))
                .withHttpPort(0)
                .withModelDir(modelDir)
                .withLearnedProbation(0);
        analytics = new AnalyticsService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        get(analytics.start());
        int opsPort = analytics.opsPort();
        WebClient client = WebClient.create(vertx);
        // joining the group takes a rebalance
        await().atMost(Duration.ofSeconds(60)).until(() -> status(client, opsPort, "/health/ready") == 200);
        assertThat(readiness(client, opsPort).getJsonObject("checks").fieldNames()).contains("kafka", "ditto");

        kafka.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(client, opsPort, "/health/ready") == 503);
        JsonObject down = readiness(client, opsPort);
        assertThat(down.getJsonArray("down").getList()).containsExactly("kafka");
        assertThat(status(client, opsPort, "/health/live")).isEqualTo(200);

        kafka = new EmbeddedKafkaBroker(kafkaDir, "127.0.0.1", kafkaPort);
        kafka.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> status(client, opsPort, "/health/ready") == 200);
        assertThat(readiness(client, opsPort).getJsonArray("down", new JsonArray()).getList()).isEmpty();
    }

    private static JsonObject readiness(WebClient client, int port) throws Exception {
        HttpResponse<Buffer> response = get(client.get(port, "127.0.0.1", "/health/ready").send());
        return response.bodyAsJsonObject();
    }

    private static int status(WebClient client, int port, String path) throws Exception {
        return get(client.get(port, "127.0.0.1", path).send()).statusCode();
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
