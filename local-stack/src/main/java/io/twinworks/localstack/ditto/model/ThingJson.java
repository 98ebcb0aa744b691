package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A thing's JSON held in parts: its top-level fields and, while {@code features} is an object, each feature on its
 * own. The whole {@link JsonObject} is built the first time somebody asks for it and then kept.
 *
 * <p>Why: ditto-json 2.4 renders every {@link JsonObject} it constructs as text at once (its soft-referenced field
 * map keeps the text as the way back). A device's merge of its readings changes a few small features, yet building
 * the merged thing as one object rendered the whole {@code features} object and the whole thing again — with the
 * analytics' hand-over snapshot in {@code predictions}, 15 KB of text per reading, most of the twin service's CPU
 * under a fleet. Here a merge below {@code /features} rebuilds only the features it names; the whole thing is built
 * for those who read it (a snapshot row every 64 revisions, a {@code GET}, a search).
 *
 * <p>Immutable and thread-safe: the parts never change; two threads that race on the first {@link #whole()} build
 * equal objects and either may be kept.
 */
public final class ThingJson {

    private static final String FEATURES = "features";

    /** Top-level fields in their order; while {@link #features} is not {@code null}, "features" maps to {@code null} here. */
    private final Map<String, Part> topLevel;
    /** The features in their order, or {@code null} when the thing has no {@code features} object. */
    private final Map<String, Part> features;
    private volatile JsonObject whole;

    /**
     * A field with the UTF-8 length of its text ({@code "key":value}), counted when first asked for and then kept: the
     * size check of a change asks, a thing taken apart for a read or a journal replay does not.
     */
    private static final class Part {
        private final JsonField field;
        /** -1 until counted; a race counts twice and writes the same number. */
        private int utf8Bytes = -1;

        private Part(JsonField field) {
            this.field = field;
        }

        static Part of(JsonField field) {
            return new Part(field);
        }

        JsonField field() {
            return field;
        }

        int utf8Bytes() {
            int bytes = utf8Bytes;
            if (bytes < 0) {
                bytes = utf8Length(field.toString());
                utf8Bytes = bytes;
            }
            return bytes;
        }
    }

    private ThingJson(Map<String, Part> topLevel, Map<String, Part> features, JsonObject whole) {
        this.topLevel = topLevel;
        this.features = features;
        this.whole = whole;
    }

    /** The parts of a whole thing (which is kept as this value's whole). */
    public static ThingJson of(JsonObject thing) {
        Objects.requireNonNull(thing, "thing");
        Map<String, Part> top = new LinkedHashMap<>();
        Map<String, Part> featureParts = null;
        for (JsonField field : thing) {
            JsonValue value = field.getValue();
            if (field.getKeyName().equals(FEATURES) && value.isObject() && !value.isNull()) {
                featureParts = new LinkedHashMap<>();
                for (JsonField feature : value.asObject()) {
                    featureParts.put(feature.getKeyName(), Part.of(feature));
                }
                top.put(FEATURES, null);
            } else {
                top.put(field.getKeyName(), Part.of(field));
            }
        }
        return new ThingJson(Collections.unmodifiableMap(top),
                featureParts == null ? null : Collections.unmodifiableMap(featureParts), thing);
    }

    /** The whole thing as one Ditto JSON object (built on first use). */
    public JsonObject whole() {
        JsonObject known = whole;
        if (known == null) {
            JsonObjectBuilder builder = JsonObject.newBuilder();
            topLevel.forEach((key, part) -> builder.set(part == null ? JsonField.newInstance(FEATURES, featuresObject()) : part.field()));
            known = builder.build();
            whole = known;
        }
        return known;
    }

    private JsonObject featuresObject() {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        features.values().forEach(part -> builder.set(part.field()));
        return builder.build();
    }

    /** A top-level field's value ({@code thingId}, {@code policyId}, {@code definition}, ...), without building the whole. */
    public Optional<JsonValue> topLevel(String key) {
        if (!topLevel.containsKey(key)) {
            return Optional.empty();
        }
        Part part = topLevel.get(key);
        return Optional.of(part == null ? featuresObject() : part.field().getValue());
    }

    /** Whether the thing's {@code features} is an object held feature by feature (what {@link #feature} and {@link #withFeatures} need). */
    public boolean hasFeatureParts() {
        return features != null;
    }

    /** A feature's value, or empty when there is no such feature (or no features object). */
    public Optional<JsonValue> feature(String featureId) {
        Part part = features == null ? null : features.get(featureId);
        return part == null ? Optional.empty() : Optional.of(part.field().getValue());
    }

    /** The IDs of the features in their order (none without a features object). */
    public List<String> featureIds() {
        return features == null ? List.of() : List.copyOf(features.keySet());
    }

    /**
     * This thing with the {@code changed} features first in their order (a value replaces the feature of that ID,
     * {@code null} removes it), then the other features in their order, and {@code features} as the first
     * top-level field: the order Ditto's merge patch gives a thing merged at or below {@code /features}.
     *
     * @param changed the changed features by ID, in the order the merge names them (a map that allows null values)
     * @throws IllegalStateException when the thing has no features object
     */
    public ThingJson withFeatures(Map<String, JsonValue> changed) {
        if (features == null) {
            throw new IllegalStateException("the thing has no features object");
        }
        Map<String, Part> featureParts = new LinkedHashMap<>();
        changed.forEach((id, value) -> {
            if (value != null) {
                featureParts.put(id, Part.of(JsonField.newInstance(JsonKey.of(id), value)));
            }
        });
        features.forEach((id, part) -> {
            if (!changed.containsKey(id)) {
                featureParts.put(id, part);
            }
        });
        Map<String, Part> top = new LinkedHashMap<>();
        top.put(FEATURES, null);
        topLevel.forEach(top::putIfAbsent);
        return new ThingJson(Collections.unmodifiableMap(top), Collections.unmodifiableMap(featureParts), null);
    }

    /** The length of the whole thing's text in UTF-8, from the parts' lengths (what the size limit checks). */
    public long utf8Bytes() {
        long bytes = 2 + Math.max(0, topLevel.size() - 1);
        for (Part part : topLevel.values()) {
            bytes += part == null ? featuresFieldBytes() : part.utf8Bytes();
        }
        return bytes;
    }

    /** {@code "features":{...}}: the key, colon and braces, the features and the commas between them. */
    private long featuresFieldBytes() {
        // the quoted key, the colon, the braces and a comma between two features
        long bytes = FEATURES.length() + 2 + 1 + 2 + Math.max(0, features.size() - 1);
        for (Part part : features.values()) {
            bytes += part.utf8Bytes();
        }
        return bytes;
    }

    static int utf8Length(String text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                // a lone surrogate is encoded as '?' by String.getBytes(UTF_8): one byte
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes;
    }

    /** Equal when the whole things are equal (builds both). */
    @Override
    public boolean equals(Object other) {
        return other instanceof ThingJson that && whole().equals(that.whole());
    }

    @Override
    public int hashCode() {
        return whole().hashCode();
    }

    @Override
    public String toString() {
        return whole().toString();
    }
}
