package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.twinworks.localstack.hono.registry.RegistryException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * The uplink of one device connection, as Hono's MQTT adapter runs it: each PUBLISH (telemetry, event,
 * command response) is checked (topic, QoS, size, content type), its target device confirmed by the
 * registry (a gateway may publish for the devices it serves), and written to Kafka; its PUBACK says
 * how that went.
 *
 * <p>PUBACKs go out in the order the PUBLISH packets came in (MQTT requires it), each only once its
 * message has been written to Kafka (or refused); records are handed to Kafka in PUBLISH order, though the
 * registry look-ups run concurrently. Not thread-safe: runs on the endpoint's context.
 */
final class UplinkPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(UplinkPipeline.class);

    /** A QoS 1 PUBLISH waiting for its outcome; {@code code == null} while undecided. */
    private static final class PendingPubAck {
        final int packetId;
        MqttPubAckReasonCode code;

        PendingPubAck(int packetId) {
            this.packetId = packetId;
        }
    }

    private final DeviceConnection connection;
    private final MqttEndpoint endpoint;
    private final AuthenticatedDevice device;
    private final String clientAddress;
    private final DeviceConnection.Services services;
    private final boolean mqtt5;
    private final PubAckWriter pubAcks;
    private final Deque<PendingPubAck> pendingPubAcks = new ArrayDeque<>();
    /*
     * Messages whose registry lookup may still be running, in PUBLISH order: a message is handed over
     * once its lookup is done AND every earlier one was handed over. An explicit queue drained in a loop,
     * not a chain of futures: thousands of messages queued behind one slow lookup (e.g. the first
     * second's burst while Kafka creates the topic) completed a future chain recursively and overflowed
     * the event loop's stack, which cost the gateways their connections.
     */
    private final ArrayDeque<OrderedHandOver<?>> handOvers = new ArrayDeque<>();

    UplinkPipeline(DeviceConnection connection, MqttEndpoint endpoint, DeviceConnection.Services services,
                   boolean mqtt5) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.device = connection.device();
        this.clientAddress = connection.clientAddress();
        this.services = services;
        this.mqtt5 = mqtt5;
        this.pubAcks = new PubAckWriter(endpoint, services.vertx().getOrCreateContext());
    }

    /** The connection closed: no PUBACK is sent any more. */
    void close() {
        pendingPubAcks.clear();
    }

    /** Handles one PUBLISH of the device. */
    void onPublish(MqttPublishMessage message) {
        if (connection.wasClosed()) {
            return;
        }
        PendingPubAck pubAck = null;
        if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            pubAck = new PendingPubAck(message.messageId());
            pendingPubAcks.addLast(pubAck);
        }
        PendingPubAck ack = pubAck;
        Future<Void> outcome;
        try {
            outcome = process(message);
        } catch (PublishRefusedException e) {
            outcome = Future.failedFuture(e);
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(ar -> {
            if (ar.succeeded()) {
                complete(ack, MqttPubAckReasonCode.SUCCESS);
            } else if (ar.cause() instanceof PublishRefusedException refusal) {
                refuse(message, ack, refusal);
            } else {
                // every expected failure (topic, size, registry, Kafka) is a PublishRefusedException by now:
                // anything else is a bug, refused as such (not passed off as the device's or Kafka's fault)
                LOG.error("PUBLISH on {} failed [tenant: {}, device: {}]", message.topicName(), device.tenantId(),
                        device.deviceId(), ar.cause());
                refuse(message, ack, new PublishRefusedException(Refusal.INTERNAL_ERROR, ar.cause().toString(),
                        ar.cause()));
            }
        });
    }

    private Future<Void> process(MqttPublishMessage message) {
        int qos = message.qosLevel().value();
        if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            services.metrics().messageReceived("unknown", qos);
            throw new PublishRefusedException(Refusal.QOS_2, "QoS 2 is not supported");
        }
        PublishAddress address;
        try {
            address = PublishAddress.parse(message.topicName());
        } catch (PublishRefusedException e) {
            services.metrics().messageReceived("unknown", qos);
            throw e;
        }
        Buffer payload = message.payload();
        if (address instanceof PublishAddress.Downstream downstream) {
            services.metrics().messageReceived(downstream.endpoint().metricName(), qos);
            checkPayloadSize(payload);
            if (downstream.endpoint() == PublishAddress.Endpoint.EVENT && qos != 1) {
                throw new PublishRefusedException(Refusal.EVENT_QOS_0, "events are accepted at QoS 1 only");
            }
            String contentType = downstream.contentType() != null ? downstream.contentType() : mqtt5ContentType(message);
            if (payload.length() == 0 && contentType == null) {
                throw new PublishRefusedException(Refusal.EMPTY_PAYLOAD_WITHOUT_CONTENT_TYPE,
                        "a message without payload needs a content type");
            }
            return inPublishOrder(resolveTargetDevice(downstream.tenantId(), downstream.deviceId()),
                    targetDevice -> forwardDownstream(message, downstream, targetDevice, contentType));
        }
        PublishAddress.CommandResponse response = (PublishAddress.CommandResponse) address;
        services.metrics().messageReceived("command-response", qos);
        checkPayloadSize(payload);
        return inPublishOrder(resolveTargetDevice(response.tenantId(), response.deviceId()),
                respondingDevice -> forwardCommandResponse(message, response, respondingDevice));
    }

    /** Hands a message over once its lookup is done AND the previous message was handed over. */
    private <T> Future<Void> inPublishOrder(Future<T> lookup, Function<T, Future<Void>> handOver) {
        OrderedHandOver<T> entry = new OrderedHandOver<>(handOver);
        handOvers.addLast(entry);
        lookup.onComplete(looked -> {
            entry.lookup = looked;
            handOverInOrder();
        });
        return entry.written.future();
    }

    /** Hands over every message at the head of the queue whose lookup is done (iteratively: no deep recursion). */
    private void handOverInOrder() {
        while (!handOvers.isEmpty() && handOvers.peekFirst().lookup != null) {
            handOvers.pollFirst().handOver();
        }
    }

    /** One message waiting for its turn. */
    private static final class OrderedHandOver<T> {
        private final Function<T, Future<Void>> handOver;
        private final Promise<Void> written = Promise.promise();
        private AsyncResult<T> lookup;

        OrderedHandOver(Function<T, Future<Void>> handOver) {
            this.handOver = handOver;
        }

        void handOver() {
            if (lookup.failed()) {
                written.fail(lookup.cause());
                return;
            }
            try {
                handOver.apply(lookup.result()).onComplete(written);
            } catch (RuntimeException e) {
                written.fail(e);
            }
        }
    }

    private void checkPayloadSize(Buffer payload) {
        if (payload.length() > services.maxPayloadBytes()) {
            throw new PublishRefusedException(Refusal.PAYLOAD_TOO_LARGE,
                    "payload of " + payload.length() + " bytes exceeds the limit of " + services.maxPayloadBytes());
        }
    }

    private static String mqtt5ContentType(MqttPublishMessage message) {
        MqttProperties properties = message.properties();
        if (properties == null) {
            return null;
        }
        MqttProperties.MqttProperty<?> property =
                properties.getProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value());
        if (property == null || property.value() == null || property.value().toString().isEmpty()) {
            return null;
        }
        return property.value().toString();
    }

    /**
     * The device a message is for: the authenticated device itself, or — for a gateway naming
     * another device — that device once the registry confirmed the gateway may act for it.
     */
    private Future<String> resolveTargetDevice(String topicTenant, String topicDevice) {
        if (topicTenant != null && !topicTenant.equals(device.tenantId())) {
            throw new PublishRefusedException(Refusal.TENANT_MISMATCH, "topic names tenant " + topicTenant
                    + " but the device authenticated for tenant " + device.tenantId());
        }
        String target = topicDevice == null ? device.deviceId() : topicDevice;
        boolean viaGateway = !target.equals(device.deviceId());
        return services.withRegistryTimeout(services.registry().assertRegistration(device.tenantId(), target,
                viaGateway ? device.deviceId() : null))
                .map(ok -> target)
                .recover(e -> Future.failedFuture(registryRefusal(e, target, viaGateway)));
    }

    private PublishRefusedException registryRefusal(Throwable error, String target, boolean viaGateway) {
        if (error instanceof RegistryException refused) {
            Refusal refusal = switch (refused.reason()) {
                case GATEWAY_NOT_AUTHORIZED -> Refusal.GATEWAY_NOT_AUTHORIZED;
                case DEVICE_NOT_FOUND, DEVICE_DISABLED -> viaGateway
                        ? Refusal.DEVICE_NOT_REGISTERED : Refusal.AUTHENTICATED_DEVICE_NOT_REGISTERED;
                case TENANT_NOT_FOUND, TENANT_DISABLED, BAD_CREDENTIALS -> Refusal.AUTHENTICATED_DEVICE_NOT_REGISTERED;
            };
            return new PublishRefusedException(refusal, "registry refused device " + target
                    + (viaGateway ? " via gateway " + device.deviceId() : "") + ": " + refused.getMessage());
        }
        return new PublishRefusedException(Refusal.REGISTRY_UNAVAILABLE,
                "device registry did not answer: " + error, error);
    }

    private Future<Void> forwardDownstream(MqttPublishMessage message, PublishAddress.Downstream address,
                                           String targetDevice, String contentType) {
        HonoTopic.Type type = address.endpoint() == PublishAddress.Endpoint.EVENT
                ? HonoTopic.Type.EVENT : HonoTopic.Type.TELEMETRY;
        int qos = message.qosLevel().value();
        Long ttlMillis = address.ttlSeconds() == null ? null : address.ttlSeconds() * 1000L;
        ProducerRecord<String, byte[]> record = HonoRecords.downstream(type, device.tenantId(), targetDevice,
                contentType, qos, ttlMillis, message.topicName(), message.isRetain(), message.payload().getBytes(),
                System.currentTimeMillis());
        String metricType = address.endpoint().metricName();
        Future<Void> written = services.producer().send(record)
                .<Void>map(md -> {
                    services.metrics().recordWritten(metricType);
                    return null;
                })
                .recover(e -> {
                    services.metrics().recordFailed(metricType);
                    return Future.failedFuture(new PublishRefusedException(Refusal.KAFKA_UNAVAILABLE,
                            "Kafka did not acknowledge the " + metricType + " record: " + e, e));
                });
        if (qos == 0) {
            // AT MOST ONCE, as in Hono: the device is not told about a failed write
            written.onFailure(e -> LOG.debug("QoS 0 {} of device {}/{} lost: {}", metricType, device.tenantId(),
                    targetDevice, e.getMessage()));
            return Future.succeededFuture();
        }
        return written;
    }

    private Future<Void> forwardCommandResponse(MqttPublishMessage message, PublishAddress.CommandResponse response,
                                                String respondingDevice) {
        CommandRouter.PendingCommand pending = services.router().pending(response.requestId());
        if (pending == null || !pending.tenantId().equals(device.tenantId())
                || !pending.deviceId().equals(respondingDevice)) {
            throw new PublishRefusedException(Refusal.UNKNOWN_COMMAND_REQUEST, "no command with request ID "
                    + response.requestId() + " is waiting for a response from device " + respondingDevice
                    + " (unknown, answered already or timed out)");
        }
        services.router().completePending(response.requestId());
        String contentType = response.contentType() != null ? response.contentType() : mqtt5ContentType(message);
        ProducerRecord<String, byte[]> record = HonoRecords.commandResponse(device.tenantId(), respondingDevice,
                pending.correlationId(), response.status(), contentType, message.payload().getBytes(),
                System.currentTimeMillis());
        Future<Void> written = services.producer().send(record)
                .<Void>map(md -> {
                    services.metrics().recordWritten("command_response");
                    services.metrics().commandResponse("forwarded");
                    return null;
                })
                .recover(e -> {
                    services.metrics().recordFailed("command_response");
                    return Future.failedFuture(new PublishRefusedException(Refusal.KAFKA_UNAVAILABLE,
                            "Kafka did not acknowledge the command response: " + e, e));
                });
        if (message.qosLevel() == MqttQoS.AT_MOST_ONCE) {
            written.onFailure(e -> LOG.info("QoS 0 command response of device {}/{} lost: {}", device.tenantId(),
                    respondingDevice, e.getMessage()));
            return Future.succeededFuture();
        }
        return written;
    }

    private void complete(PendingPubAck ack, MqttPubAckReasonCode code) {
        if (ack == null) {
            return;
        }
        ack.code = code;
        // PUBACKs in PUBLISH order: send every decided one at the head of the queue
        while (!pendingPubAcks.isEmpty() && pendingPubAcks.peekFirst().code != null && connection.isOpen()) {
            PendingPubAck next = pendingPubAcks.pollFirst();
            try {
                // MQTT 3.1.1 has no reason code: the encoder leaves it out (publishAcknowledge(id) sends SUCCESS too)
                pubAcks.acknowledge(next.packetId, mqtt5 ? next.code : MqttPubAckReasonCode.SUCCESS);
            } catch (IllegalStateException closed) {
                return;
            }
        }
    }

    private void refuse(MqttPublishMessage message, PendingPubAck ack, PublishRefusedException e) {
        Refusal refusal = e.refusal();
        services.metrics().messageRefused(refusal);
        if (services.refusalLog().first("publish\u0000" + device.tenantId() + '\u0000' + device.deviceId() + '\u0000'
                + refusal.tag(), "PUBLISH tenant=" + device.tenantId() + " reason=" + refusal.tag())) {
            LOG.info("refused PUBLISH [tenant: {}, device: {}, client: {}, topic: {}, QoS: {}, reason: {}]: {} (further"
                            + " refusals of this device for this reason are only counted in a summary every 10 s)",
                    device.tenantId(), device.deviceId(), clientAddress, DeviceConnection.abbreviate(message.topicName()),
                    message.qosLevel().value(), refusal.tag(), e.getMessage());
        }
        if (!connection.isOpen()) {
            return;
        }
        try {
            if (!mqtt5) {
                // MQTT 3.1.1 cannot say why: Hono closes the connection (no error-topic subscription)
                endpoint.close();
            } else if (ack != null && !refusal.terminal()) {
                complete(ack, refusal.pubAckCode());
            } else {
                endpoint.disconnect(refusal.disconnectCode(), MqttProperties.NO_PROPERTIES);
            }
        } catch (IllegalStateException alreadyClosed) {
            // the device went away meanwhile
        }
    }
}
