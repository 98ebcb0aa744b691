package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.twinworks.localstack.hono.kafka.HonoCommand;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.twinworks.localstack.hono.registry.DeviceRegistryService;
import io.twinworks.core.logging.FirstThenSummaryLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * One authenticated device (or gateway) connection, split along the seams of Hono's MQTT adapter: its
 * {@link UplinkPipeline} (PUBLISH to Kafka, PUBACKs in order), its {@link CommandSubscriptions} (SUBSCRIBE,
 * UNSUBSCRIBE) and the {@link CommandDelivery} of the commands routed to it. This class holds the
 * connection's identity and lifecycle. Not thread-safe: runs on the endpoint's context.
 */
final class DeviceConnection {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConnection.class);
    private static final int MQTT_5 = 5;

    /** Everything a connection uses that outlives it. */
    record Services(Vertx vertx, DeviceRegistryService registry, NorthboundProducer producer, CommandRouter router,
                    MqttEndpointMetrics metrics, int maxPayloadBytes, long commandTimeoutMillis,
                    long registryTimeoutMillis, FirstThenSummaryLog refusalLog) {

        /** {@code future}, failed with a {@link TimeoutException} when the registry does not answer in time. */
        <T> Future<T> withRegistryTimeout(Future<T> future) {
            if (future.isComplete()) {
                // the registry answered from memory (nearly every PUBLISH): arming and cancelling a timer for an
                // answer already there was ~7 % of the MQTT side's event-loop CPU per message (JFR, bench ingest)
                return future;
            }
            Promise<T> promise = Promise.promise();
            long timer = vertx.setTimer(registryTimeoutMillis, t -> promise.tryFail(
                    new TimeoutException("no answer within " + registryTimeoutMillis + " ms")));
            future.onComplete(ar -> {
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                    promise.tryComplete(ar.result());
                } else {
                    promise.tryFail(ar.cause());
                }
            });
            return promise.future();
        }
    }

    private final MqttEndpoint endpoint;
    private final AuthenticatedDevice device;
    private final String clientAddress;
    private final Services services;
    private final boolean mqtt5;
    private final UplinkPipeline uplink;
    private final CommandSubscriptions subscriptions;
    private final CommandDelivery commands;
    private boolean open = true;

    DeviceConnection(MqttEndpoint endpoint, AuthenticatedDevice device, String clientAddress, Services services) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.device = Objects.requireNonNull(device, "device");
        this.clientAddress = clientAddress;
        this.services = Objects.requireNonNull(services, "services");
        this.mqtt5 = endpoint.protocolVersion() >= MQTT_5;
        this.uplink = new UplinkPipeline(this, endpoint, services, mqtt5);
        this.subscriptions = new CommandSubscriptions(this, endpoint, services, mqtt5);
        this.commands = new CommandDelivery(this, endpoint, services, mqtt5);
    }

    /** Installs the packet handlers; call right after the CONNACK. */
    void start(Runnable onClosed) {
        endpoint.publishAutoAck(false);
        endpoint.publishHandler(uplink::onPublish);
        endpoint.subscribeHandler(subscriptions::onSubscribe);
        endpoint.unsubscribeHandler(subscriptions::onUnsubscribe);
        endpoint.publishAcknowledgeMessageHandler(commands::onPubAck);
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

    /** Whether the connection's close was handled (packets arriving after it are dropped). */
    boolean wasClosed() {
        return !open;
    }

    private void onClose() {
        if (!open) {
            return;
        }
        open = false;
        uplink.close();
        services.router().removeAll(this);
        commands.close();
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

    /**
     * Publishes a command to this connection; at QoS 1 the future completes once the device sent
     * its PUBACK (or fails after {@code commandTimeoutMillis}), at QoS 0 once it was written.
     */
    Future<Void> publishCommand(CommandRouter.Subscription subscription, HonoCommand command, String requestId) {
        return commands.publish(subscription, command, requestId);
    }

    /** A topic or filter shortened for a log line. */
    static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
