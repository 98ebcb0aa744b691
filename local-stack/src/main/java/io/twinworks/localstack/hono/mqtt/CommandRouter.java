package io.twinworks.localstack.hono.mqtt;

import io.twinworks.localstack.hono.kafka.HonoCommand;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.InvalidCommandException;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import io.twinworks.localstack.hono.registry.DeviceRegistryService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Routes commands from Kafka to the device connections that subscribed to them, and remembers
 * request/response commands until their response arrives or {@code commandTimeoutMillis} passed.
 *
 * <p>Routing follows Hono's MQTT adapter: a subscription for the specific device (by the device
 * itself or by a gateway naming it) wins, the last one made replacing earlier ones; otherwise a
 * gateway subscribed to all its devices ({@code command//+/req/#}) that the registry confirms may act
 * for the device gets it. A request/response command nobody can take is answered with a
 * delivery-failure response (503), as Hono does.
 *
 * <p>Not thread-safe: used on the MQTT endpoint's Vert.x context only.
 */
final class CommandRouter {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRouter.class);

    /** A command subscription of one connection. */
    record Subscription(DeviceConnection connection, CommandSubscriptionFilter filter, MqttQoS qos) {
        Subscription {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(qos, "qos");
        }
    }

    /** A request/response command waiting for the device's response. */
    record PendingCommand(String tenantId, String deviceId, String correlationId, long timerId) {
    }

    private record DeviceKey(String tenantId, String deviceId) {
    }

    private final Vertx vertx;
    private final DeviceRegistryService registry;
    private final NorthboundProducer producer;
    private final MqttEndpointMetrics metrics;
    private final long commandTimeoutMillis;
    private final Map<DeviceKey, Subscription> deviceSubscriptions = new HashMap<>();
    /** Per tenant: gateway ID → its subscription for all devices, in subscription order. */
    private final Map<String, LinkedHashMap<String, Subscription>> gatewaySubscriptions = new HashMap<>();
    private final Map<String, PendingCommand> pendingByRequestId = new HashMap<>();

    CommandRouter(Vertx vertx, DeviceRegistryService registry, NorthboundProducer producer,
                  MqttEndpointMetrics metrics, long commandTimeoutMillis) {
        this.vertx = vertx;
        this.registry = registry;
        this.producer = producer;
        this.metrics = metrics;
        this.commandTimeoutMillis = commandTimeoutMillis;
    }

    /** Registers a subscription for one device (the subscriber itself or a device behind a gateway). */
    void subscribeForDevice(String tenantId, String deviceId, Subscription subscription) {
        Subscription previous = deviceSubscriptions.put(new DeviceKey(tenantId, deviceId), subscription);
        if (previous != null && previous.connection() != subscription.connection()) {
            LOG.debug("command subscription for device {}/{} moves from client {} to client {}", tenantId, deviceId,
                    previous.connection().clientAddress(), subscription.connection().clientAddress());
        }
    }

    /** Registers a gateway's subscription for all devices it may act for. */
    void subscribeForAllDevicesOfGateway(String tenantId, String gatewayId, Subscription subscription) {
        LinkedHashMap<String, Subscription> gateways = gatewaySubscriptions.computeIfAbsent(tenantId,
                t -> new LinkedHashMap<>());
        gateways.remove(gatewayId);
        gateways.put(gatewayId, subscription);
    }

    /** Removes the subscriptions of a connection made with the given filter text. */
    boolean unsubscribe(DeviceConnection connection, String topicFilter) {
        boolean removed = deviceSubscriptions.values().removeIf(sub -> sub.connection() == connection
                && sameFilter(sub.filter(), topicFilter));
        for (LinkedHashMap<String, Subscription> gateways : gatewaySubscriptions.values()) {
            removed |= gateways.values().removeIf(sub -> sub.connection() == connection
                    && sameFilter(sub.filter(), topicFilter));
        }
        return removed;
    }

    private static boolean sameFilter(CommandSubscriptionFilter filter, String topicFilter) {
        return CommandSubscriptionFilter.parse(topicFilter).map(filter::equals).orElse(false);
    }

    /** Removes every subscription of a closed connection. */
    void removeAll(DeviceConnection connection) {
        deviceSubscriptions.values().removeIf(sub -> sub.connection() == connection);
        for (Iterator<LinkedHashMap<String, Subscription>> it = gatewaySubscriptions.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<String, Subscription> gateways = it.next();
            gateways.values().removeIf(sub -> sub.connection() == connection);
            if (gateways.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The pending request/response command with this request ID, or {@code null}. */
    PendingCommand pending(String requestId) {
        return pendingByRequestId.get(requestId);
    }

    /** Forgets a pending command once its response is on its way. */
    void completePending(String requestId) {
        PendingCommand pending = pendingByRequestId.remove(requestId);
        if (pending != null) {
            vertx.cancelTimer(pending.timerId());
        }
    }

    /** How many request/response commands wait for their response now. */
    int pendingCount() {
        return pendingByRequestId.size();
    }

    /** Handles one record of a {@code hono.command.<tenant>} topic. */
    void handleCommandRecord(ConsumerRecord<String, byte[]> record) {
        HonoCommand command;
        try {
            command = HonoCommand.fromRecord(record);
        } catch (InvalidCommandException e) {
            metrics.commandUndeliverable("invalid_command");
            LOG.info("refused command record [topic: {}, offset: {}]: {}", record.topic(), record.offset(),
                    e.getMessage());
            if (e.canBeAnswered()) {
                writeDeliveryFailure(e.tenantId(), e.deviceId(), e.correlationId(), HttpURLConnection.HTTP_BAD_REQUEST,
                        e.getMessage(), e.failureNotificationMetadata());
            }
            return;
        }
        route(command);
    }

    private void route(HonoCommand command) {
        Subscription direct = deviceSubscriptions.get(new DeviceKey(command.tenantId(), command.deviceId()));
        if (direct != null) {
            deliver(direct, command);
            return;
        }
        List<Subscription> gateways = new ArrayList<>(
                gatewaySubscriptions.getOrDefault(command.tenantId(), new LinkedHashMap<>()).values());
        // the most recent subscription first, as Hono prefers the subscription made last
        java.util.Collections.reverse(gateways);
        for (Subscription gateway : gateways) {
            if (gateway.connection().device().deviceId().equals(command.deviceId())) {
                deliver(gateway, command);
                return;
            }
        }
        tryGateways(command, gateways, 0);
    }

    private void tryGateways(HonoCommand command, List<Subscription> gateways, int index) {
        if (index >= gateways.size()) {
            metrics.commandUndeliverable("device_not_connected");
            LOG.info("command {} for device {}/{} not delivered: device is not connected or not subscribed to commands",
                    command.name(), command.tenantId(), command.deviceId());
            if (command.isRequestResponse()) {
                writeDeliveryFailure(command.tenantId(), command.deviceId(), command.correlationId(),
                        HttpURLConnection.HTTP_UNAVAILABLE,
                        "device " + command.deviceId() + " is not connected or not subscribed to commands",
                        command.failureNotificationMetadata());
            }
            return;
        }
        Subscription gateway = gateways.get(index);
        registry.assertRegistration(command.tenantId(), command.deviceId(), gateway.connection().device().deviceId())
                .onSuccess(ok -> {
                    if (gateway.connection().isOpen()) {
                        deliver(gateway, command);
                    } else {
                        tryGateways(command, gateways, index + 1);
                    }
                })
                .onFailure(e -> tryGateways(command, gateways, index + 1));
    }

    private void deliver(Subscription subscription, HonoCommand command) {
        String requestId = null;
        if (command.isRequestResponse()) {
            requestId = UUID.randomUUID().toString().replace("-", "");
            String id = requestId;
            long timerId = vertx.setTimer(commandTimeoutMillis, t -> {
                if (pendingByRequestId.remove(id) != null) {
                    metrics.commandResponse("timed_out");
                    LOG.info("no response to command {} [tenant: {}, device: {}, correlation-id: {}] within {} ms",
                            command.name(), command.tenantId(), command.deviceId(), command.correlationId(),
                            commandTimeoutMillis);
                }
            });
            pendingByRequestId.put(requestId, new PendingCommand(command.tenantId(), command.deviceId(),
                    command.correlationId(), timerId));
        }
        String pendingRequestId = requestId;
        subscription.connection().publishCommand(subscription, command, requestId)
                .onSuccess(ok -> {
                    metrics.commandDelivered();
                    LOG.debug("delivered command {} to device {}/{} [request-id: {}]", command.name(),
                            command.tenantId(), command.deviceId(), pendingRequestId);
                })
                .onFailure(e -> {
                    metrics.commandUndeliverable("delivery_failed");
                    LOG.info("command {} for device {}/{} not delivered: {}", command.name(), command.tenantId(),
                            command.deviceId(), e.getMessage());
                    if (pendingRequestId != null) {
                        completePending(pendingRequestId);
                        writeDeliveryFailure(command.tenantId(), command.deviceId(), command.correlationId(),
                                HttpURLConnection.HTTP_UNAVAILABLE, "command could not be delivered to device: "
                                        + e.getMessage(), command.failureNotificationMetadata());
                    }
                });
    }

    private void writeDeliveryFailure(String tenantId, String deviceId, String correlationId, int status,
                                      String error, Map<String, String> metadata) {
        ProducerRecord<String, byte[]> record = HonoRecords.deliveryFailure(tenantId, deviceId, correlationId, status,
                error, metadata, System.currentTimeMillis());
        producer.send(record)
                .onSuccess(md -> metrics.recordWritten("command_response"))
                .onFailure(e -> {
                    metrics.recordFailed("command_response");
                    LOG.warn("cannot write delivery-failure response for device {}/{} [correlation-id: {}]: {}",
                            tenantId, deviceId, correlationId, e.toString());
                });
    }

    /** Cancels all timers (endpoint stops). */
    void close() {
        pendingByRequestId.values().forEach(p -> vertx.cancelTimer(p.timerId()));
        pendingByRequestId.clear();
        deviceSubscriptions.clear();
        gatewaySubscriptions.clear();
    }
}
