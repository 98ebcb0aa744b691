package io.twinworks.adapters.ditto;

import io.twinworks.adapters.model.Reading;
import io.twinworks.core.ditto.FeaturesMerge;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns readings into Ditto Protocol {@code merge} commands on {@code /features} ({@link FeaturesMerge}),
 * the payload Ditto's Hono connection applies with its default Ditto mapping. Every feature written carries the
 * device's sequence number as property {@value #SEQ_PROPERTY}, so consumers can drop duplicates
 * (the outbox delivers at least once).
 *
 * <p>Hono refuses payloads over its size limit (2048 bytes by default in the local stack). A reading
 * whose merge would exceed the limit is split into several merges, one group of features each;
 * a single feature that alone exceeds it is refused with {@link PayloadTooLargeException}.
 */
public final class DittoMergeEncoder {

    /** The property carrying the per-device sequence number in every written feature. */
    public static final String SEQ_PROPERTY = "seq";
    /** A sequence number of maximal width, to size payloads before the real number is assigned. */
    private static final long WIDEST_SEQ = Long.MIN_VALUE;

    private final int maxPayloadBytes;

    /** @param maxPayloadBytes the largest payload Hono accepts */
    public DittoMergeEncoder(int maxPayloadBytes) {
        if (maxPayloadBytes < 128) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 128, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Splits a reading into parts whose merges fit the payload limit; usually one part, the reading
     * itself.
     *
     * @throws PayloadTooLargeException when one feature alone does not fit
     */
    public List<Reading> split(Reading reading) {
        if (size(reading) <= maxPayloadBytes) {
            return List.of(reading);
        }
        List<Reading> parts = new ArrayList<>();
        Map<String, Map<String, Object>> group = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> feature : reading.features().entrySet()) {
            Reading single = reading.withFeatures(Map.of(feature.getKey(), feature.getValue()));
            int singleSize = size(single);
            if (singleSize > maxPayloadBytes) {
                throw new PayloadTooLargeException("feature '" + feature.getKey() + "' of " + reading.thingId()
                        + " alone makes a " + singleSize + "-byte merge, over Hono's limit of " + maxPayloadBytes
                        + " bytes");
            }
            Map<String, Map<String, Object>> candidate = new LinkedHashMap<>(group);
            candidate.put(feature.getKey(), feature.getValue());
            if (!group.isEmpty() && size(reading.withFeatures(candidate)) > maxPayloadBytes) {
                parts.add(reading.withFeatures(group));
                group = new LinkedHashMap<>();
            }
            group.put(feature.getKey(), feature.getValue());
        }
        parts.add(reading.withFeatures(group));
        return List.copyOf(parts);
    }

    /** The merge command for a reading (or part) with its sequence number, as UTF-8 JSON. */
    public byte[] encode(Reading reading, long seq) {
        return command(reading, seq).encodeUtf8();
    }

    /** The merge command as JSON. */
    public static JsonObject merge(Reading reading, long seq) {
        return command(reading, seq).toJson();
    }

    private static FeaturesMerge command(Reading reading, long seq) {
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        reading.features().forEach((feature, properties) -> {
            Map<String, Object> values = new LinkedHashMap<>(properties);
            values.put(SEQ_PROPERTY, seq);
            features.put(feature, values);
        });
        return new FeaturesMerge(reading.thingId(), features);
    }

    private int size(Reading reading) {
        return encode(reading, WIDEST_SEQ).length;
    }

    /** The payload limit this encoder splits at. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }
}
