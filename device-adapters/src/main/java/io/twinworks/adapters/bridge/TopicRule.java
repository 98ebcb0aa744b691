package io.twinworks.adapters.bridge;

import io.twinworks.adapters.codec.FieldTarget;
import io.twinworks.adapters.codec.FrameException;
import io.twinworks.adapters.codec.JsonLineCodec;
import org.jspecify.annotations.Nullable;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One plant-broker mapping rule: a topic pattern whose single-level segments may capture names
 * ({@code plant/{line}/{machine}/state}), the thing ID built from them ({@code plant.a:{machine}}),
 * and how the payload becomes feature properties: JSON pointers → targets (with unit conversion by
 * scale/offset), or one target for a payload that is a plain value.
 */
public final class TopicRule {

    private static final Pattern CAPTURE = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final String pattern;
    private final List<String> segments;
    private final String thingIdTemplate;
    /** Exactly one of the two is set: JSON payloads are decoded by pointers, plain ones go to one target. */
    private final @Nullable JsonLineCodec jsonCodec;
    private final @Nullable FieldTarget valueTarget;
    private final int qos;
    private final com.fasterxml.jackson.core.@Nullable JsonPointer messageId;

    /**
     * @param pattern         topic pattern, segments literal or {@code {name}}
     * @param thingIdTemplate thing ID with {@code {name}} placeholders from the pattern
     * @param pointers        JSON pointer → target, or {@code null} when the payload is one plain value
     * @param valueTarget     the target of a plain-value payload, or {@code null}
     * @param qos             subscription QoS (1 recommended: the broker keeps unacknowledged messages)
     */
    public TopicRule(String pattern, String thingIdTemplate, @Nullable Map<String, FieldTarget> pointers,
                     @Nullable FieldTarget valueTarget, int qos) {
        this(pattern, thingIdTemplate, pointers, valueTarget, qos, null);
    }

    /**
     * As {@link #TopicRule(String, String, Map, FieldTarget, int)} with a message identity.
     *
     * @param messageId JSON pointer to a value the device puts in every message and never repeats on a
     *                  topic (a counter, a timestamp); a message whose value was stored already is a
     *                  duplicate (e.g. the device resent it after a broker restart). {@code null}: none
     */
    public TopicRule(String pattern, String thingIdTemplate, @Nullable Map<String, FieldTarget> pointers,
                     @Nullable FieldTarget valueTarget, int qos, @Nullable String messageId) {
        if (pattern == null || pattern.isBlank() || pattern.contains("#") || pattern.contains("+")) {
            throw new IllegalArgumentException("topic pattern '" + pattern + "' must be literal segments and {name} captures");
        }
        this.pattern = pattern;
        this.segments = List.of(pattern.split("/", -1));
        List<String> names = new ArrayList<>();
        for (String segment : segments) {
            Matcher capture = CAPTURE.matcher(segment);
            if (capture.matches()) {
                names.add(capture.group(1));
            } else if (segment.contains("{") || segment.contains("}")) {
                throw new IllegalArgumentException("topic segment '" + segment + "' must be literal or a whole {name}");
            }
        }
        if (thingIdTemplate == null) {
            throw new IllegalArgumentException("thingId template is required");
        }
        Matcher used = CAPTURE.matcher(thingIdTemplate);
        while (used.find()) {
            if (!names.contains(used.group(1))) {
                throw new IllegalArgumentException("thingId template uses {" + used.group(1) + "}, which the topic does not capture");
            }
        }
        if ((pointers == null) == (valueTarget == null)) {
            throw new IllegalArgumentException("a rule needs either pointers (JSON payload) or value (plain payload)");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2");
        }
        this.thingIdTemplate = thingIdTemplate;
        this.jsonCodec = pointers == null ? null : new JsonLineCodec(pointers);
        this.valueTarget = valueTarget;
        this.qos = qos;
        if (messageId != null && pointers == null) {
            throw new IllegalArgumentException("messageId needs a JSON payload (pointers)");
        }
        try {
            this.messageId = messageId == null ? null : com.fasterxml.jackson.core.JsonPointer.compile(messageId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("messageId '" + messageId + "' is not a JSON pointer (e.g. /seq)");
        }
    }

    /**
     * The message identity of a payload ({@code messageId} pointer), or empty when the rule has none or
     * the payload lacks it (such a message is never treated as a duplicate).
     */
    public Optional<String> messageId(byte[] payload) {
        if (messageId == null) {
            return Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode value = MESSAGE_ID_READER.readTree(payload).at(messageId);
            return value.isMissingNode() || value.isNull() || value.isContainerNode()
                    ? Optional.empty() : Optional.of(value.asText());
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MESSAGE_ID_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The MQTT subscription filter ({@code +} for each capture). */
    public String filter() {
        return String.join("/", segments.stream().map(s -> CAPTURE.matcher(s).matches() ? "+" : s).toList());
    }

    /** The subscription QoS. */
    public int qos() {
        return qos;
    }

    /** The pattern as configured. */
    public String pattern() {
        return pattern;
    }

    /** The thing ID for a topic, if the topic matches this rule. */
    public Optional<String> thingId(String topic) {
        String[] parts = topic.split("/", -1);
        if (parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> captured = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            Matcher capture = CAPTURE.matcher(segments.get(i));
            if (capture.matches()) {
                captured.put(capture.group(1), parts[i]);
            } else if (!segments.get(i).equals(parts[i])) {
                return Optional.empty();
            }
        }
        Matcher placeholders = CAPTURE.matcher(thingIdTemplate);
        StringBuilder id = new StringBuilder();
        while (placeholders.find()) {
            placeholders.appendReplacement(id, Matcher.quoteReplacement(captured.get(placeholders.group(1))));
        }
        placeholders.appendTail(id);
        return Optional.of(id.toString());
    }

    /** Decodes a payload into feature properties. */
    public Map<String, Map<String, Object>> decode(byte[] payload) throws FrameException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new FrameException("not_utf8", "payload of " + payload.length + " bytes is not UTF-8 text");
        }
        if (jsonCodec != null) {
            return jsonCodec.decode(text);
        }
        FieldTarget target = java.util.Objects.requireNonNull(valueTarget, "a rule without pointers has a value target");
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        features.put(target.feature(), new LinkedHashMap<>(Map.of(target.property(), target.convert(text))));
        return features;
    }
}
