package io.twinworks.localstack.ditto.ws;

import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.HeaderDefinition;
import org.eclipse.ditto.base.model.headers.contenttype.ContentType;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.MessageHeaderDefinition;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Ditto Protocol text frame of a twin event as subscribers get it, written straight from the event: the same
 * characters as Ditto's adapter ({@code DittoProtocolAdapter.toAdaptable}, with {@link EventProjection}'s outgoing
 * headers) followed by Ditto's JSON serialization of the message, without building either. Building the message
 * and serializing it was most of the {@code /ws/2} fan-out's CPU per event (JFR, {@code bench ingest}).
 *
 * <p>What Ditto does, step by step, and how it shows in the text:
 * <ul>
 *   <li>topic {@code <namespace>/<name>/things/twin/events/<action>}; the action is {@code merged} for
 *       {@link ThingMerged}, else the first of created/modified/deleted/merged the event's class name contains
 *       ({@code ThingEventSignalMapper});</li>
 *   <li>headers in the event's order, without the internal ones (the header translator) and without
 *       {@code response-required} and built-in acknowledgement requests ({@link EventProjection}), then
 *       {@code "response-required":false}, then the content type the adapter sets (its builder moves the header
 *       to the end): {@code application/merge-patch+json} for merges, {@code application/json} for events with a
 *       value; an event without value keeps its headers' content type in place. Header values are JSON strings
 *       except where the header's definition serializes to another JSON type (then parsed and written as Ditto's
 *       JSON does);</li>
 *   <li>{@code path} (the event's resource path), {@code value} (the merge patch, or the event's entity in the
 *       headers' schema version), {@code extra}, {@code revision}, {@code timestamp}, in {@code ImmutablePayload}'s
 *       order; strings escaped as {@code ditto-json} does (control characters as {@code \\uXXXX} with upper-case
 *       hex, except the five short forms; nothing else escaped).</li>
 * </ul>
 * Events this writer does not cover ({@link #write} answers {@code null}) go through the adapter: live-channel
 * headers, custom acknowledgement requests (Ditto rebuilds them as an unordered set), {@code put-metadata}, header
 * names with upper-case, non-ASCII characters or {@code /}.
 */
final class EventFrames {

    private static final String RESPONSE_REQUIRED = DittoHeaderDefinition.RESPONSE_REQUIRED.getKey();
    private static final String REQUESTED_ACKS = DittoHeaderDefinition.REQUESTED_ACKS.getKey();
    private static final String CONTENT_TYPE = DittoHeaderDefinition.CONTENT_TYPE.getKey();
    private static final String PUT_METADATA = DittoHeaderDefinition.PUT_METADATA.getKey();
    private static final String CHANNEL = DittoHeaderDefinition.CHANNEL.getKey();
    private static final String LIVE = TopicPath.Channel.LIVE.getName();
    private static final String MERGE_PATCH = ContentType.APPLICATION_MERGE_PATCH_JSON.getValue();
    private static final String JSON = ContentType.APPLICATION_JSON.getValue();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * How each known header leaves Ditto: dropped (internal), a JSON string, or parsed as the JSON type of its
     * definition. The definitions of {@code DittoProtocolAdapter.getHeaderTranslator()} (Ditto's and message
     * headers); an unknown header is external and a string.
     */
    private static final Map<String, HeaderKind> KNOWN_HEADERS = knownHeaders();

    /** The action of each event class, derived once from its name as Ditto derives it per event. */
    private static final ClassValue<Optional<String>> ACTIONS = new ClassValue<>() {
        @Override
        protected Optional<String> computeValue(Class<?> type) {
            String name = type.getSimpleName().toLowerCase(Locale.ENGLISH);
            for (TopicPath.Action action : new TopicPath.Action[]{TopicPath.Action.CREATED,
                    TopicPath.Action.MODIFIED, TopicPath.Action.DELETED, TopicPath.Action.MERGED}) {
                if (name.contains(action.getName())) {
                    return Optional.of(action.getName());
                }
            }
            return Optional.empty();
        }
    };

    private enum HeaderKind { INTERNAL, STRING, JSON }

    private EventFrames() {
    }

    /**
     * The frame of {@code event} as every subscriber that may read it whole gets it, with {@code extra} fields when
     * non-empty; {@code null} when the event is one this writer leaves to Ditto's adapter (see the class comment).
     */
    static String write(ThingEvent<?> event, JsonObject extra) {
        ThingId thingId = event.getEntityId();
        DittoHeaders headers = event.getDittoHeaders();
        String action;
        JsonValue value;
        String contentType;
        if (event instanceof ThingMerged merged) {
            action = TopicPath.Action.MERGED.getName();
            value = merged.getValue();
            contentType = MERGE_PATCH;
        } else {
            Optional<String> derived = ACTIONS.get(event.getClass());
            if (derived.isEmpty()) {
                return null;
            }
            action = derived.get();
            value = event.getEntity(headers.getSchemaVersion().orElse(event.getLatestSchemaVersion())).orElse(null);
            contentType = value == null ? null : JSON;
        }
        StringBuilder frame = new StringBuilder(256);
        frame.append("{\"topic\":");
        appendString(frame, thingId.getNamespace() + '/' + thingId.getName() + "/things/twin/events/" + action);
        frame.append(",\"headers\":{");
        boolean first = true;
        for (Map.Entry<String, String> header : headers.asCaseSensitiveMap().entrySet()) {
            String key = header.getKey();
            if (!isPlainName(key)) {
                return null;
            }
            if (key.equals(RESPONSE_REQUIRED) || (contentType != null && key.equals(CONTENT_TYPE))) {
                continue;
            }
            if (key.equals(PUT_METADATA) || (key.equals(CHANNEL) && LIVE.equals(header.getValue()))) {
                return null;
            }
            if (key.equals(REQUESTED_ACKS)) {
                if (headers.getAcknowledgementRequests().stream().map(AcknowledgementRequest::getLabel)
                        .allMatch(DittoAcknowledgementLabel::contains)) {
                    continue;
                }
                return null;
            }
            HeaderKind kind = KNOWN_HEADERS.getOrDefault(key, HeaderKind.STRING);
            if (kind != HeaderKind.INTERNAL) {
                first = appendHeader(frame, first, key, header.getValue(), kind);
            }
        }
        first = appendHeader(frame, first, RESPONSE_REQUIRED, "false", HeaderKind.JSON);
        if (contentType != null) {
            appendHeader(frame, first, CONTENT_TYPE, contentType, HeaderKind.STRING);
        }
        frame.append("},\"path\":");
        appendString(frame, pointerText(event.getResourcePath()));
        if (value != null) {
            frame.append(",\"value\":").append(value);
        }
        if (extra != null && !extra.isEmpty()) {
            frame.append(",\"extra\":").append(extra);
        }
        frame.append(",\"revision\":").append(event.getRevision());
        Optional<Instant> timestamp = event.getTimestamp();
        if (timestamp.isPresent()) {
            frame.append(",\"timestamp\":");
            appendString(frame, timestamp.get().toString());
        }
        return frame.append('}').toString();
    }

    private static boolean appendHeader(StringBuilder frame, boolean first, String key, String value,
                                        HeaderKind kind) {
        if (!first) {
            frame.append(',');
        }
        appendString(frame, key);
        frame.append(':');
        if (kind == HeaderKind.JSON) {
            // as AbstractDittoHeaders.toJson: booleans, arrays, objects are parsed and written as JSON; the booleans
            // (response-required on every event) are their own JSON text, so they skip the parser
            frame.append("true".equals(value) || "false".equals(value) ? value : JsonFactory.readFrom(value).toString());
        } else {
            appendString(frame, value);
        }
        return false;
    }

    /**
     * {@code JsonPointer.toString()} without its stream and regular expression per key: {@code /} alone for the
     * empty pointer, else every key after a {@code /} with {@code ~} written as {@code ~0}.
     */
    static String pointerText(JsonPointer pointer) {
        if (pointer.isEmpty()) {
            return "/";
        }
        StringBuilder text = new StringBuilder(64);
        for (JsonKey key : pointer) {
            text.append('/');
            String name = key.toString();
            if (name.indexOf('~') < 0) {
                text.append(name);
            } else {
                text.append(name.replace("~", "~0"));
            }
        }
        return text.toString();
    }

    /**
     * Header names Ditto looks up as they are (no case folding) and its JSON builder takes as one key (no
     * {@code /} that could read as a pointer).
     */
    private static boolean isPlainName(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 0x7F || (c >= 'A' && c <= 'Z') || c == '/') {
                return false;
            }
        }
        return !key.isEmpty();
    }

    /** A JSON string as {@code ditto-json} writes it ({@code JavaStringToEscapedJsonString}). */
    static void appendString(StringBuilder out, String text) {
        out.append('"');
        int clean = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, clean, i);
            clean = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(text, clean, text.length()).append('"');
    }

    private static Map<String, HeaderKind> knownHeaders() {
        Map<String, HeaderKind> kinds = new HashMap<>();
        // the translator lets Ditto's definition win over the message headers' for a key both define (timeout)
        for (HeaderDefinition[] definitions : new HeaderDefinition[][]{MessageHeaderDefinition.values(),
                DittoHeaderDefinition.values()}) {
            for (HeaderDefinition definition : definitions) {
                kinds.put(definition.getKey(), !definition.shouldWriteToExternalHeaders() ? HeaderKind.INTERNAL
                        : HeaderKind.STRING);
            }
        }
        // the JSON type comes from Ditto's definitions alone (AbstractDittoHeaders.toJson)
        for (DittoHeaderDefinition definition : DittoHeaderDefinition.values()) {
            if (kinds.get(definition.getKey()) != HeaderKind.INTERNAL
                    && !CharSequence.class.isAssignableFrom(definition.getSerializationType())) {
                kinds.put(definition.getKey(), HeaderKind.JSON);
            }
        }
        return Map.copyOf(kinds);
    }
}
