package io.twinworks.sim.fleet;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;

/** How the virtual devices of this package speak Hono's MQTT device contract (MQTT 5, Paho). */
final class HonoDeviceMqtt {

    private HonoDeviceMqtt() {
    }

    /** Connects as {@code authId@tenant}, blocking up to 15 s. */
    static MqttAsyncClient connect(String serverUri, String clientId, String tenant, String authId, String password)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(authId + "@" + tenant);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        // Hono keeps no session state: a clean start, and reconnect after an endpoint restart.
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    /** A QoS 1 telemetry message carrying a Ditto Protocol command (content type as Ditto's Hono connection expects). */
    static MqttMessage dittoProtocolMessage(String command) {
        MqttMessage message = new MqttMessage(command.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(VirtualFleet.DITTO_PROTOCOL_CONTENT_TYPE);
        message.setProperties(properties);
        return message;
    }
}
