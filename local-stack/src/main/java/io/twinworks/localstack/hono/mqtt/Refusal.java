package io.twinworks.localstack.hono.mqtt;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;

/**
 * Why the endpoint refused a PUBLISH, with the MQTT 5 reason codes it answers with.
 *
 * <p>MQTT 3.1.1 has no way to tell a device why, so — as Hono's adapter does when the device has no
 * error-topic subscription — the connection is closed. An MQTT 5 device gets a PUBACK with
 * {@link #pubAckCode()} for a refused QoS 1 message and keeps its connection; a refused QoS 0
 * message (nothing to acknowledge) or a terminal refusal ends the connection with a DISCONNECT
 * carrying {@link #disconnectCode()}.
 */
public enum Refusal {
    /** The topic name is not one of Hono's topics, or a segment is empty or malformed. */
    MALFORMED_TOPIC("malformed_topic", MqttPubAckReasonCode.TOPIC_NAME_INVALID,
            MqttDisconnectReasonCode.TOPIC_NAME_INVALID, false),
    /** The topic names a tenant other than the authenticated device's. */
    TENANT_MISMATCH("tenant_mismatch", MqttPubAckReasonCode.NOT_AUTHORIZED,
            MqttDisconnectReasonCode.NOT_AUTHORIZED, false),
    /** The payload is larger than the configured maximum. */
    PAYLOAD_TOO_LARGE("payload_too_large", MqttPubAckReasonCode.QUOTA_EXCEEDED,
            MqttDisconnectReasonCode.PACKET_TOO_LARGE, true),
    /** An empty payload without a content type (Hono requires one then). */
    EMPTY_PAYLOAD_WITHOUT_CONTENT_TYPE("empty_payload_without_content_type",
            MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, MqttDisconnectReasonCode.PAYLOAD_FORMAT_INVALID, false),
    /** An event at QoS 0 (Hono accepts events at QoS 1 only). */
    EVENT_QOS_0("event_qos_0", MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
            MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, false),
    /** Any message at QoS 2 (Hono supports QoS 0 and 1). */
    QOS_2("qos_2", MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
            MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, true),
    /** A gateway published for a device that does not list it in its {@code via}. */
    GATEWAY_NOT_AUTHORIZED("gateway_not_authorized", MqttPubAckReasonCode.NOT_AUTHORIZED,
            MqttDisconnectReasonCode.NOT_AUTHORIZED, false),
    /** A gateway published for a device that does not exist or is disabled. */
    DEVICE_NOT_REGISTERED("device_not_registered", MqttPubAckReasonCode.NOT_AUTHORIZED,
            MqttDisconnectReasonCode.NOT_AUTHORIZED, false),
    /**
     * The authenticated device (or its tenant) has been disabled or removed since it connected;
     * terminal in Hono: the connection is closed.
     */
    AUTHENTICATED_DEVICE_NOT_REGISTERED("authenticated_device_not_registered", MqttPubAckReasonCode.NOT_AUTHORIZED,
            MqttDisconnectReasonCode.NOT_AUTHORIZED, true),
    /** A command response whose request ID is unknown, expired or meant for another device. */
    UNKNOWN_COMMAND_REQUEST("unknown_command_request", MqttPubAckReasonCode.UNSPECIFIED_ERROR,
            MqttDisconnectReasonCode.UNSPECIFIED_ERROR, false),
    /** The device registry did not answer. */
    REGISTRY_UNAVAILABLE("registry_unavailable", MqttPubAckReasonCode.UNSPECIFIED_ERROR,
            MqttDisconnectReasonCode.SERVER_BUSY, false),
    /** Kafka did not acknowledge the record (down, timed out, or the write queue is full). */
    KAFKA_UNAVAILABLE("kafka_unavailable", MqttPubAckReasonCode.UNSPECIFIED_ERROR,
            MqttDisconnectReasonCode.SERVER_BUSY, false),
    /** The endpoint failed on the message (a bug, logged with its stack trace): not the device's fault. */
    INTERNAL_ERROR("internal_error", MqttPubAckReasonCode.UNSPECIFIED_ERROR,
            MqttDisconnectReasonCode.UNSPECIFIED_ERROR, false);

    private final String tag;
    private final MqttPubAckReasonCode pubAckCode;
    private final MqttDisconnectReasonCode disconnectCode;
    private final boolean terminal;

    Refusal(String tag, MqttPubAckReasonCode pubAckCode, MqttDisconnectReasonCode disconnectCode, boolean terminal) {
        this.tag = tag;
        this.pubAckCode = pubAckCode;
        this.disconnectCode = disconnectCode;
        this.terminal = terminal;
    }

    /** The value of the {@code reason} metrics tag. */
    public String tag() {
        return tag;
    }

    /** The MQTT 5 PUBACK reason code for a refused QoS 1 message. */
    public MqttPubAckReasonCode pubAckCode() {
        return pubAckCode;
    }

    /** The MQTT 5 DISCONNECT reason code when the refusal ends the connection. */
    public MqttDisconnectReasonCode disconnectCode() {
        return disconnectCode;
    }

    /** Whether the refusal ends the connection for MQTT 5 devices too. */
    public boolean terminal() {
        return terminal;
    }
}
