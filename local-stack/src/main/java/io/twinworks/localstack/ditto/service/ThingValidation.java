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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Checks a thing about to be stored: Ditto's model (parsing it is the check), the size limit and, when it
 * names a Thing Model and WoT validation is switched on, the model (Ditto 3.6+).
 */
final class ThingValidation {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final JsonKey DEFINITION = JsonKey.of("definition");

    private final int maxThingBytes;
    private final ThingPayloadValidator wotValidator;

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
     * <p>Ditto's model check (building the model is the check): a change below {@code /features/<id>} that
     * leaves that feature a JSON object is checked for that feature only, as Ditto's builders read it
     * ({@link #checkFeature}) — the rest of the thing did not change and passed the check when it was
     * stored — and the whole model is built only when somebody asks for it; every other change builds the
     * whole model now.
     *
     * <p>A change below {@code /features/<id>} is WoT-validated for that feature only, as Ditto 3.8
     * validates a merge (the changed part): nothing else of the thing changed, so the rest is as valid as
     * it was when it was stored. Every other change (the thing, its attributes, its definition, several
     * features at once) validates the whole thing.
     *
     * @param before      the thing before the change ({@code null} for a new thing)
     * @param changedPath where the command changed the thing (empty: the whole thing, or a new thing)
     * @throws org.eclipse.ditto.base.model.exceptions.DittoRuntimeException when Ditto's model, the size limit
     *         or the Thing Model refuses it
     */
    ThingModelOnDemand validate(StoredThing before, StoredThing candidate, DittoHeaders headers,
                                JsonPointer changedPath) {
        Optional<String> changedFeature = ThingResources.featureOf(changedPath);
        Optional<JsonValue> feature = changedFeature.flatMap(id ->
                candidate.json().getValue(ThingResources.FEATURES.addLeaf(JsonKey.of(id))));
        ThingModelOnDemand thing;
        if (before != null && feature.isPresent() && feature.get().isObject()) {
            checkFeature(changedFeature.get(), feature.get().asObject(), changedPath);
            thing = ThingModelOnDemand.of(candidate);
        } else {
            // a removed or non-object feature, or any other change: the whole thing decides (and names the error as Ditto does)
            thing = ThingModelOnDemand.built(candidate, candidate.toThing());
        }
        String text = candidate.json().toString();
        long size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxThingBytes) {
            throw ThingTooLargeException.newBuilder(size, maxThingBytes).dittoHeaders(headers).build();
        }
        Optional<String> definition = wotValidator == null ? Optional.empty()
                : candidate.json().getValue(DEFINITION).filter(JsonValue::isString).map(JsonValue::asString);
        if (definition.isPresent()) {
            List<Violation> violations = changedFeature.isPresent()
                    ? wotValidator.validateFeature(definition.get(), changedFeature.get(),
                    feature.map(JacksonTrees::of).orElse(MissingNode.getInstance()))
                    : wotValidator.validate(jackson(text));
            if (!violations.isEmpty()) {
                throw WotPayloadValidationException.of(violations, headers);
            }
        }
        return thing;
    }

    /**
     * Ditto's check of a changed feature, as its feature builder reads it from JSON: a change below
     * {@code properties} or {@code desiredProperties} changed only that part, so only that part is read
     * (with the same field definition and factory the builder uses; the definition's identifiers, parsed
     * with regular expressions, were checked when they were stored); any other change reads the whole feature.
     */
    private static void checkFeature(String featureId, JsonObject feature, JsonPointer changedPath) {
        String part = changedPath.get(2).map(JsonKey::toString).orElse("");
        if (part.equals("properties")) {
            feature.getValue(Feature.JsonFields.PROPERTIES).ifPresent(ThingsModelFactory::newFeatureProperties);
        } else if (part.equals("desiredProperties")) {
            feature.getValue(Feature.JsonFields.DESIRED_PROPERTIES).ifPresent(ThingsModelFactory::newFeatureProperties);
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
