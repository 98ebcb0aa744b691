package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.localstack.ditto.service.DittoSignals;
import io.twinworks.localstack.hono.kafka.HonoKafkaHeaders;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.headers.HeaderDefinition;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a record of Hono's Kafka telemetry/event topics into a twin command the way a Ditto Hono
 * connection source with the default {@code Ditto} payload mapping does:
 * <ol>
 *   <li>records whose content type is one of the Hono notifications on the Ditto mapper's
 *       content-type blocklist are ignored, as are records whose {@code ttl} after
 *       {@code creation-time} has passed (Ditto's Kafka message expiry);</li>
 *   <li>the payload, decoded with the content type's charset (UTF-8 by default), must be a Ditto
 *       Protocol JSON message — whatever the content type says, as the Ditto mapper does not look at
 *       it ({@code application/vnd.eclipse.ditto+json} and {@code application/json} are what devices send);</li>
 *   <li>Ditto's protocol adapter turns it into a signal, which must be a twin {@link ThingCommand};</li>
 *   <li>the source enforcement {@code {"input":"{{ header:device_id }}","filters":["{{ entity:id }}"]}}:
 *       the command's thing ID must equal the record's {@code device_id};</li>
 *   <li>the command runs with the connection's authorization context; headers of the message that
 *       Ditto never reads from outside (e.g. {@code ditto-auth-context}, {@code ditto-originator})
 *       are dropped, so a device cannot pose as another subject.</li>
 * </ol>
 * What devices send — a merge or modify of their own features — takes {@link DeviceCommandShortcut}, which
 * builds the same command as steps 3 to 5 without the adapter's repeated parsing and header building; every
 * other message, and every one the shortcut is not sure of, takes the adapter path.
 * Thread-safe (the shortcut keeps bounded caches of what devices repeat).
 */
public final class HonoRecordMapper {

    /** The content types Ditto's {@code Ditto} mapper ignores by default (Hono's notifications). */
    public static final Set<String> IGNORED_CONTENT_TYPES = Set.of(
            "application/vnd.eclipse-hono-empty-notification",
            "application/vnd.eclipse-hono-device-provisioning-notification",
            "application/vnd.eclipse-hono-dc-notification+json",
            HonoKafkaHeaders.CONTENT_TYPE_DELIVERY_FAILURE_NOTIFICATION);

    private final AuthorizationContext authorizationContext;
    private final Clock clock;
    private final DeviceCommandShortcut deviceCommandShortcut;

    /**
     * @param authorizationContext the connection source's authorization context
     * @param clock                the clock message expiry is checked against
     */
    public HonoRecordMapper(AuthorizationContext authorizationContext, Clock clock) {
        this.authorizationContext = Objects.requireNonNull(authorizationContext, "authorizationContext");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deviceCommandShortcut = new DeviceCommandShortcut(authorizationContext);
    }

    /** Maps one record of a {@code hono.telemetry.<tenant>} or {@code hono.event.<tenant>} topic. */
    public RecordMapping map(ConsumerRecord<String, byte[]> record) {
        IngestHeaders headers = IngestHeaders.of(record.headers());
        Optional<String> deviceId = headers.deviceId().filter(id -> !id.isEmpty());
        RecordOrigin origin = new RecordOrigin(tenantOf(record.topic()), deviceId.orElse(null), record.topic(),
                record.partition(), record.offset());
        Optional<String> contentType = headers.contentType();
        String mediaType = contentType.map(HonoRecordMapper::mediaTypeOf).orElse("");
        if (IGNORED_CONTENT_TYPES.contains(mediaType)) {
            return new RecordMapping.NotApplied(origin, IngestRefusal.HONO_NOTIFICATION,
                    "content type " + mediaType + " is a Hono notification");
        }
        if (isExpired(headers)) {
            return new RecordMapping.NotApplied(origin, IngestRefusal.EXPIRED, "the message's ttl has passed");
        }
        if (deviceId.isEmpty()) {
            // the enforcement input {{ header:device_id }} cannot be resolved: Ditto rejects the message
            return new RecordMapping.NotApplied(origin, IngestRefusal.MISSING_DEVICE_ID,
                    "the record has no '" + HonoKafkaHeaders.DEVICE_ID + "' header");
        }
        String text;
        JsonObject json;
        try {
            text = decode(record.value(), contentType.orElse(null));
        } catch (RuntimeException | CharacterCodingException e) {
            return notJson(origin, e);
        }
        // the shortcut takes only JSON texts, so what is not JSON is refused below with the parser's reason
        Optional<ThingCommand<?>> deviceCommand = deviceCommandShortcut.map(text, deviceId.get());
        if (deviceCommand.isPresent()) {
            return new RecordMapping.Apply(origin, deviceCommand.get());
        }
        try {
            json = JsonFactory.newObject(text);
        } catch (RuntimeException e) {
            return notJson(origin, e);
        }
        return mapThroughProtocolAdapter(json, deviceId.get(), origin);
    }

    private static RecordMapping notJson(RecordOrigin origin, Exception e) {
        return new RecordMapping.NotApplied(origin, IngestRefusal.NOT_JSON,
                "the payload is not a JSON object: " + e.getMessage());
    }

    /** The general path: any Ditto Protocol message, through Ditto's protocol adapter. */
    RecordMapping mapThroughProtocolAdapter(JsonObject json, String deviceId, RecordOrigin origin) {
        Signal<?> signal;
        Adaptable adaptable;
        try {
            adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(json);
            signal = DittoSignals.PROTOCOL_ADAPTER.fromAdaptable(adaptable);
        } catch (RuntimeException e) {
            return new RecordMapping.NotApplied(origin, IngestRefusal.NOT_DITTO_PROTOCOL,
                    "the payload is not a Ditto Protocol message: " + e.getMessage());
        }
        if (!(signal instanceof ThingCommand<?> command)
                || adaptable.getTopicPath().getChannel() != TopicPath.Channel.TWIN) {
            return new RecordMapping.NotApplied(origin, IngestRefusal.UNSUPPORTED_SIGNAL,
                    "only twin commands on things are applied, not '" + adaptable.getTopicPath().getPath() + "'");
        }
        String thingId = command.getEntityId().toString();
        if (!thingId.equals(deviceId)) {
            return new RecordMapping.NotApplied(origin, IngestRefusal.DEVICE_MISMATCH,
                    "device '" + deviceId + "' may only address its own twin, not '" + thingId + "'");
        }
        DittoHeaders commandHeaders;
        try {
            commandHeaders = connectionHeaders(command.getDittoHeaders());
        } catch (RuntimeException e) {
            return new RecordMapping.NotApplied(origin, IngestRefusal.NOT_DITTO_PROTOCOL,
                    "the message headers are invalid: " + e.getMessage());
        }
        return new RecordMapping.Apply(origin, (ThingCommand<?>) command.setDittoHeaders(commandHeaders));
    }

    /** The message's headers minus those Ditto does not accept from outside, plus the connection's subjects. */
    private DittoHeaders connectionHeaders(DittoHeaders messageHeaders) {
        DittoHeadersBuilder<?, ?> builder = DittoHeaders.newBuilder();
        for (Map.Entry<String, String> header : messageHeaders.entrySet()) {
            Optional<HeaderDefinition> definition = DittoHeaderDefinition.forKey(header.getKey().toLowerCase(Locale.ROOT));
            if (definition.map(HeaderDefinition::shouldReadFromExternalHeaders).orElse(true)) {
                builder.putHeader(header.getKey(), header.getValue());
            }
        }
        builder.authorizationContext(authorizationContext);
        if (messageHeaders.getCorrelationId().isEmpty()) {
            builder.correlationId(DeviceCommandShortcut.newCorrelationId());
        }
        return builder.build();
    }

    private boolean isExpired(IngestHeaders headers) {
        if (headers.ttl() == null) {
            return false;   // what devices usually send: no ttl, nothing to parse
        }
        Optional<Long> creationTime = HonoKafkaHeaders.longValue(headers.creationTime());
        Optional<Long> ttl = HonoKafkaHeaders.longValue(headers.ttl());
        return creationTime.isPresent() && ttl.isPresent()
                && clock.millis() - creationTime.get() > ttl.get();
    }

    /**
     * The Kafka headers the mapping reads, found in one pass over the record's headers (first occurrence
     * of each, as {@link HonoKafkaHeaders} reads them); the expiry headers are parsed only when there is a
     * {@code ttl}.
     */
    private record IngestHeaders(Optional<String> deviceId, Optional<String> contentType,
                                 Header creationTime, Header ttl) {

        static IngestHeaders of(Headers headers) {
            Header deviceId = null;
            Header contentType = null;
            Header creationTime = null;
            Header ttl = null;
            for (Header header : headers) {
                switch (header.key()) {
                    case HonoKafkaHeaders.DEVICE_ID -> deviceId = deviceId == null ? header : deviceId;
                    case HonoKafkaHeaders.CONTENT_TYPE -> contentType = contentType == null ? header : contentType;
                    case HonoKafkaHeaders.CREATION_TIME -> creationTime = creationTime == null ? header : creationTime;
                    case HonoKafkaHeaders.TTL -> ttl = ttl == null ? header : ttl;
                    default -> {
                        // not read by the mapping
                    }
                }
            }
            return new IngestHeaders(HonoKafkaHeaders.stringValue(deviceId), HonoKafkaHeaders.stringValue(contentType),
                    creationTime, ttl);
        }
    }

    private static String tenantOf(String topic) {
        return HonoTopic.parse(topic, HonoTopic.Type.TELEMETRY)
                .or(() -> HonoTopic.parse(topic, HonoTopic.Type.EVENT))
                .map(HonoTopic::tenantId)
                .orElse(topic);
    }

    private static String mediaTypeOf(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Decodes strictly, so that bytes that are not text in the charset count as "not JSON" rather than garbling. */
    private static String decode(byte[] payload, String contentType) throws CharacterCodingException {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("the payload is empty");
        }
        Charset charset = charsetOf(contentType);
        if (charset == StandardCharsets.UTF_8 && isAscii(payload)) {
            // ASCII is valid UTF-8 with the same characters: nothing for the strict decoder to report
            return new String(payload, StandardCharsets.US_ASCII);
        }
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(payload))
                .toString();
    }

    private static boolean isAscii(byte[] payload) {
        for (byte b : payload) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static Charset charsetOf(String contentType) {
        if (contentType != null && contentType.indexOf(';') >= 0) {
            for (String parameter : contentType.split(";")) {
                String trimmed = parameter.trim();
                if (trimmed.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(trimmed.substring(8).replace("\"", "").trim());
                    } catch (RuntimeException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
