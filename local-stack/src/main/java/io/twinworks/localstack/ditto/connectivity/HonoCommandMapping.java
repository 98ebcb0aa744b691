package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.localstack.ditto.service.DittoSignals;
import io.twinworks.localstack.hono.kafka.HonoKafkaHeaders;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.common.HttpStatusCodeOutOfRangeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.JsonifiableAdaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The payload contract between Ditto and devices for commands, as the connection JSON of
 * {@code ditto-connections} declares it for real Ditto: the live-message target and the command-response
 * source use Ditto's {@code RawMessage} payload mapper.
 * <ul>
 *   <li><b>Out</b> (live message → Hono command on {@code hono.command.<tenant>}, key and {@code device_id} =
 *       thing ID, {@code subject} = message subject, {@code correlation-id}, {@code response-required}): the
 *       record value is the message payload itself — text and JSON content types as UTF-8 text, any other
 *       content type as the bytes of the base64 payload — with the message's {@code content-type}
 *       ({@code text/plain; charset=UTF-8} when it has none). A live command (not a message) goes out as Ditto
 *       Protocol JSON ({@code application/vnd.eclipse.ditto+json}), subject = its action ({@code modify}, ...).</li>
 *   <li><b>In</b> (Hono command response on {@code hono.command_response.<tenant>}): a Ditto Protocol response
 *       ({@code application/vnd.eclipse.ditto+json}) is taken as it is; any other content type becomes the
 *       message response of the thing ({@code device_id}) with Hono's {@code status} header as its status, the
 *       record's content type and its value as payload (JSON parsed, text as text, bytes as base64).</li>
 * </ul>
 */
public final class HonoCommandMapping {

    /** Ditto Protocol's content type. */
    public static final String DITTO_PROTOCOL_CONTENT_TYPE = "application/vnd.eclipse.ditto+json";
    /** RawMessage's fallback content type of outgoing messages without one. */
    public static final String DEFAULT_OUTGOING_CONTENT_TYPE = "text/plain; charset=UTF-8";
    /** RawMessage's fallback content type of incoming records without one. */
    public static final String DEFAULT_INCOMING_CONTENT_TYPE = "application/octet-stream";

    private HonoCommandMapping() {
    }

    /** Why a record or signal cannot be mapped (counted and logged by the caller, never thrown further). */
    public static final class UnmappableException extends RuntimeException {
        private final String reason;

        UnmappableException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        /** A short tag for counters, e.g. {@code no-status}. */
        public String reason() {
            return reason;
        }
    }

    /** What a command sent to a device needs to turn its response back into a signal. */
    public record SentCommand(ThingId thingId, String correlationId, TopicPath topic, JsonPointer messagePath) {
        public SentCommand {
            Objects.requireNonNull(thingId, "thingId");
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** The tenant whose Hono connection carries commands for a thing: its namespace (the provisioning default). */
    public static String tenantOf(ThingId thingId) {
        return thingId.getNamespace();
    }

    /**
     * The Hono command record of a live message or live command.
     *
     * @param responseRequired whether the caller waits for the device's response
     * @throws UnmappableException when a binary content type's payload is not base64 (as Ditto's RawMessage)
     */
    public static ProducerRecord<String, byte[]> commandRecord(Signal<?> signal, ThingId thingId,
                                                               String correlationId, boolean responseRequired) {
        Adaptable adaptable = DittoSignals.PROTOCOL_ADAPTER.toAdaptable(signal);
        String subject;
        String contentType;
        byte[] value;
        String messageContentType = signal.getDittoHeaders().getContentType().orElse(DEFAULT_OUTGOING_CONTENT_TYPE);
        if (signal instanceof MessageCommand<?, ?> message && !isDittoProtocol(messageContentType)) {
            subject = message.getMessage().getSubject();
            contentType = messageContentType;
            value = adaptable.getPayload().getValue().map(payload -> outgoingBytes(payload, contentType))
                    .orElse(new byte[0]);
        } else if (signal instanceof MessageCommand<?, ?> || signal instanceof ThingCommand<?>) {
            // RawMessage falls back to the Ditto mapping: the whole Ditto Protocol message
            subject = adaptable.getTopicPath().getSubject()
                    .or(() -> adaptable.getTopicPath().getAction().map(Object::toString))
                    .orElse("command");
            contentType = DITTO_PROTOCOL_CONTENT_TYPE;
            Adaptable external = ProtocolFactory.newAdaptableBuilder(adaptable)
                    .withHeaders(DittoHeaders.of(DittoSignals.PROTOCOL_ADAPTER.headerTranslator()
                            .toExternalHeaders(adaptable.getDittoHeaders())))
                    .build();
            value = ProtocolFactory.wrapAsJsonifiableAdaptable(external).toJsonString()
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            throw new UnmappableException("unsupported-signal", "not a message or live command: " + signal.getType());
        }
        List<Header> headers = new ArrayList<>();
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.DEVICE_ID, thingId.toString()));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.SUBJECT, subject));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.CORRELATION_ID, correlationId));
        headers.add(HonoKafkaHeaders.booleanHeader(HonoKafkaHeaders.RESPONSE_REQUIRED, responseRequired));
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.CONTENT_TYPE, contentType));
        String topic = new HonoTopic(HonoTopic.Type.COMMAND, tenantOf(thingId)).topicName();
        return new ProducerRecord<>(topic, null, thingId.toString(), value, headers);
    }

    /** What to remember of a sent signal to map its response. */
    public static SentCommand sent(Signal<?> signal, ThingId thingId, String correlationId) {
        Adaptable adaptable = DittoSignals.PROTOCOL_ADAPTER.toAdaptable(signal);
        return new SentCommand(thingId, correlationId, adaptable.getTopicPath(), adaptable.getPayload().getPath());
    }

    private static byte[] outgoingBytes(JsonValue payload, String contentType) {
        if (isTextOrJson(contentType)) {
            String text = payload.isString() ? payload.asString() : payload.toString();
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (payload.isString()) {
            try {
                return Base64.getDecoder().decode(payload.asString());
            } catch (IllegalArgumentException e) {
                // falls through to the refusal
            }
        }
        throw new UnmappableException("payload-not-base64", "the payload of a message of content-type '"
                + contentType + "' must be a base64-encoded string");
    }

    /**
     * The signal a device's command response stands for.
     *
     * @param sent the command it answers (looked up by the record's {@code correlation-id})
     * @throws UnmappableException when the record has no valid {@code status}, a payload that does not parse
     *         as its content type says, or is about another device
     */
    public static CommandResponse<?> response(ConsumerRecord<String, byte[]> record, SentCommand sent) {
        String deviceId = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.DEVICE_ID)
                .orElse(record.key());
        if (!sent.thingId().toString().equals(deviceId)) {
            throw new UnmappableException("other-device", "response of device " + deviceId
                    + " to a command for " + sent.thingId());
        }
        String contentType = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.CONTENT_TYPE)
                .filter(type -> !type.isBlank())
                .orElse(DEFAULT_INCOMING_CONTENT_TYPE);
        byte[] value = record.value() == null ? new byte[0] : record.value();
        DittoHeaders headers = DittoHeaders.newBuilder()
                .correlationId(sent.correlationId())
                .contentType(contentType)
                .build();
        if (isDittoProtocol(contentType)) {
            return dittoProtocolResponse(value, headers);
        }
        HttpStatus status = HonoKafkaHeaders.longValue(record.headers(), HonoKafkaHeaders.STATUS)
                .flatMap(code -> {
                    try {
                        return Optional.of(HttpStatus.getInstance(code.intValue()));
                    } catch (HttpStatusCodeOutOfRangeException e) {
                        return Optional.empty();
                    }
                })
                .orElseThrow(() -> new UnmappableException("no-status",
                        "command response without a valid status header"));
        var payload = ProtocolFactory.newPayloadBuilder(sent.messagePath()).withStatus(status);
        incomingValue(value, contentType).ifPresent(payload::withValue);
        Adaptable adaptable = ProtocolFactory.newAdaptableBuilder(sent.topic())
                .withPayload(payload.build())
                .withHeaders(headers)
                .build();
        Signal<?> signal = DittoSignals.PROTOCOL_ADAPTER.fromAdaptable(adaptable);
        if (!(signal instanceof CommandResponse<?> response)) {
            throw new UnmappableException("not-a-response", "the response maps to " + signal.getType());
        }
        return response;
    }

    private static CommandResponse<?> dittoProtocolResponse(byte[] value, DittoHeaders recordHeaders) {
        Signal<?> signal;
        try {
            JsonObject json = JsonFactory.newObject(new String(value, StandardCharsets.UTF_8));
            JsonifiableAdaptable adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(json);
            DittoHeaders headers = DittoHeaders.newBuilder(DittoHeaders.of(DittoSignals.PROTOCOL_ADAPTER
                            .headerTranslator().fromExternalHeaders(adaptable.getDittoHeaders())))
                    .correlationId(recordHeaders.getCorrelationId().orElseThrow())
                    .build();
            signal = DittoSignals.PROTOCOL_ADAPTER.fromAdaptable(adaptable).setDittoHeaders(headers);
        } catch (RuntimeException e) {
            throw new UnmappableException("invalid-ditto-protocol", "not a Ditto Protocol message: " + e.getMessage());
        }
        if (!(signal instanceof CommandResponse<?> response)) {
            throw new UnmappableException("not-a-response", "a Ditto Protocol " + signal.getType()
                    + " is no response");
        }
        return response;
    }

    private static Optional<JsonValue> incomingValue(byte[] value, String contentType) {
        if (value.length == 0) {
            return Optional.empty();
        }
        if (isTextOrJson(contentType)) {
            String text = new String(value, StandardCharsets.UTF_8);
            if (!isJson(contentType)) {
                return Optional.of(JsonValue.of(text));
            }
            try {
                return Optional.of(JsonFactory.readFrom(text));
            } catch (JsonRuntimeException e) {
                throw new UnmappableException("invalid-json", "payload of content-type '" + contentType
                        + "' is not JSON: " + e.getMessage());
            }
        }
        return Optional.of(JsonValue.of(Base64.getEncoder().encodeToString(value)));
    }

    /** Whether Ditto reads a payload of this content type as text or JSON (else as bytes). */
    static boolean isTextOrJson(String contentType) {
        String type = mediaType(contentType);
        return type.startsWith("text/") || isJson(contentType);
    }

    private static boolean isJson(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static boolean isDittoProtocol(String contentType) {
        return mediaType(contentType).equals(DITTO_PROTOCOL_CONTENT_TYPE);
    }

    private static String mediaType(String contentType) {
        return contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }
}
