package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.twinworks.localstack.hono.kafka.HonoCommand;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.twinworks.localstack.hono.registry.DeviceRegistryService;
import io.twinworks.localstack.hono.registry.RegistryException;
import io.twinworks.localstack.logging.FirstThenSummaryLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPubAckMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.function.Function;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * One authenticated device (or gateway) connection: its PUBLISH, SUBSCRIBE and UNSUBSCRIBE packets,
 * and the commands published to it.
 *
 * <p>PUBACKs go out in the order the PUBLISH packets came in (MQTT requires it), each only once its
 * message has been written to Kafka (or refused). Not thread-safe: runs on the endpoint's context.
 */
final class DeviceConnection {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConnection.class);
    private static final int MQTT_5 = 5;
    private static final int MAX_PACKET_ID = 65_535;

    /** Everything a connection uses that outlives it. */
    record Services(Vertx vertx, DeviceRegistryService registry, NorthboundProducer producer, CommandRouter router,
                    MqttEndpointMetrics metrics, int maxPayloadBytes, long commandTimeoutMillis,
                    long registryTimeoutMillis, FirstThenSummaryLog refusalLog) {
    }

    /** A QoS 1 PUBLISH waiting for its outcome; {@code code == null} while undecided. */
    private static final class PendingPubAck {
        final int packetId;
        MqttPubAckReasonCode code;

        PendingPubAck(int packetId) {
            this.packetId = packetId;
        }
    }

    private final MqttEndpoint endpoint;
    private final AuthenticatedDevice device;
    private final String clientAddress;
    private final Services services;
    private final boolean mqtt5;
    private final Deque<PendingPubAck> pendingPubAcks = new ArrayDeque<>();
    private final Map<Integer, Promise<Void>> commandsAwaitingPubAck = new HashMap<>();
    private int lastCommandPacketId;
    private boolean open = true;
    /**
     * Completes once the previous PUBLISH of this connection was handed to Kafka (or refused). The
     * registry lookups of consecutive messages run concurrently and may answer out of order; chaining
     * the hand-over keeps a device's records in Kafka in the order the device published them.
     */
    /*
     * Messages whose registry lookup may still be running, in PUBLISH order: a message is handed over
     * once its lookup is done AND every earlier one was handed over. An explicit queue drained in a loop,
     * not a chain of futures: thousands of messages queued behind one slow lookup (e.g. the first
     * second's burst while Kafka creates the topic) completed a future chain recursively and overflowed
     * the event loop's stack, which cost the gateways their connections.
     */
    private final ArrayDeque<OrderedHandOver<?>> handOvers = new ArrayDeque<>();

    DeviceConnection(MqttEndpoint endpoint, AuthenticatedDevice device, String clientAddress, Services services) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.device = Objects.requireNonNull(device, "device");
        this.clientAddress = clientAddress;
        this.services = Objects.requireNonNull(services, "services");
        this.mqtt5 = endpoint.protocolVersion() >= MQTT_5;
    }

    /** Installs the packet handlers; call right after the CONNACK. */
    void start(Runnable onClosed) {
        endpoint.publishAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.publishAcknowledgeMessageHandler(this::onCommandPubAck);
        // INFO, not DEBUG: it is what explains an unexpected disconnect (once per connection)
        endpoint.exceptionHandler(e -> LOG.info("connection error [tenant: {}, device: {}, client: {}]: {}",
                device.tenantId(), device.deviceId(), clientAddress, e.toString()));
        endpoint.closeHandler(v -> {
            onClose();
            onClosed.run();
        });
    }

    AuthenticatedDevice device() {
        return device;
    }

    String clientAddress() {
        return clientAddress;
    }

    boolean isOpen() {
        return open && endpoint.isConnected();
    }

    private void onClose() {
        if (!open) {
            return;
        }
        open = false;
        pendingPubAcks.clear();
        services.router().removeAll(this);
        List<Promise<Void>> awaiting = new ArrayList<>(commandsAwaitingPubAck.values());
        commandsAwaitingPubAck.clear();
        awaiting.forEach(p -> p.tryFail("device disconnected before acknowledging the command"));
        LOG.info("device disconnected [tenant: {}, device: {}, client: {}]", device.tenantId(), device.deviceId(),
                clientAddress);
    }

    /** Closes the connection (endpoint shutdown); MQTT 5 devices get DISCONNECT "server shutting down". */
    void closeForShutdown() {
        if (!isOpen()) {
            return;
        }
        try {
            if (mqtt5) {
                endpoint.disconnect(io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN,
                        MqttProperties.NO_PROPERTIES);
            } else {
                endpoint.close();
            }
        } catch (IllegalStateException alreadyClosed) {
            // closed concurrently by the peer
        }
    }

    // ---------------------------------------------------------------- PUBLISH (device → Kafka)

    private void onPublish(MqttPublishMessage message) {
        if (!open) {
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
            LOG.error("unexpected error processing PUBLISH on {} [tenant: {}, device: {}]", message.topicName(),
                    device.tenantId(), device.deviceId(), e);
            outcome = Future.failedFuture(new PublishRefusedException(Refusal.MALFORMED_TOPIC, e.toString(), e));
        }
        outcome.onComplete(ar -> {
            if (ar.succeeded()) {
                complete(ack, MqttPubAckReasonCode.SUCCESS);
            } else {
                PublishRefusedException refusal = ar.cause() instanceof PublishRefusedException r ? r
                        : new PublishRefusedException(Refusal.KAFKA_UNAVAILABLE, ar.cause().toString(), ar.cause());
                refuse(message, ack, refusal);
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
        return withRegistryTimeout(services.registry().assertRegistration(device.tenantId(), target,
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

    private <T> Future<T> withRegistryTimeout(Future<T> future) {
        Promise<T> promise = Promise.promise();
        long timer = services.vertx().setTimer(services.registryTimeoutMillis(), t -> promise.tryFail(
                new TimeoutException("no answer within " + services.registryTimeoutMillis() + " ms")));
        future.onComplete(ar -> {
            services.vertx().cancelTimer(timer);
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(ar.cause());
            }
        });
        return promise.future();
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
        while (!pendingPubAcks.isEmpty() && pendingPubAcks.peekFirst().code != null && isOpen()) {
            PendingPubAck next = pendingPubAcks.pollFirst();
            try {
                if (mqtt5) {
                    endpoint.publishAcknowledge(next.packetId, next.code, MqttProperties.NO_PROPERTIES);
                } else {
                    endpoint.publishAcknowledge(next.packetId);
                }
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
                    device.tenantId(), device.deviceId(), clientAddress, abbreviate(message.topicName()),
                    message.qosLevel().value(), refusal.tag(), e.getMessage());
        }
        if (!isOpen()) {
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

    private static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    // ---------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

    private void onSubscribe(MqttSubscribeMessage message) {
        List<Future<MqttSubAckReasonCode>> outcomes = new ArrayList<>();
        for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
            outcomes.add(subscribe(subscription).recover(e -> Future.succeededFuture(MqttSubAckReasonCode.UNSPECIFIED_ERROR)));
        }
        Future.join(outcomes).onComplete(ar -> {
            List<MqttSubAckReasonCode> codes = new ArrayList<>();
            for (Future<MqttSubAckReasonCode> outcome : outcomes) {
                MqttSubAckReasonCode code = outcome.result();
                // MQTT 3.1.1 knows one failure code only
                codes.add(!mqtt5 && Byte.toUnsignedInt(code.value()) >= 0x80 ? MqttSubAckReasonCode.UNSPECIFIED_ERROR : code);
            }
            if (isOpen()) {
                try {
                    endpoint.subscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
                } catch (IllegalStateException closed) {
                    // device went away
                }
            }
        });
    }

    private Future<MqttSubAckReasonCode> subscribe(MqttTopicSubscription subscription) {
        String topicFilter = subscription.topicName();
        CommandSubscriptionFilter filter = CommandSubscriptionFilter.parse(topicFilter).orElse(null);
        if (filter == null) {
            return refuseSubscription(topicFilter, "not a command subscription filter",
                    MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
        }
        if (subscription.qualityOfService() == MqttQoS.EXACTLY_ONCE) {
            return refuseSubscription(topicFilter, "QoS 2 is not supported for commands",
                    MqttSubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
        }
        if (filter.tenantId() != null && !filter.tenantId().equals(device.tenantId())) {
            return refuseSubscription(topicFilter, "filter names another tenant", MqttSubAckReasonCode.NOT_AUTHORIZED);
        }
        MqttQoS qos = subscription.qualityOfService();
        CommandRouter.Subscription routed = new CommandRouter.Subscription(this, filter, qos);
        MqttSubAckReasonCode granted = qos == MqttQoS.AT_LEAST_ONCE
                ? MqttSubAckReasonCode.GRANTED_QOS1 : MqttSubAckReasonCode.GRANTED_QOS0;
        String deviceSegment = filter.deviceSegment();
        if (filter.isForAllDevicesOfGateway()) {
            services.router().subscribeForAllDevicesOfGateway(device.tenantId(), device.deviceId(), routed);
            logSubscription(topicFilter, qos);
            return Future.succeededFuture(granted);
        }
        if (deviceSegment == null || deviceSegment.equals(device.deviceId())) {
            services.router().subscribeForDevice(device.tenantId(), device.deviceId(), routed);
            logSubscription(topicFilter, qos);
            return Future.succeededFuture(granted);
        }
        return withRegistryTimeout(services.registry().assertRegistration(device.tenantId(), deviceSegment,
                device.deviceId()))
                .map(ok -> {
                    services.router().subscribeForDevice(device.tenantId(), deviceSegment, routed);
                    logSubscription(topicFilter, qos);
                    return granted;
                })
                .recover(e -> refuseSubscription(topicFilter, "gateway may not act for device " + deviceSegment
                        + ": " + e.getMessage(), e instanceof RegistryException
                        ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.UNSPECIFIED_ERROR));
    }

    private void logSubscription(String topicFilter, MqttQoS qos) {
        LOG.info("command subscription [tenant: {}, device: {}, client: {}, filter: {}, QoS: {}]",
                device.tenantId(), device.deviceId(), clientAddress, topicFilter, qos.value());
    }

    private Future<MqttSubAckReasonCode> refuseSubscription(String topicFilter, String why,
                                                            MqttSubAckReasonCode code) {
        services.metrics().subscriptionRefused(code);
        if (services.refusalLog().first("subscribe\u0000" + device.tenantId() + '\u0000' + device.deviceId() + '\u0000'
                + code, "SUBSCRIBE tenant=" + device.tenantId() + " reason=" + code)) {
            LOG.info("refused SUBSCRIBE [tenant: {}, device: {}, client: {}, filter: {}]: {} (further refusals of this"
                            + " device for this reason are only counted in a summary every 10 s)", device.tenantId(),
                    device.deviceId(), clientAddress, abbreviate(topicFilter), why);
        }
        return Future.succeededFuture(code);
    }

    private void onUnsubscribe(MqttUnsubscribeMessage message) {
        List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
        for (String topicFilter : message.topics()) {
            boolean removed = services.router().unsubscribe(this, topicFilter);
            codes.add(removed ? MqttUnsubAckReasonCode.SUCCESS : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        try {
            if (mqtt5) {
                endpoint.unsubscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
            } else {
                endpoint.unsubscribeAcknowledge(message.messageId());
            }
        } catch (IllegalStateException closed) {
            // device went away
        }
    }

    // ---------------------------------------------------------------- commands (Kafka → device)

    /**
     * Publishes a command to this connection; at QoS 1 the future completes once the device sent
     * its PUBACK (or fails after {@code commandTimeoutMillis}), at QoS 0 once it was written.
     */
    Future<Void> publishCommand(CommandRouter.Subscription subscription, HonoCommand command, String requestId) {
        if (!isOpen()) {
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

    private void onCommandPubAck(MqttPubAckMessage pubAck) {
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
