package io.twinworks.adapters;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A plant device publishing to the plant broker (Paho MQTT 5, QoS 1): {@link #publish} retries
 * until the broker acknowledges, across broker restarts, as a well-behaved device does.
 */
public final class PlantDevice implements AutoCloseable {

    private final MqttClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private long retries;

    public PlantDevice(String uri) throws MqttException {
        client = new MqttClient(uri, "plant-device-" + UUID.randomUUID(), new MemoryPersistence());
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        client.connect(options);
    }

    /** Publishes at QoS 1, reconnecting and retrying until the broker acknowledged. */
    public void publish(String topic, String payload) throws InterruptedException {
        while (true) {
            try {
                if (!client.isConnected()) {
                    client.connect(options);
                }
                MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                retries++;
                Thread.sleep(e.getReasonCode() == 32202 ? 1 : 200);
            }
        }
    }

    /** Publishes raw bytes once (QoS 1). */
    public void publishRaw(String topic, byte[] payload) throws MqttException, InterruptedException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        while (true) {
            try {
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != 32202) {
                    throw e;
                }
                Thread.sleep(1); // the broker's receive maximum: wait for PUBACKs
            }
        }
    }

    /** How many publishes had to be retried. */
    public long retries() {
        return retries;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // best effort
        }
    }
}
