package io.twinworks.adapters.codec;

import java.util.Map;

/**
 * Decodes one text line from a device into feature properties ({@code feature → property → value}).
 * Implementations are immutable and thread-safe.
 */
public interface LineCodec {

    /**
     * @param line the line without its terminator
     * @return the decoded values, never empty
     * @throws FrameException when the line does not match the codec's format
     */
    Map<String, Map<String, Object>> decode(String line) throws FrameException;

    /** Adds a value to the nested map. */
    static void put(Map<String, Map<String, Object>> features, FieldTarget target, Object value) {
        features.computeIfAbsent(target.feature(), f -> new java.util.LinkedHashMap<>()).put(target.property(), value);
    }
}
