package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.twinworks.localstack.hono.registry.RegistryException;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The command subscriptions of one device connection (Hono's command subscriptions manager): SUBSCRIBE and
 * UNSUBSCRIBE of command topic filters, registered with the {@link CommandRouter} — for the device itself,
 * for one device a gateway serves (once the registry confirmed it may), or for all of them. Not
 * thread-safe: runs on the endpoint's context.
 */
final class CommandSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(CommandSubscriptions.class);

    private final DeviceConnection connection;
    private final MqttEndpoint endpoint;
    private final AuthenticatedDevice device;
    private final String clientAddress;
    private final DeviceConnection.Services services;
    private final boolean mqtt5;

    CommandSubscriptions(DeviceConnection connection, MqttEndpoint endpoint, DeviceConnection.Services services,
                         boolean mqtt5) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.device = connection.device();
        this.clientAddress = connection.clientAddress();
        this.services = services;
        this.mqtt5 = mqtt5;
    }

    /** Answers a SUBSCRIBE: a SUBACK code per filter. */
    void onSubscribe(MqttSubscribeMessage message) {
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
            if (connection.isOpen()) {
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
        CommandRouter.Subscription routed = new CommandRouter.Subscription(connection, filter, qos);
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
        return services.withRegistryTimeout(services.registry().assertRegistration(device.tenantId(), deviceSegment,
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
                    device.deviceId(), clientAddress, DeviceConnection.abbreviate(topicFilter), why);
        }
        return Future.succeededFuture(code);
    }

    /** Answers an UNSUBSCRIBE. */
    void onUnsubscribe(MqttUnsubscribeMessage message) {
        List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
        for (String topicFilter : message.topics()) {
            boolean removed = services.router().unsubscribe(connection, topicFilter);
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
}
