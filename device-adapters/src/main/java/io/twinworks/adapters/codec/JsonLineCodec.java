package io.twinworks.adapters.codec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * JSON documents (one per serial line, or a plant-broker payload): each mapped JSON pointer
 * (RFC 6901, e.g. {@code /sensors/0/temp}) goes to its target. Missing pointers are skipped; a
 * document in which none of them is present, or that is not JSON, is refused.
 */
public final class JsonLineCodec implements LineCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<JsonPointer, FieldTarget> pointers;

    /** @param pointers JSON pointer → target */
    public JsonLineCodec(Map<String, FieldTarget> pointers) {
        Objects.requireNonNull(pointers, "pointers");
        if (pointers.isEmpty()) {
            throw new IllegalArgumentException("at least one JSON pointer must be mapped");
        }
        Map<JsonPointer, FieldTarget> compiled = new LinkedHashMap<>();
        pointers.forEach((pointer, target) -> {
            try {
                compiled.put(JsonPointer.compile(pointer), target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + pointer + "' is not a JSON pointer: " + e.getMessage());
            }
        });
        this.pointers = compiled;
    }

    @Override
    public Map<String, Map<String, Object>> decode(String line) throws FrameException {
        JsonNode document;
        try {
            document = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new FrameException("malformed_json", "not JSON: " + e.getOriginalMessage());
        }
        return decode(document);
    }

    /** Decodes an already parsed document. */
    public Map<String, Map<String, Object>> decode(JsonNode document) throws FrameException {
        if (document == null || document.isMissingNode()) {
            throw new FrameException("malformed_json", "empty document");
        }
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        for (Map.Entry<JsonPointer, FieldTarget> mapping : pointers.entrySet()) {
            JsonNode node = document.at(mapping.getKey());
            if (node.isMissingNode() || node.isNull()) {
                continue;
            }
            FieldTarget target = mapping.getValue();
            Object value;
            if (node.isNumber()) {
                value = target.convert((Object) node.numberValue());
            } else if (node.isBoolean()) {
                value = target.convert((Object) node.booleanValue());
            } else if (node.isTextual()) {
                value = target.convert(node.textValue());
            } else {
                throw new FrameException("bad_value", mapping.getKey() + " is not a scalar");
            }
            LineCodec.put(features, target, value);
        }
        if (features.isEmpty()) {
            throw new FrameException("no_mapped_field", "none of the mapped JSON pointers is present");
        }
        return features;
    }
}
