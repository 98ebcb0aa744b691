package io.twinworks.sim.fleet;

import io.twinworks.core.ditto.FeaturesMerge;
import io.twinworks.core.retry.Backoff;
import io.twinworks.hono.device.HonoDeviceLogin;
import io.twinworks.hono.device.HonoMqttOptions;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** How the virtual devices of this package speak Hono's MQTT device contract (MQTT 5, Paho). */
final class HonoDeviceMqtt {

    private static final Logger LOG = LoggerFactory.getLogger(HonoDeviceMqtt.class);
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Paho's own defaults (1 s doubling to 2 min), now stated. */
    private static final Backoff RECONNECT = Backoff.exponential(1_000, 120_000);

    private HonoDeviceMqtt() {
    }

    /** Connects as {@code authId@tenant}, blocking up to 15 s. */
    static MqttAsyncClient connect(String serverUri, String clientId, String tenant, String authId, String password)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        // Hono keeps no session state: a clean start, and reconnect after an endpoint restart (a virtual
        // device has no outbox: what it publishes while disconnected is counted as failed and not resent)
        MqttConnectionOptions options = HonoMqttOptions.v5Reconnecting(new HonoDeviceLogin(tenant, authId, password),
                CONNECT_TIMEOUT_MILLIS, RECONNECT);
        client.connect(options).waitForCompletion(15_000);
        return client;
    }

    /** A QoS 1 telemetry message carrying a Ditto Protocol command (content type as Ditto's Hono connection expects). */
    static MqttMessage dittoProtocolMessage(String command) {
        MqttMessage message = new MqttMessage(command.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(FeaturesMerge.DITTO_PROTOCOL_CONTENT_TYPE);
        message.setProperties(properties);
        return message;
    }

    /** Stops a pacing thread, waiting up to 2 s for the tick in progress. */
    static void stop(ScheduledExecutorService pacer) {
        pacer.shutdownNow();
        try {
            pacer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Disconnects (waiting up to 2 s) and closes; a failure is only logged: the device goes away anyway. */
    static void disconnectAndClose(MqttAsyncClient client, String device) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.debug("{}: disconnect: {}", device, e.toString());
        }
    }
}
