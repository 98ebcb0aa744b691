package io.twinworks.adapters.hono;

import io.twinworks.hono.device.HonoMqttOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * MQTT 3.1.1 to Hono with Paho's mqttv3 client. The content type travels in the topic's property
 * bag ({@code telemetry/?content-type=...}), as Hono's MQTT adapter reads it.
 */
public final class PahoV3HonoClient implements HonoClient {

    private final HonoSettings settings;
    private final MqttAsyncClient client;
    private volatile Listener listener = Listener.NONE;

    /** Creates the (unconnected) client. */
    public PahoV3HonoClient(HonoSettings settings) throws MqttException {
        this.settings = Objects.requireNonNull(settings, "settings");
        // Paho keeps in-flight messages in memory only: the outbox is the durable copy.
        this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                listener.connectionLost(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                listener.messageArrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // the per-publish listener reports it
            }
        });
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void connect(long timeoutMillis, String commandFilter) throws MqttException {
        MqttConnectOptions options = HonoMqttOptions.v3(settings.login(), settings.maxInFlight(), timeoutMillis);
        client.connect(options).waitForCompletion(timeoutMillis);
        if (commandFilter != null) {
            client.subscribe(commandFilter, 1).waitForCompletion(timeoutMillis);
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, String contentType, PublishCallback callback)
            throws MqttException {
        String topicWithProperties = contentType == null ? topic
                : topic + "/?content-type=" + URLEncoder.encode(contentType, StandardCharsets.UTF_8);
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        client.publish(topicWithProperties, message, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                callback.delivered();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                // MQTT 3.1.1 has no negative PUBACK: a refusal closes the connection, so retry later.
                callback.failed(cause, false);
            }
        });
    }

    @Override
    public void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            // best effort
        }
    }

    @Override
    public void close() {
        disconnect();
        try {
            client.close(true);
        } catch (MqttException e) {
            // best effort
        }
    }
}
