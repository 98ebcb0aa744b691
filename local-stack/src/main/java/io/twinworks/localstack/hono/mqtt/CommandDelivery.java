package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.twinworks.localstack.hono.kafka.HonoCommand;
import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPubAckMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command delivery to one device connection: the command PUBLISH on the topic its subscription asked for,
 * with the packet IDs of our outgoing QoS 1 PUBLISHes and the PUBACKs that complete them (Hono's pending
 * command PUBACKs). Not thread-safe: runs on the endpoint's context.
 */
final class CommandDelivery {

    private static final int MAX_PACKET_ID = 65_535;

    private final DeviceConnection connection;
    private final MqttEndpoint endpoint;
    private final AuthenticatedDevice device;
    private final DeviceConnection.Services services;
    private final boolean mqtt5;
    private final Map<Integer, Promise<Void>> commandsAwaitingPubAck = new HashMap<>();
    private int lastCommandPacketId;

    CommandDelivery(DeviceConnection connection, MqttEndpoint endpoint, DeviceConnection.Services services,
                    boolean mqtt5) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.device = connection.device();
        this.services = services;
        this.mqtt5 = mqtt5;
    }

    /** The connection closed: the commands still waiting for their PUBACK fail. */
    void close() {
        List<Promise<Void>> awaiting = new ArrayList<>(commandsAwaitingPubAck.values());
        commandsAwaitingPubAck.clear();
        awaiting.forEach(p -> p.tryFail("device disconnected before acknowledging the command"));
    }

    /**
     * Publishes a command to this connection; at QoS 1 the future completes once the device sent
     * its PUBACK (or fails after {@code commandTimeoutMillis}), at QoS 0 once it was written.
     */
    Future<Void> publish(CommandRouter.Subscription subscription, HonoCommand command, String requestId) {
        if (!connection.isOpen()) {
            return Future.failedFuture("device connection closed");
        }
        CommandSubscriptionFilter filter = subscription.filter();
        String deviceSegment;
        if (filter.isForAllDevicesOfGateway()) {
            deviceSegment = command.deviceId().equals(device.deviceId()) ? null : command.deviceId();
        } else {
            deviceSegment = filter.deviceSegment();
        }
        String topic = filter.commandTopic(deviceSegment, requestId, command.name());
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (mqtt5 && command.contentType() != null) {
            properties = new MqttProperties();
            properties.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(),
                    command.contentType()));
        }
        Buffer payload = Buffer.buffer(command.payload());
        try {
            if (subscription.qos() == MqttQoS.AT_MOST_ONCE) {
                return endpoint.publish(topic, payload, MqttQoS.AT_MOST_ONCE, false, false, 0, properties).mapEmpty();
            }
            int packetId = nextCommandPacketId();
            Promise<Void> acknowledged = Promise.promise();
            commandsAwaitingPubAck.put(packetId, acknowledged);
            long timer = services.vertx().setTimer(services.commandTimeoutMillis(), t -> {
                if (commandsAwaitingPubAck.remove(packetId) != null) {
                    acknowledged.tryFail("device did not acknowledge the command within "
                            + services.commandTimeoutMillis() + " ms");
                }
            });
            acknowledged.future().onComplete(ar -> services.vertx().cancelTimer(timer));
            endpoint.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false, false, packetId, properties)
                    .onFailure(e -> {
                        commandsAwaitingPubAck.remove(packetId);
                        acknowledged.tryFail(e);
                    });
            return acknowledged.future();
        } catch (IllegalStateException closed) {
            return Future.failedFuture("device connection closed");
        }
    }

    private int nextCommandPacketId() {
        // packet IDs of our outgoing QoS 1 PUBLISHes; skip the ones still waiting for their PUBACK
        for (int attempt = 0; attempt < MAX_PACKET_ID; attempt++) {
            lastCommandPacketId = lastCommandPacketId % MAX_PACKET_ID + 1;
            if (!commandsAwaitingPubAck.containsKey(lastCommandPacketId)) {
                return lastCommandPacketId;
            }
        }
        throw new IllegalStateException("no free packet ID: 65535 commands wait for their PUBACK");
    }

    /** A PUBACK of the device for one of the commands. */
    void onPubAck(MqttPubAckMessage pubAck) {
        Promise<Void> acknowledged = commandsAwaitingPubAck.remove(pubAck.messageId());
        if (acknowledged == null) {
            return;
        }
        if (pubAck.code() != null && pubAck.code().isError()) {
            acknowledged.tryFail("device refused the command with reason code 0x"
                    + Integer.toHexString(Byte.toUnsignedInt(pubAck.code().value())));
        } else {
            acknowledged.tryComplete();
        }
    }
}
