package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.twinworks.localstack.hono.mqtt.MqttEndpointTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Kafka goes away under a connected device: no PUBACK, the failure is counted, new devices are turned away. */
class HonoMqttEndpointKafkaOutageTest {

    private static MqttEndpointTestSupport stack;

    @BeforeAll
    static void startStack() throws Exception {
        mosquittoBinary("mosquitto_pub");
        stack = new MqttEndpointTestSupport(3_000);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void withKafkaDownAQos1MessageGetsNoPubackAndNewConnectionsAreRefusedAsServerUnavailable() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD).setClientId("outage"));
        AtomicInteger pubacks = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        device.publishCompletionHandler(id -> pubacks.incrementAndGet());
        device.closeHandler(v -> closed.set(true));
        await(device.connect(stack.mqttPort, "127.0.0.1"));

        stack.broker.close();
        device.publish("event", Buffer.buffer("{\"alarm\":1}"), MqttQoS.AT_LEAST_ONCE, false, false);

        // MQTT 3.1.1: the endpoint closes the connection instead of acknowledging
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilTrue(closed);
        assertThat(pubacks.get()).isZero();
        assertThat(stack.counter("records.failed", "type", "event")).isEqualTo(1);
        assertThat(stack.counter("messages.refused", "reason", "kafka_unavailable")).isEqualTo(1);

        ProcessResult v311 = stack.mosquittoPub("mqttv311", SENSOR_AUTH_ID + "@" + tenant, SENSOR_PASSWORD,
                "telemetry", 1, "-m", "x");
        assertThat(v311.exitCode()).isNotZero();
        assertThat(v311.stderr()).containsIgnoringCase("unavailable");
        ProcessResult v5 = stack.mosquittoPub("mqttv5", SENSOR_AUTH_ID + "@" + tenant, SENSOR_PASSWORD,
                "telemetry", 1, "-m", "x");
        assertThat(v5.exitCode()).isNotZero();
        assertThat(v5.stderr()).containsIgnoringCase("busy");
        assertThat(stack.counter("connections.refused", "reason", "kafka_unavailable")).isEqualTo(2);
    }
}
