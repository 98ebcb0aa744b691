package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.application.client.kafka.impl.KafkaApplicationClientImpl;
import org.eclipse.hono.client.ServiceInvocationException;
import org.eclipse.hono.client.kafka.CommonKafkaClientConfigProperties;
import org.eclipse.hono.client.kafka.consumer.MessagingKafkaConsumerConfigProperties;
import org.eclipse.hono.client.kafka.producer.CachingKafkaProducerFactory;
import org.eclipse.hono.client.kafka.producer.MessagingKafkaProducerConfigProperties;
import org.eclipse.hono.util.QoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.twinworks.localstack.hono.mqtt.MqttEndpointTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The wire contract proven with Hono's own business-application client
 * ({@code hono-client-application-kafka} 2.6.0): it must decode the telemetry and event records
 * the endpoint writes, and its {@code sendCommand} must reach a device and get the device's answer.
 */
class HonoApplicationClientContractTest {

    private static MqttEndpointTestSupport stack;
    private KafkaApplicationClientImpl honoClient;

    @BeforeAll
    static void startStack() throws Exception {
        mosquittoBinary("mosquitto_pub");
        stack = new MqttEndpointTestSupport(5_000);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void startHonoClient() throws Exception {
        CommonKafkaClientConfigProperties common = new CommonKafkaClientConfigProperties();
        common.setCommonClientConfig(Map.of("bootstrap.servers", stack.broker.bootstrapServers()));
        MessagingKafkaConsumerConfigProperties consumerConfig = new MessagingKafkaConsumerConfigProperties();
        consumerConfig.setCommonClientConfig(common);
        consumerConfig.setConsumerConfig(Map.of("group.id", "contract-test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest"));
        MessagingKafkaProducerConfigProperties producerConfig = new MessagingKafkaProducerConfigProperties();
        producerConfig.setCommonClientConfig(common);
        honoClient = new KafkaApplicationClientImpl(stack.vertx, consumerConfig,
                CachingKafkaProducerFactory.sharedFactory(stack.vertx), producerConfig);
        await(honoClient.start());
    }

    @AfterEach
    void stopHonoClient() throws Exception {
        if (honoClient != null) {
            await(honoClient.stop());
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void honoTelemetryConsumerDecodesTelemetryPublishedByADevice() throws Exception {
        String tenant = stack.newTenant();
        List<DownstreamMessage<KafkaMessageContext>> received = new CopyOnWriteArrayList<>();
        await(honoClient.createTelemetryConsumer(tenant, received::add, error -> { }));
        Instant before = Instant.now();

        ProcessResult result = stack.mosquittoPub("mqttv5", SENSOR_AUTH_ID + "@" + tenant, SENSOR_PASSWORD,
                "telemetry/?content-type=application%2Fvnd.eclipse.ditto%2Bjson", 1, "-m", "{\"rms\":0.31}");
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        DownstreamMessage<KafkaMessageContext> message = received.get(0);
        assertThat(message.getTenantId()).isEqualTo(tenant);
        assertThat(message.getDeviceId()).isEqualTo(SENSOR_DEVICE_ID);
        assertThat(message.getContentType()).isEqualTo("application/vnd.eclipse.ditto+json");
        assertThat(message.getQos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(message.getCreationTime()).isBetween(before.minusMillis(1), Instant.now());
        assertThat(message.getPayload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"rms\":0.31}");
    }

    @Test
    void honoEventConsumerDecodesAnEventWithTimeToLiveFromAGateway() throws Exception {
        String tenant = stack.newTenant();
        List<DownstreamMessage<KafkaMessageContext>> received = new CopyOnWriteArrayList<>();
        await(honoClient.createEventConsumer(tenant, received::add, error -> { }));

        ProcessResult result = stack.mosquittoPub("mqttv311", GATEWAY_AUTH_ID + "@" + tenant, GATEWAY_PASSWORD,
                "event//" + DEVICE_BEHIND_GATEWAY + "/?hono-ttl=60", 1, "-m", "{\"alarm\":1}");
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        DownstreamMessage<KafkaMessageContext> message = received.get(0);
        assertThat(message.getDeviceId()).isEqualTo(DEVICE_BEHIND_GATEWAY);
        assertThat(message.getTenantId()).isEqualTo(tenant);
        assertThat(message.getTimeToLive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(message.getContentType()).isEqualTo("application/octet-stream");
        assertThat(message.getQos()).isEqualTo(QoS.AT_LEAST_ONCE);
    }

    @Test
    void honoSendCommandReachesTheDeviceAndReturnsTheDevicesResponse() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD)
                .setClientId("contract-device").setAutoKeepAlive(true));
        List<String> commandTopics = new CopyOnWriteArrayList<>();
        device.publishHandler(command -> {
            commandTopics.add(command.topicName());
            // command///req/<req-id>/<name> → answer on command///res/<req-id>/200
            String requestId = command.topicName().split("/")[4];
            device.publish("command///res/" + requestId + "/200",
                    Buffer.buffer("{\"lumen\":" + command.payload().toJsonObject().getInteger("brightness") + "}"),
                    MqttQoS.AT_LEAST_ONCE, false, false);
        });
        await(device.connect(stack.mqttPort, "127.0.0.1"));
        try {
            await(device.subscribe("command///req/#", 1));

            DownstreamMessage<KafkaMessageContext> response = await(honoClient.sendCommand(tenant, SENSOR_DEVICE_ID,
                    "setBrightness", Buffer.buffer("{\"brightness\":79}"), "application/json", (String) null,
                    Duration.ofSeconds(20), null));

            assertThat(commandTopics).singleElement().asString().startsWith("command///req/").endsWith("/setBrightness");
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getDeviceId()).isEqualTo(SENSOR_DEVICE_ID);
            assertThat(response.getTenantId()).isEqualTo(tenant);
            assertThat(response.getPayload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"lumen\":79}");
        } finally {
            await(device.disconnect());
        }
    }

    @Test
    void honoSendCommandToADisconnectedDeviceFailsWithServiceUnavailable() {
        String tenant = stack.newTenant();

        assertThatThrownBy(() -> await(honoClient.sendCommand(tenant, SENSOR_DEVICE_ID, "setBrightness",
                Buffer.buffer("{}"), "application/json", (String) null, Duration.ofSeconds(20), null)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ServiceInvocationException.class)
                .satisfies(e -> assertThat(((ServiceInvocationException) e).getErrorCode()).isEqualTo(503));
    }

    @Test
    void honoOneWayCommandIsDeliveredWithAnEmptyRequestId() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD).setClientId("one-way-device"));
        List<String> commandTopics = new CopyOnWriteArrayList<>();
        device.publishHandler(command -> commandTopics.add(command.topicName()));
        await(device.connect(stack.mqttPort, "127.0.0.1"));
        try {
            await(device.subscribe("c/" + tenant + "//q/#", 0));

            await(honoClient.sendOneWayCommand(tenant, SENSOR_DEVICE_ID, "reset", Buffer.buffer("{}"),
                    "application/json", null));

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !commandTopics.isEmpty());
            assertThat(commandTopics).containsExactly("c/" + tenant + "//q//reset");
        } finally {
            await(device.disconnect());
        }
    }
}
