package io.twinworks.localstack.hono.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command a business application wrote to {@code hono.command.<tenant>}, as defined by Hono's
 * Command &amp; Control API for Kafka.
 *
 * @param tenantId                    the tenant (from the topic name)
 * @param deviceId                    the target device ({@code device_id} header, else the record key)
 * @param name                        the command name ({@code subject} header)
 * @param correlationId               the {@code correlation-id} header, {@code null} for one-way commands
 * @param responseRequired            the {@code response-required} header
 * @param contentType                 the {@code content-type} header, or {@code null}
 * @param payload                     the record value (empty array when the record has none)
 * @param failureNotificationMetadata headers named {@code delivery-failure-notification-metadata*},
 *                                    copied into an error response if the command cannot be delivered
 */
public record HonoCommand(
        String tenantId,
        String deviceId,
        String name,
        String correlationId,
        boolean responseRequired,
        String contentType,
        byte[] payload,
        Map<String, String> failureNotificationMetadata) {

    public HonoCommand {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload.clone();
        failureNotificationMetadata = Map.copyOf(failureNotificationMetadata);
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Whether the application waits for a response (it set {@code response-required} and a correlation ID). */
    public boolean isRequestResponse() {
        return responseRequired && correlationId != null;
    }

    /**
     * Reads a command record.
     *
     * @throws InvalidCommandException when the topic, device ID or command name is missing; the
     *         exception carries what is known so that the caller can send an error response
     */
    public static HonoCommand fromRecord(ConsumerRecord<String, byte[]> record) {
        String tenantId = HonoTopic.parse(record.topic(), HonoTopic.Type.COMMAND)
                .map(HonoTopic::tenantId)
                .orElseThrow(() -> new InvalidCommandException(null, null, null, false, Map.of(),
                        "not a command topic: " + record.topic()));
        String deviceId = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.DEVICE_ID)
                .or(() -> Optional.ofNullable(record.key()))
                .filter(id -> !id.isEmpty())
                .orElse(null);
        String correlationId = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.CORRELATION_ID)
                .orElse(null);
        boolean responseRequired = HonoKafkaHeaders.booleanValue(record.headers(), HonoKafkaHeaders.RESPONSE_REQUIRED)
                .orElse(false);
        Map<String, String> failureMetadata = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.key().startsWith(HonoKafkaHeaders.DELIVERY_FAILURE_NOTIFICATION_METADATA_PREFIX)
                    && header.value() != null) {
                failureMetadata.putIfAbsent(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String name = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.SUBJECT)
                .filter(subject -> !subject.isEmpty())
                .orElse(null);
        if (deviceId == null) {
            throw new InvalidCommandException(tenantId, null, correlationId, responseRequired, failureMetadata,
                    "command has neither a device_id header nor a record key");
        }
        if (name == null) {
            throw new InvalidCommandException(tenantId, deviceId, correlationId, responseRequired, failureMetadata,
                    "command has no subject header");
        }
        if (responseRequired && correlationId == null) {
            throw new InvalidCommandException(tenantId, deviceId, null, true, failureMetadata,
                    "request/response command has no correlation-id header");
        }
        String contentType = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.CONTENT_TYPE)
                .filter(type -> !type.isEmpty())
                .orElse(null);
        return new HonoCommand(tenantId, deviceId, name, correlationId, responseRequired, contentType,
                record.value(), failureMetadata);
    }

    @Override
    public String toString() {
        return "HonoCommand[tenant=" + tenantId + ", device=" + deviceId + ", name=" + name
                + ", correlation-id=" + correlationId + ", response-required=" + responseRequired
                + ", content-type=" + contentType + ", payload bytes=" + payload.length + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HonoCommand that
                && tenantId.equals(that.tenantId) && deviceId.equals(that.deviceId) && name.equals(that.name)
                && Objects.equals(correlationId, that.correlationId) && responseRequired == that.responseRequired
                && Objects.equals(contentType, that.contentType) && java.util.Arrays.equals(payload, that.payload)
                && failureNotificationMetadata.equals(that.failureNotificationMetadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenantId, deviceId, name, correlationId, responseRequired, contentType,
                java.util.Arrays.hashCode(payload), failureNotificationMetadata);
    }
}
