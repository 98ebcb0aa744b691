package io.twinworks.localstack.ditto.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.Violation;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.ThingModelOnDemand;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.ThingTooLargeException;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a thing about to be stored: Ditto's model (parsing it is the check), the size limit and, when it
 * names a Thing Model and WoT validation is switched on, the model (Ditto 3.6+).
 */
final class ThingValidation {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    /** Top-level and feature keys, looked up in the thing's parts ({@link io.twinworks.localstack.ditto.model.ThingJson}). */
    private static final String DEFINITION = "definition";
    private static final String PROPERTIES = "properties";
    private static final String DESIRED_PROPERTIES = "desiredProperties";
    private static final Set<String> PROPERTY_PARTS = Set.of(PROPERTIES, DESIRED_PROPERTIES);

    private final int maxThingBytes;
    private final ThingPayloadValidator wotValidator;
    private final PropertyKeys propertyKeys = new PropertyKeys();

    /**
     * @param wotValidator validates things against the Thing Model their {@code definition} names, or
     *                     {@code null} when switched off
     */
    ThingValidation(int maxThingBytes, ThingPayloadValidator wotValidator) {
        this.maxThingBytes = maxThingBytes;
        this.wotValidator = wotValidator;
    }

    /**
     * Checks {@code candidate} and returns it as Ditto's model on demand (for the response's entity tag and the
     * published change).
     *
     * <p>Ditto's model check (building the model is the check): a change that leaves each feature it touched a
     * JSON object — a change below {@code /features/<id>}, or a merge at {@code /features} whose patch names
     * features, as devices and Ditto's Hono connection send readings — is checked for those features only, as
     * Ditto's builders read them ({@link #checkFeature}): the rest of the thing did not change and passed the
     * check when it was stored, and the whole model is built only when somebody asks for it. Every other
     * change builds the whole model now.
     *
     * <p>WoT validation likewise covers only the changed features, as Ditto 3.8 validates a merge (the changed
     * part): nothing else of the thing changed, so the rest is as valid as it was when it was stored. Every
     * other change (the thing, its attributes, its definition, a feature removed) validates the whole thing.
     *
     * @param before      the thing before the change ({@code null} for a new thing)
     * @param changedPath where the command changed the thing (empty: the whole thing, or a new thing)
     * @param mergePatch  the merge patch applied at {@code changedPath}, or {@code null} for any other command
     * @throws org.eclipse.ditto.base.model.exceptions.DittoRuntimeException when Ditto's model, the size limit
     *         or the Thing Model refuses it
     */
    ThingModelOnDemand validate(@Nullable StoredThing before, StoredThing candidate, DittoHeaders headers,
                                JsonPointer changedPath, @Nullable JsonValue mergePatch) {
        Map<String, JsonObject> changedFeatures = before == null ? Map.of()
                : changedFeatures(candidate, changedPath, mergePatch);
        ThingModelOnDemand thing;
        if (!changedFeatures.isEmpty()) {
            changedFeatures.forEach((id, feature) -> checkFeature(id, feature, changedParts(id, changedPath, mergePatch)));
            thing = ThingModelOnDemand.of(candidate);
        } else {
            // a removed or non-object feature, or any other change: the whole thing decides (and names the error as Ditto does)
            thing = ThingModelOnDemand.built(candidate, candidate.toThing());
        }
        // from the parts' sizes: the whole thing's text is not built for a change of a few features
        long size = candidate.document().utf8Bytes();
        if (size > maxThingBytes) {
            throw ThingTooLargeException.newBuilder(size, maxThingBytes).dittoHeaders(headers).build();
        }
        Optional<String> definition = wotValidator == null ? Optional.empty()
                : candidate.document().topLevel(DEFINITION).filter(JsonValue::isString).map(JsonValue::asString);
        if (definition.isPresent()) {
            List<Violation> violations = new ArrayList<>();
            Optional<String> featureBelowPath = ThingResources.featureOf(changedPath);
            if (!changedFeatures.isEmpty()) {
                changedFeatures.forEach((id, feature) ->
                        violations.addAll(wotValidator.validateFeature(definition.get(), id, JacksonTrees.of(feature))));
            } else if (featureBelowPath.isPresent()) {
                // the feature was removed or is no object: the feature check says so as the whole-thing check would
                violations.addAll(wotValidator.validateFeature(definition.get(), featureBelowPath.get(),
                        candidate.document().feature(featureBelowPath.get())
                                .map(JacksonTrees::of).orElse(MissingNode.getInstance())));
            } else {
                violations.addAll(wotValidator.validate(jackson(candidate.json().toString())));
            }
            if (!violations.isEmpty()) {
                throw WotPayloadValidationException.of(violations, headers);
            }
        }
        return thing;
    }

    /**
     * The features a change touched, each still a JSON object in {@code candidate}, in the order they were
     * named; empty when the change touched anything else or left a touched feature removed or not an object
     * (the whole thing is checked then).
     */
    private static Map<String, JsonObject> changedFeatures(StoredThing candidate, JsonPointer changedPath,
                                                           @Nullable JsonValue mergePatch) {
        Optional<String> belowPath = ThingResources.featureOf(changedPath);
        List<String> ids;
        if (belowPath.isPresent()) {
            ids = List.of(belowPath.get());
        } else if (mergePatch != null && mergePatch.isObject() && !mergePatch.asObject().isEmpty()
                && changedPath.equals(ThingResources.FEATURES)) {
            ids = mergePatch.asObject().getKeys().stream().map(JsonKey::toString).toList();
        } else {
            return Map.of();
        }
        Map<String, JsonObject> features = new LinkedHashMap<>();
        for (String id : ids) {
            Optional<JsonValue> feature = candidate.document().feature(id);
            if (feature.isEmpty() || !feature.get().isObject()) {
                return Map.of();
            }
            features.put(id, feature.get().asObject());
        }
        return features;
    }

    /**
     * The parts of feature {@code featureId} ({@code properties}, {@code definition}, ...) a change wrote: the part its
     * path names, or the keys a merge patch has for the feature; empty when it wrote the feature as a whole.
     */
    private static Set<String> changedParts(String featureId, JsonPointer changedPath, @Nullable JsonValue mergePatch) {
        // the level count first: Ditto's pointer answers a level beyond its end by catching an IndexOutOfBoundsException
        if (changedPath.getLevelCount() > 2) {
            return Set.of(changedPath.get(2).orElseThrow().toString());
        }
        JsonValue featurePatch = mergePatch == null ? null
                : changedPath.getLevelCount() == 2 ? mergePatch
                : mergePatch.isObject() ? mergePatch.asObject().getValue(JsonKey.of(featureId)).orElse(null) : null;
        if (featurePatch == null || !featurePatch.isObject() || featurePatch.isNull() || featurePatch.asObject().isEmpty()) {
            return Set.of();
        }
        Set<String> parts = new HashSet<>();
        featurePatch.asObject().getKeys().forEach(key -> parts.add(key.toString()));
        return parts;
    }

    /**
     * Ditto's check of a changed feature, as its feature builder reads it from JSON: a change of only its
     * {@code properties} and/or {@code desiredProperties} (below such a path, or a merge patch naming only them — a
     * device's readings) changed only those parts, so only they are read (with the same field definition the builder
     * uses, and {@link PropertyKeys}, its factory's check; the definition's identifiers, parsed with regular
     * expressions, were checked when they were stored); any other change reads the whole feature.
     */
    private void checkFeature(String featureId, JsonObject feature, Set<String> changedParts) {
        if (!changedParts.isEmpty() && PROPERTY_PARTS.containsAll(changedParts)) {
            if (changedParts.contains(PROPERTIES)) {
                feature.getValue(Feature.JsonFields.PROPERTIES).ifPresent(propertyKeys::check);
            }
            if (changedParts.contains(DESIRED_PROPERTIES)) {
                feature.getValue(Feature.JsonFields.DESIRED_PROPERTIES).ifPresent(propertyKeys::check);
            }
        } else {
            ThingsModelFactory.newFeatureBuilder(feature).useId(featureId).build();
        }
    }

    private static JsonNode jackson(String json) {
        try {
            return JACKSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Ditto's own JSON always parses; reaching this is a bug, not bad input
            throw new IllegalStateException("thing JSON does not parse: " + e.getMessage(), e);
        }
    }
}
