package io.twinworks.localstack.hono.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds Kafka records in the layout of Hono's Kafka-based APIs: key = device ID, metadata as
 * headers encoded as in {@link HonoKafkaHeaders}.
 */
public final class HonoRecords {

    private HonoRecords() {
    }

    /**
     * What a protocol adapter writes for a telemetry message or event.
     *
     * @param type          {@link HonoTopic.Type#TELEMETRY} or {@link HonoTopic.Type#EVENT}
     * @param tenantId      the device's tenant
     * @param deviceId      the device the data is from (the record key)
     * @param contentType   the payload's MIME type, or {@code null} ({@code application/octet-stream}
     *                      is used then for a non-empty payload, as in Hono)
     * @param qos           the MQTT QoS the device used (0 or 1)
     * @param ttlMillis     time-to-live in milliseconds, or {@code null}
     * @param origAddress   the MQTT topic name the device published to
     * @param retain        whether the device set the retain flag
     * @param payload       the payload
     * @param creationTime  milliseconds since the epoch
     */
    public static ProducerRecord<String, byte[]> downstream(HonoTopic.Type type, String tenantId, String deviceId,
            String contentType, int qos, Long ttlMillis, String origAddress, boolean retain, byte[] payload,
            long creationTime) {
        if (type != HonoTopic.Type.TELEMETRY && type != HonoTopic.Type.EVENT) {
            throw new IllegalArgumentException("not a downstream type: " + type);
        }
        Objects.requireNonNull(payload, "payload");
        List<Header> headers = new ArrayList<>();
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.DEVICE_ID, deviceId));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.TENANT_ID, tenantId));
        String effectiveContentType = contentType != null ? contentType
                : payload.length > 0 ? HonoKafkaHeaders.CONTENT_TYPE_OCTET_STREAM : null;
        if (effectiveContentType != null) {
            headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.CONTENT_TYPE, effectiveContentType));
        }
        headers.add(HonoKafkaHeaders.numberHeader(HonoKafkaHeaders.CREATION_TIME, creationTime));
        headers.add(HonoKafkaHeaders.numberHeader(HonoKafkaHeaders.QOS, qos));
        if (ttlMillis != null) {
            headers.add(HonoKafkaHeaders.numberHeader(HonoKafkaHeaders.TTL, ttlMillis));
        }
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.ORIG_ADAPTER, HonoKafkaHeaders.MQTT_ADAPTER_TYPE));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.ORIG_ADDRESS, origAddress));
        if (retain) {
            headers.add(HonoKafkaHeaders.booleanHeader(HonoKafkaHeaders.RETAIN, true));
        }
        return new ProducerRecord<>(new HonoTopic(type, tenantId).topicName(), null, deviceId, payload, headers);
    }

    /**
     * What a protocol adapter writes for a device's command response.
     *
     * @param contentType the payload's MIME type, or {@code null} ({@code application/octet-stream}
     *                    then for a non-empty payload)
     */
    public static ProducerRecord<String, byte[]> commandResponse(String tenantId, String deviceId, String correlationId,
            int status, String contentType, byte[] payload, long creationTime) {
        Objects.requireNonNull(payload, "payload");
        List<Header> headers = responseHeaders(tenantId, deviceId, correlationId, status, creationTime);
        String effectiveContentType = contentType != null ? contentType
                : payload.length > 0 ? HonoKafkaHeaders.CONTENT_TYPE_OCTET_STREAM : null;
        if (effectiveContentType != null) {
            headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.CONTENT_TYPE, effectiveContentType));
        }
        return new ProducerRecord<>(new HonoTopic(HonoTopic.Type.COMMAND_RESPONSE, tenantId).topicName(), null,
                deviceId, payload, headers);
    }

    /**
     * The error response Hono writes when a request/response command cannot be delivered: content
     * type {@code application/vnd.eclipse-hono-delivery-failure-notification+json}, body
     * {@code {"error": "<why>"}}, the command's {@code delivery-failure-notification-metadata*} headers copied.
     */
    public static ProducerRecord<String, byte[]> deliveryFailure(String tenantId, String deviceId, String correlationId,
            int status, String error, Map<String, String> failureNotificationMetadata, long creationTime) {
        List<Header> headers = responseHeaders(tenantId, deviceId, correlationId, status, creationTime);
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.CONTENT_TYPE,
                HonoKafkaHeaders.CONTENT_TYPE_DELIVERY_FAILURE_NOTIFICATION));
        failureNotificationMetadata.forEach((key, value) -> headers.add(HonoKafkaHeaders.stringHeader(key, value)));
        byte[] body = ("{\"error\":\"" + jsonEscape(error) + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(new HonoTopic(HonoTopic.Type.COMMAND_RESPONSE, tenantId).topicName(), null,
                deviceId, body, headers);
    }

    private static List<Header> responseHeaders(String tenantId, String deviceId, String correlationId, int status,
                                                long creationTime) {
        List<Header> headers = new ArrayList<>();
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.CORRELATION_ID, correlationId));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.DEVICE_ID, deviceId));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.TENANT_ID, tenantId));
        headers.add(HonoKafkaHeaders.numberHeader(HonoKafkaHeaders.STATUS, status));
        headers.add(HonoKafkaHeaders.numberHeader(HonoKafkaHeaders.CREATION_TIME, creationTime));
        return headers;
    }

    private static String jsonEscape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
