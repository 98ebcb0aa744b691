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
}
