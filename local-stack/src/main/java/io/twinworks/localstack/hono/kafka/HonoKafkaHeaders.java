package io.twinworks.localstack.hono.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Names and value encodings of the Kafka record headers of Hono's Kafka-based Telemetry, Event and
 * Command &amp; Control APIs.
 *
 * <p>Encoding, as Hono's own clients write and read it ({@code KafkaRecordHelper}): a string value is
 * its UTF-8 bytes, unquoted; any other value (numbers, booleans) is its JSON text in UTF-8, e.g.
 * {@code creation-time} = {@code 1717171717171}, {@code qos} = {@code 1}, {@code status} =
 * {@code 200}, {@code response-required} = {@code true}. When a header occurs more than once, the
 * first occurrence counts, as in Hono.
 */
public final class HonoKafkaHeaders {

    /** The device the record is from or for (string). */
    public static final String DEVICE_ID = "device_id";
    /** The tenant of the device (string). */
    public static final String TENANT_ID = "tenant_id";
    /** The MIME type of the record value (string). */
    public static final String CONTENT_TYPE = "content-type";
    /** When the message was created, milliseconds since the Unix epoch (long). */
    public static final String CREATION_TIME = "creation-time";
    /** The MQTT QoS the device used: 0 AT MOST ONCE, 1 AT LEAST ONCE (int). */
    public static final String QOS = "qos";
    /** Time-to-live in milliseconds (long). */
    public static final String TTL = "ttl";
    /** The command name (string). */
    public static final String SUBJECT = "subject";
    /** Correlates a command response with its request (string). */
    public static final String CORRELATION_ID = "correlation-id";
    /** Whether the command expects a response (boolean). */
    public static final String RESPONSE_REQUIRED = "response-required";
    /** The HTTP status of a command response (int). */
    public static final String STATUS = "status";
    /** The protocol adapter type the message came through (string, {@code hono-mqtt}). */
    public static final String ORIG_ADAPTER = "orig_adapter";
    /** The MQTT topic name the device published to (string). */
    public static final String ORIG_ADDRESS = "orig_address";
    /** Present with {@code true} when the device set the MQTT retain flag (boolean). */
    public static final String RETAIN = "x-opt-retain";
    /** Prefix of command headers copied into a delivery-failure response. */
    public static final String DELIVERY_FAILURE_NOTIFICATION_METADATA_PREFIX = "delivery-failure-notification-metadata";

    /** The adapter type name Hono's MQTT adapter reports in {@link #ORIG_ADAPTER}. */
    public static final String MQTT_ADAPTER_TYPE = "hono-mqtt";
    /** The content type Hono uses for a non-empty payload of unknown type. */
    public static final String CONTENT_TYPE_OCTET_STREAM = "application/octet-stream";
    /** The content type of the error response Hono writes when a command cannot be delivered. */
    public static final String CONTENT_TYPE_DELIVERY_FAILURE_NOTIFICATION =
            "application/vnd.eclipse-hono-delivery-failure-notification+json";

    private HonoKafkaHeaders() {
    }

    /** A header with a string value (UTF-8, unquoted). */
    public static Header stringHeader(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A header with a number value (its JSON text, which is its decimal form). */
    public static Header numberHeader(String key, long value) {
        return new RecordHeader(Objects.requireNonNull(key, "key"),
                Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** A header with a boolean value (its JSON text {@code true}/{@code false}). */
    public static Header booleanHeader(String key, boolean value) {
        return new RecordHeader(Objects.requireNonNull(key, "key"),
                Boolean.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /** The first value of a header as a string, if present. */
    public static Optional<String> stringValue(Headers headers, String key) {
        return stringValue(first(headers, key));
    }

    /** The value of a header (e.g. the first occurrence of its key) as a string; empty for none or a null value. */
    public static Optional<String> stringValue(@Nullable Header header) {
        return header == null ? Optional.empty()
                : Optional.ofNullable(header.value()).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    /**
     * The first value of a header decoded as a JSON boolean; empty when absent or not a JSON
     * boolean (Hono's decoder yields no value then either).
     */
    public static Optional<Boolean> booleanValue(Headers headers, String key) {
        return stringValue(headers, key).map(String::trim).flatMap(v -> switch (v) {
            case "true" -> Optional.of(Boolean.TRUE);
            case "false" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        });
    }

    /** The first value of a header decoded as a JSON integer number; empty when absent or not a number. */
    public static Optional<Long> longValue(Headers headers, String key) {
        return longValue(first(headers, key));
    }

    /** The value of a header decoded as a JSON integer number; empty for none, a null value or not a number. */
    public static Optional<Long> longValue(@Nullable Header header) {
        return stringValue(header).map(String::trim).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static @Nullable Header first(Headers headers, String key) {
        Iterator<Header> occurrences = headers.headers(key).iterator();
        return occurrences.hasNext() ? occurrences.next() : null;
    }
}
