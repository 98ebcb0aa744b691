package io.twinworks.localstack;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local stack's ops port (the registry port's {@code /health/ready}) follows its Kafka broker: 503 naming
 * {@code kafka} once a device's write fails while the broker is stopped, or within seconds with no traffic at
 * all (the northbound producer probes the cluster every 2 s), 200 again once the broker is back on the same
 * address, liveness 200 throughout.
 */
class LocalStackReadinessTest {

    private static final String TENANT = "plant.a";
    private static final String PUMP = "plant.a:pump-1";

    @TempDir
    Path stateDir;

    private final Vertx vertx = Vertx.vertx();
    private LocalStack stack;
    private MqttClient device;

    @AfterEach
    void stop() throws Exception {
        if (device != null && device.isConnected()) {
            get(device.disconnect());
        }
        if (stack != null) {
            get(stack.stop());
        }
        get(vertx.close());
    }

    @Test
    void readinessIs503NamingKafkaWhileTheBrokerIsStoppedAnd200WhenItReturns() throws Exception {
        LocalStackEndpoints endpoints = startStackOnAFixedKafkaPort();
        WebClient http = WebClient.create(vertx);
        String registry = endpoints.registryUrl();
        expectStatus(http.postAbs(registry + "/v1/tenants/" + TENANT), null, 201);
        expectStatus(http.postAbs(registry + "/v1/devices/" + TENANT + "/" + PUMP), null, 201);
        expectStatus(http.putAbs(registry + "/v1/credentials/" + TENANT + "/" + PUMP),
                "[{\"type\":\"hashed-password\",\"auth-id\":\"pump-1\",\"secrets\":[{\"pwd-plain\":\"pump-secret\"}]}]", 204);
        device = MqttClient.create(vertx, new MqttClientOptions().setClientId("pump-1")
                .setUsername("pump-1@" + TENANT).setPassword("pump-secret").setAutoKeepAlive(true));
        URI mqtt = URI.create(endpoints.mqttUri());
        get(device.connect(mqtt.getPort(), mqtt.getHost()));
        Promise<Integer> firstAcknowledged = Promise.promise();
        device.publishCompletionHandler(firstAcknowledged::tryComplete);
        int firstPacketId = get(device.publish("telemetry", Buffer.buffer("{\"n\":1}"), MqttQoS.AT_LEAST_ONCE, false, false));
        // the publish future only says the PUBLISH was written; the PUBACK says Kafka took it. Stopping the broker
        // before then would refuse this reading and (MQTT 3.1.1, as Hono) close the connection under the next publish
        assertThat(get(firstAcknowledged.future())).isEqualTo(firstPacketId);

        HttpResponse<Buffer> ready = get(http.getAbs(registry + "/health/ready").send());
        assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
        assertThat(ready.bodyAsJsonObject().getJsonObject("checks").fieldNames()).contains("registry", "mqtt", "kafka", "ditto");

        stack.kafkaBroker().close();
        // the producer learns of the outage from a write that fails
        device.publish("telemetry", Buffer.buffer("{\"n\":2}"), MqttQoS.AT_LEAST_ONCE, false, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, registry + "/health/ready") == 503);
        JsonObject down = get(http.getAbs(registry + "/health").send()).bodyAsJsonObject();
        assertThat(down.getJsonArray("down").getList()).contains("kafka").doesNotContain("registry", "ditto");
        assertThat(status(http, registry + "/health/live")).isEqualTo(200);

        vertx.executeBlocking(() -> {
            stack.kafkaBroker().start();
            return null;
        }, false).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, registry + "/health/ready") == 200);
    }

    @Test
    void readinessNoticesTheBrokerStoppingWithoutAnyDeviceTraffic() throws Exception {
        String registry = startStackOnAFixedKafkaPort().registryUrl();
        WebClient http = WebClient.create(vertx);
        assertThat(status(http, registry + "/health/ready")).isEqualTo(200);

        stack.kafkaBroker().close();

        // two failed cluster probes, 2 s apart, each with a 2 s timeout
        await().atMost(Duration.ofSeconds(30)).until(() -> status(http, registry + "/health/ready") == 503);
        JsonObject down = get(http.getAbs(registry + "/health").send()).bodyAsJsonObject();
        assertThat(down.getJsonArray("down").getList()).containsExactly("kafka");

        vertx.executeBlocking(() -> {
            stack.kafkaBroker().start();
            return null;
        }, false).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(http, registry + "/health/ready") == 200);
    }

    private LocalStackEndpoints startStackOnAFixedKafkaPort() throws Exception {
        int kafkaPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            kafkaPort = socket.getLocalPort(); // fixed, so the restarted broker is found where the producer looks
        }
        stack = new LocalStack(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withPorts(kafkaPort, 0, 0)
                .withDitto(0, Map.of("ditto", "ditto")), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        return get(stack.start());
    }

    private static int status(WebClient http, String url) throws Exception {
        return get(http.getAbs(url).send()).statusCode();
    }

    private static void expectStatus(HttpRequest<Buffer> request, String json, int status) throws Exception {
        HttpResponse<Buffer> response = json == null ? get(request.send())
                : get(request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
        assertThat(response.statusCode()).as("%s answered %s", request.uri(), response.bodyAsString()).isEqualTo(status);
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
