package io.twinworks.localstack.hono.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.impl.MqttEndpointImpl;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Objects;

/**
 * Sends one connection's PUBACKs and flushes them once per event-loop task instead of once each.
 *
 * <p>{@link MqttEndpoint#publishAcknowledge} writes and flushes every PUBACK when called outside a read, and a
 * PUBACK is always sent outside one (once Kafka acknowledged the record): one {@code write} syscall per message
 * on the event loop (strace of bench ingest's measured phase: 1.87 writes per message, PUBACKs and event
 * frames). This writer puts the very PUBACK message Vert.x builds (same fixed header, same variable header;
 * the connection's own encoder turns it into bytes) into the connection's channel unflushed, and flushes once
 * the current task (e.g. one hand-over of the Kafka acknowledgements) is done. Vert.x offers no unflushed write
 * on an endpoint, so the channel is read from its connection once, by reflection; when that is not possible
 * (another Vert.x version, a test double) every PUBACK takes {@code publishAcknowledge}. Both write through the
 * same channel handler context in call order, so PUBACKs (and a DISCONNECT after them) never overtake each
 * other. Not thread-safe: use on the endpoint's context.
 */
final class PubAckWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PubAckWriter.class);
    private static final @Nullable Field CONNECTION = connectionField();

    private final MqttEndpoint endpoint;
    private final Context context;
    private final @Nullable ChannelHandlerContext channel;
    private boolean flushScheduled;

    /**
     * @param endpoint the device connection
     * @param context  the endpoint's context (where this writer is used)
     */
    PubAckWriter(MqttEndpoint endpoint, Context context) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.context = Objects.requireNonNull(context, "context");
        this.channel = channelOf(endpoint);
    }

    /** Whether PUBACKs are flushed per task (false: each takes {@code publishAcknowledge}). */
    boolean batches() {
        return channel != null;
    }

    /**
     * Sends a PUBACK; it leaves once the current task is done.
     *
     * @throws IllegalStateException when the connection is closed (as {@code publishAcknowledge} does)
     */
    void acknowledge(int packetId, MqttPubAckReasonCode code) {
        if (channel == null) {
            endpoint.publishAcknowledge(packetId, code, MqttProperties.NO_PROPERTIES);
            return;
        }
        if (!endpoint.isConnected()) {
            throw new IllegalStateException("MQTT endpoint is not connected");
        }
        MqttMessage pubAck = MqttMessageFactory.newMessage(
                new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, code.value(), MqttProperties.NO_PROPERTIES), null);
        channel.write(pubAck, channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                channel.flush();
            });
        }
    }

    private static @Nullable ChannelHandlerContext channelOf(MqttEndpoint endpoint) {
        if (CONNECTION == null || !(endpoint instanceof MqttEndpointImpl)) {
            return null;
        }
        try {
            return CONNECTION.get(endpoint) instanceof NetSocketInternal socket ? socket.channelHandlerContext() : null;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static @Nullable Field connectionField() {
        try {
            Field field = MqttEndpointImpl.class.getDeclaredField("conn");
            if (!NetSocketInternal.class.isAssignableFrom(field.getType())) {
                throw new NoSuchFieldException("conn is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.info("PUBACKs are flushed one by one: the MQTT endpoint's channel is not reachable ({})", e.toString());
            return null;
        }
    }
}
