package io.twinworks.adapters.hono;

import io.twinworks.hono.device.HonoMqttOptions;
import io.twinworks.hono.device.MqttV5Callbacks;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.Objects;
import java.util.Set;

/**
 * MQTT 5 to Hono with Paho's mqttv5 client. The content type is the PUBLISH content-type property;
 * a PUBACK with an error reason code that resending cannot fix (not authorized, topic invalid,
 * payload format invalid, packet too large) is reported as permanent.
 */
public final class PahoV5HonoClient implements HonoClient {

    /** PUBACK reason codes for which the same message would be refused again. */
    private static final Set<Integer> PERMANENT_REFUSALS = Set.of(0x87, 0x90, 0x95, 0x99);

    private final HonoSettings settings;
    private final MqttAsyncClient client;
    private volatile Listener listener = Listener.NONE;

    /** Creates the (unconnected) client. */
    public PahoV5HonoClient(HonoSettings settings) throws MqttException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new MqttV5Callbacks() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                listener.connectionLost(response.getException() != null ? response.getException()
                        : new IllegalStateException("disconnected: reason code " + response.getReturnCode()
                        + (response.getReasonString() == null ? "" : " " + response.getReasonString())));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                listener.connectionLost(exception);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                listener.messageArrived(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
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
        MqttConnectionOptions options = HonoMqttOptions.v5(settings.login(), timeoutMillis);
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
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        if (contentType != null) {
            MqttProperties properties = new MqttProperties();
            properties.setContentType(contentType);
            message.setProperties(properties);
        }
        client.publish(topic, message, null, new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                int[] codes = token.getReasonCodes();
                int code = codes == null || codes.length == 0 ? 0 : codes[0];
                if (code >= 0x80) {
                    callback.failed(new IllegalStateException("Hono refused the message: PUBACK reason code 0x"
                            + Integer.toHexString(code) + reasonString(token)), PERMANENT_REFUSALS.contains(code));
                } else {
                    callback.delivered();
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable cause) {
                int code = cause instanceof MqttException e ? e.getReasonCode() : -1;
                callback.failed(cause, PERMANENT_REFUSALS.contains(code));
            }
        });
    }

    private static String reasonString(IMqttToken token) {
        MqttProperties properties = token.getResponseProperties();
        return properties == null || properties.getReasonString() == null ? "" : " (" + properties.getReasonString() + ")";
    }

    @Override
    public void disconnect() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(2_000);
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
