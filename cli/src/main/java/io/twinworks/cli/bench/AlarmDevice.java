package io.twinworks.cli.bench;

import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.hono.device.HonoMqttOptions;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.time.Duration;
import java.util.Objects;

/**
 * The device whose reading goes out of range: one Paho MQTT 5 connection authenticated as the device
 * ({@code auth-id@tenant}) publishing the pump's vibration reading as a Ditto Protocol merge (QoS 1
 * {@code telemetry}, the benchmark's message with {@code seq} and the send time in {@code ts}), one at
 * a time, each acknowledged before the next.
 */
final class AlarmDevice implements AlarmTrials.Device, AutoCloseable {

    private static final String TOPIC = "telemetry";

    private final DemoDevice device;
    private final Duration ackTimeout;
    private final MqttAsyncClient client;

    private AlarmDevice(DemoDevice device, Duration ackTimeout, MqttAsyncClient client) {
        this.device = device;
        this.ackTimeout = ackTimeout;
        this.client = client;
    }

    /** Connects the device to the Hono MQTT endpoint at {@code serverUri}. */
    static AlarmDevice connect(String serverUri, DemoDevice device, Duration ackTimeout) throws MqttException {
        Objects.requireNonNull(device, "device");
        MqttAsyncClient client = new MqttAsyncClient(serverUri, "bench-alarm-" + device.authId(), new MemoryPersistence());
        client.connect(HonoMqttOptions.v5(device.login(), MqttLoad.CONNECT_TIMEOUT_MILLIS)).waitForCompletion(15_000);
        return new AlarmDevice(device, ackTimeout, client);
    }

    @Override
    public long publish(long seq, double rms) throws MqttException {
        long sentAt = System.nanoTime();
        MqttMessage message = new MqttMessage(BenchMessage.mergeCommand(device, seq, sentAt, rms, BenchMessage.MIN_PAYLOAD_BYTES));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(BenchMessage.CONTENT_TYPE);
        message.setProperties(properties);
        client.publish(TOPIC, message).waitForCompletion(ackTimeout.toMillis());
        return sentAt;
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(2_000);
        }
        client.close();
    }
}
