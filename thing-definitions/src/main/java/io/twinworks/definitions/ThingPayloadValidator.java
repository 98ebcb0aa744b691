package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a thing's JSON against the Thing Model its {@code definition} names, with the rules of
 * Ditto's WoT validation (all enabled, as Ditto 3.6+ defaults): modelled attributes and feature
 * (desired) properties must match their schemas, required ones must be present, nothing
 * non-modelled may appear, and every submodel must be present as a feature. A thing without a
 * {@code definition}, or naming a model this catalog does not know, is not checked ({@link #modelOf}).
 *
 * <p>{@link #validateFeature} checks one feature only, for a change that touched nothing else (as
 * Ditto 3.8 validates a merge: the changed part, not the whole thing again).
 *
 * <p>Thread-safe. What a model's rules need (its property affordances, optional properties and
 * submodels) is read from the model once and kept, not per validated thing.
 */
public final class ThingPayloadValidator {

    private final ThingModelResolver models;
    private final PropertySchemas schemas = new PropertySchemas();
    private final Map<String, ModelRules> rules = new ConcurrentHashMap<>();

    /**
     * @param models resolves definitions and submodel links: the shipped catalog, or {@link HttpThingModelResolver}
     *               to download models from their URLs as Ditto does (then {@link #validate} may block on the network)
     */
    public ThingPayloadValidator(ThingModelResolver models) {
        this.models = Objects.requireNonNull(models, "models");
    }

    /** The model the thing's {@code definition} names, when the catalog knows it. */
    public Optional<ThingModel> modelOf(JsonNode thing) {
        JsonNode definition = thing.path("definition");
        return definition.isTextual() ? models.resolve(definition.asText()) : Optional.empty();
    }

    /** Every violation of the thing against its model; empty when valid or not modelled. */
    public List<Violation> validate(JsonNode thing) {
        Optional<ThingModel> model = modelOf(thing);
        if (model.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>();
        checkProperties(model.get(), thing.path("attributes"), Place.ATTRIBUTES, true, violations);
        checkFeatures(model.get(), thing.path("features"), violations);
        return List.copyOf(violations);
    }

    /**
     * The violations of one feature of a thing, checked as {@link #validate} checks it (modelled,
     * present, definition, properties and desired properties); for a change that touched only this
     * feature, so the rest of the thing is as valid as it was. Empty when the definition names no
     * model this catalog knows.
     *
     * @param thingDefinition the thing's {@code definition}
     * @param featureId       the changed feature's ID
     * @param feature         the feature's JSON after the change, or a missing node when it was removed
     */
    public List<Violation> validateFeature(String thingDefinition, String featureId, JsonNode feature) {
        Optional<ThingModel> model = models.resolve(thingDefinition);
        if (model.isEmpty()) {
            return List.of();
        }
        ModelRules modelRules = rulesOf(model.get());
        List<Violation> violations = new ArrayList<>();
        ThingModel.Submodel submodel = modelRules.submodels().get(featureId);
        if (submodel == null) {
            if (!feature.isMissingNode()) {
                violations.add(nonModeledFeature(model.get(), modelRules, featureId));
            }
        } else {
            checkFeature(model.get(), submodel, feature, violations);
        }
        return List.copyOf(violations);
    }

    private void checkFeatures(ThingModel model, JsonNode features, List<Violation> violations) {
        ModelRules modelRules = rulesOf(model);
        for (Iterator<String> it = features.fieldNames(); it.hasNext(); ) {
            String featureId = it.next();
            if (!modelRules.submodels().containsKey(featureId)) {
                violations.add(nonModeledFeature(model, modelRules, featureId));
            }
        }
        for (ThingModel.Submodel submodel : modelRules.submodels().values()) {
            checkFeature(model, submodel, features.path(submodel.instanceName()), violations);
        }
    }

    private static Violation nonModeledFeature(ThingModel model, ModelRules modelRules, String featureId) {
        return new Violation("/features/" + featureId, "non-modeled",
                "Feature <" + featureId + "> is not modeled in " + model.fileName() + " (modeled: "
                        + modelRules.submodels().keySet() + ")");
    }

    private void checkFeature(ThingModel model, ThingModel.Submodel submodel, JsonNode feature,
                              List<Violation> violations) {
        String featureId = submodel.instanceName();
        if (feature.isMissingNode()) {
            violations.add(new Violation("/features/" + featureId, "presence", "Feature <" + featureId + "> of model "
                    + model.fileName() + " is missing"));
            return;
        }
        JsonNode definition = feature.path("definition");
        if (definition.isArray() && !definition.isEmpty() && !containsText(definition, submodel.href())) {
            violations.add(new Violation("/features/" + featureId + "/definition", "definition",
                    "Feature <" + featureId + ">'s definition must name its submodel " + submodel.href()));
        }
        Optional<ThingModel> featureModel = models.resolve(submodel.href());
        if (featureModel.isEmpty()) {
            return;
        }
        checkProperties(featureModel.get(), feature.path("properties"), new Place(featureId, "properties", "property"),
                true, violations);
        checkProperties(featureModel.get(), feature.path("desiredProperties"),
                new Place(featureId, "desiredProperties", "desired property"), false, violations);
    }

    /** The model's rules, read from it once (again only if the catalog hands out another model under the same id). */
    private ModelRules rulesOf(ThingModel model) {
        ModelRules cached = rules.get(model.id());
        if (cached != null && cached.model() == model) {
            return cached;
        }
        Map<String, ThingModel.Submodel> submodels = new LinkedHashMap<>();
        model.submodels().forEach(submodel -> submodels.put(submodel.instanceName(), submodel));
        Map<String, String> schemaKeys = new LinkedHashMap<>();
        model.properties().keySet().forEach(name -> schemaKeys.put(name, model.id() + "#/properties/" + name));
        ModelRules read = new ModelRules(model, model.properties(), model.optionalProperties(),
                Collections.unmodifiableMap(submodels), Collections.unmodifiableMap(schemaKeys));
        rules.put(model.id(), read);
        return read;
    }

    /**
     * What validation needs from one model, read once.
     *
     * @param schemaKeys per property, the key its compiled schema is cached under in {@link PropertySchemas} (made
     *                   once: a key concatenated per checked value cost a string and its hash per value)
     */
    private record ModelRules(ThingModel model, Map<String, JsonNode> properties, Set<String> optionalProperties,
                              Map<String, ThingModel.Submodel> submodels, Map<String, String> schemaKeys) {
    }

    /**
     * Where checked values lie and how violations name them, put into words only for a violation: a valid reading
     * costs no path or label text per property.
     *
     * @param featureId the feature's ID, or {@code null} for the thing's attributes
     * @param part      the JSON field holding the values ({@code attributes}, {@code properties}, ...)
     * @param what      how a message names one value ({@code attribute}, {@code desired property}, ...)
     */
    private record Place(String featureId, String part, String what) {

        static final Place ATTRIBUTES = new Place(null, "attributes", "attribute");

        /** {@code /attributes} or {@code /features/<id>/<part>}. */
        String basePath() {
            return featureId == null ? "/" + part : "/features/" + featureId + "/" + part;
        }

        /** {@code The Thing's attribute} or {@code The Feature <id>'s <what>}. */
        String label() {
            return featureId == null ? "The Thing's " + what : "The Feature <" + featureId + ">'s " + what;
        }
    }

    private void checkProperties(ThingModel model, JsonNode values, Place place, boolean requireNonOptional,
                                 List<Violation> violations) {
        ModelRules modelRules = rulesOf(model);
        Map<String, JsonNode> modeled = modelRules.properties();
        if (!values.isMissingNode() && !values.isObject()) {
            violations.add(new Violation(place.basePath(), "type", place.basePath() + " must be a JSON object"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> value = it.next();
            String name = value.getKey();
            JsonNode dataSchema = modeled.get(name);
            if (dataSchema == null) {
                violations.add(new Violation(place.basePath() + "/" + name, "non-modeled",
                        place.label() + " <" + name + "> is not modeled in " + model.fileName()));
            } else {
                String schemaKey = modelRules.schemaKeys().get(name);
                if (!schemas.passesDirectly(schemaKey, dataSchema, value.getValue())) {
                    violations.addAll(schemas.check(schemaKey, dataSchema, value.getValue(),
                            place.basePath() + "/" + name, place.label() + " <" + name + ">"));
                }
            }
        }
        if (requireNonOptional) {
            for (String name : modeled.keySet()) {
                if (!modelRules.optionalProperties().contains(name) && values.path(name).isMissingNode()) {
                    violations.add(new Violation(place.basePath() + "/" + name, "required",
                            place.label() + " <" + name + "> is non optional and must be provided"));
                }
            }
        }
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode element : array) {
            if (text.equals(element.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Ditto's one-line description of the violations (the first one, with a count of the rest). */
    public static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            return "valid";
        }
        Violation first = violations.get(0);
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more, see validationDetails)" : "";
        return first.message() + " [rule: " + first.rule() + ", path: " + first.path() + "]" + more;
    }
}
