package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.twinworks.localstack.hono.mqtt.MqttEndpointTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Garbage on the socket, devices disabled while connected, the PUBACK-after-Kafka-ack guarantee
 * seen from a Java MQTT client.
 */
class HonoMqttEndpointRobustnessTest {

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

    /** Reads until EOF; true if the server closed the socket within the timeout. */
    private static boolean closedByServer(Socket socket, Duration timeout) throws Exception {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // drain anything the server sent before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private void assertStillServing() throws Exception {
        String tenant = stack.newTenant();
        ProcessResult result = stack.mosquittoPub("mqttv311", SENSOR_AUTH_ID + "@" + tenant, SENSOR_PASSWORD,
                "telemetry", 1, "-m", "still here");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isEqualTo(1);
    }

    @Test
    void randomGarbageBytesCloseOnlyThatConnection() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0; // packet type 0 is reserved: an undecodable first byte
        try (Socket socket = new Socket("127.0.0.1", stack.mqttPort)) {
            OutputStream out = socket.getOutputStream();
            out.write(garbage);
            out.flush();
            assertThat(closedByServer(socket, Duration.ofSeconds(15))).isTrue();
        }
        assertStillServing();
    }

    @Test
    void httpRequestOnTheMqttPortIsClosedWithinTheConnectTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", stack.mqttPort)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(closedByServer(socket, Duration.ofSeconds(20))).isTrue();
        }
        assertStillServing();
    }

    @Test
    void silentSocketIsClosedWithinTheConnectTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", stack.mqttPort)) {
            assertThat(closedByServer(socket, Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void publishBeforeConnectClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", stack.mqttPort)) {
            // PUBLISH QoS 0, topic "t", payload "x" — without CONNECT first
            socket.getOutputStream().write(new byte[]{0x30, 0x04, 0x00, 0x01, 't', 'x'});
            socket.getOutputStream().flush();
            assertThat(closedByServer(socket, Duration.ofSeconds(15))).isTrue();
        }
        assertStillServing();
    }

    /**
     * A PUBLISH whose topic name arrives in two TCP segments is one valid packet. Netty 4.1.133's
     * MqttDecoder refused exactly this with TooLongFrameException (netty/netty#16916), which dropped
     * busy connections whenever a read ended inside a topic name.
     */
    @Test
    void publishWhoseTopicIsSplitAcrossTwoTcpSegmentsIsAcknowledged() throws Exception {
        String tenant = stack.newTenant();
        try (Socket socket = new Socket("127.0.0.1", stack.mqttPort)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(connectPacket("split-check", SENSOR_AUTH_ID + "@" + tenant, SENSOR_PASSWORD));
            out.flush();
            assertThat(in.readNBytes(4)).as("CONNACK accepted").containsExactly(0x20, 0x02, 0x00, 0x00);

            byte[] topic = "telemetry".getBytes(StandardCharsets.UTF_8);
            byte[] payload = "{\"temp\":21.5}".getBytes(StandardCharsets.UTF_8);
            int remaining = 2 + topic.length + 2 + payload.length;
            java.io.ByteArrayOutputStream publish = new java.io.ByteArrayOutputStream();
            publish.write(0x32); // PUBLISH, QoS 1
            publish.write(remaining);
            publish.write(0);
            publish.write(topic.length);
            publish.write(topic);
            publish.write(new byte[]{0x00, 0x07}); // packet ID 7
            publish.write(payload);
            byte[] packet = publish.toByteArray();
            int split = 2 + 2 + 4; // inside "telemetry"
            out.write(packet, 0, split);
            out.flush();
            Thread.sleep(300);
            out.write(packet, split, packet.length - split);
            out.flush();

            assertThat(in.readNBytes(4)).as("PUBACK for packet 7").containsExactly(0x40, 0x02, 0x00, 0x07);
        }
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isEqualTo(1);
    }

    /** An MQTT 3.1.1 CONNECT with clean session, user name and password. */
    private static byte[] connectPacket(String clientId, String username, String password) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);    // protocol level 3.1.1
        body.write(0xC2); // user name, password, clean session
        body.write(0);
        body.write(60);   // keep alive
        writeString(body, clientId);
        writeString(body, username);
        writeString(body, password);
        byte[] variable = body.toByteArray();
        java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(variable.length); // < 128 bytes: a one-byte remaining length
        packet.writeBytes(variable);
        return packet.toByteArray();
    }

    private static void writeString(java.io.ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    @Test
    void pubackArrivesOnlyWhenTheRecordIsAlreadyInKafka() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD).setClientId("puback-check"));
        await(device.connect(stack.mqttPort, "127.0.0.1"));
        try {
            Promise<Long> recordsAtPuback = Promise.promise();
            device.publishCompletionHandler(packetId -> stack.vertx.executeBlocking(
                    () -> stack.recordCount("hono.event." + tenant)).onComplete(recordsAtPuback));

            await(device.publish("event", Buffer.buffer("{\"alarm\":1}"), MqttQoS.AT_LEAST_ONCE, false, false));

            assertThat(await(recordsAtPuback.future())).isEqualTo(1);
        } finally {
            await(device.disconnect());
        }
    }

    @Test
    void deviceDisabledWhileConnectedIsDisconnectedOnItsNextMessage() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD).setClientId("to-be-disabled"));
        AtomicBoolean closed = new AtomicBoolean();
        device.closeHandler(v -> closed.set(true));
        await(device.connect(stack.mqttPort, "127.0.0.1"));
        double before = stack.counter("messages.refused", "reason", "authenticated_device_not_registered");

        stack.registry.setDeviceEnabled(tenant, SENSOR_DEVICE_ID, false);
        device.publish("telemetry", Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, false);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(closed);
        assertThat(stack.counter("messages.refused", "reason", "authenticated_device_not_registered"))
                .isEqualTo(before + 1);
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isZero();
    }

    @Test
    void unavailableRegistryRefusesMessagesOfConnectedDevices() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD).setClientId("registry-down"));
        AtomicBoolean closed = new AtomicBoolean();
        device.closeHandler(v -> closed.set(true));
        await(device.connect(stack.mqttPort, "127.0.0.1"));
        stack.registry.setUnavailable(true);
        try {
            device.publish("telemetry", Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, false);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(closed);
            assertThat(stack.counter("messages.refused", "reason", "registry_unavailable")).isPositive();
        } finally {
            stack.registry.setUnavailable(false);
        }
    }

    @Test
    void aBugWhileHandlingAPublishIsRefusedAsAnInternalErrorNotAsKafkaOrTheDevice() throws Exception {
        String tenant = stack.newTenant();
        MqttClient device = MqttClient.create(stack.vertx, new MqttClientOptions()
                .setUsername(SENSOR_AUTH_ID + "@" + tenant).setPassword(SENSOR_PASSWORD).setClientId("endpoint-bug"));
        AtomicBoolean closed = new AtomicBoolean();
        device.closeHandler(v -> closed.set(true));
        await(device.connect(stack.mqttPort, "127.0.0.1"));
        double kafkaBefore = stack.counter("messages.refused", "reason", "kafka_unavailable");
        double topicBefore = stack.counter("messages.refused", "reason", "malformed_topic");
        double internalBefore = stack.counter("messages.refused", "reason", "internal_error");
        stack.registry.setThrowOnRegistrationCheck(true);
        try {
            device.publish("telemetry", Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, false);
            // MQTT 3.1.1 cannot say why: the connection is closed, as for any refusal
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(closed);
            assertThat(stack.counter("messages.refused", "reason", "internal_error")).isEqualTo(internalBefore + 1);
            assertThat(stack.counter("messages.refused", "reason", "kafka_unavailable")).isEqualTo(kafkaBefore);
            assertThat(stack.counter("messages.refused", "reason", "malformed_topic")).isEqualTo(topicBefore);
        } finally {
            stack.registry.setThrowOnRegistrationCheck(false);
        }
        assertStillServing();
    }
}
