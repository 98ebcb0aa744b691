package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Objects;

/**
 * Builds the initial JSON of a thing from its Thing Model, as Ditto's WoT integration does on
 * creation: {@code definition}, the attributes (given values, else model defaults, else a neutral
 * value for required ones) and one feature per submodel with its {@code definition} and the
 * defaults of its properties. Optional properties without a default are left out, so a sensor
 * feature starts empty instead of with a made-up reading.
 */
public final class ThingSkeleton {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ThingModelCatalog catalog;

    public ThingSkeleton(ThingModelCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * The skeleton of a thing of the given model.
     *
     * @param model      the thing-level model
     * @param attributes attribute values that override the model's defaults
     * @return {@code {definition, attributes, features}} (no thingId / policyId)
     * @throws IllegalArgumentException when a submodel is not in the catalog
     */
    public ObjectNode skeleton(ThingModel model, Map<String, JsonNode> attributes) {
        ObjectNode thing = JSON.objectNode();
        thing.put("definition", model.id());
        ObjectNode attributesJson = defaults(model);
        attributes.forEach((name, value) -> attributesJson.set(name, value.deepCopy()));
        thing.set("attributes", attributesJson);
        ObjectNode features = thing.putObject("features");
        for (ThingModel.Submodel submodel : model.submodels()) {
            ThingModel featureModel = catalog.resolve(submodel.href()).orElseThrow(() -> new IllegalArgumentException(
                    model.fileName() + ": submodel " + submodel.href() + " is not in the catalog"));
            ObjectNode feature = features.putObject(submodel.instanceName());
            feature.putArray("definition").add(submodel.href());
            feature.set("properties", defaults(featureModel));
        }
        return thing;
    }

    /** The default values of a model's properties: declared defaults, and neutral values for required ones. */
    private static ObjectNode defaults(ThingModel model) {
        ObjectNode values = JSON.objectNode();
        model.properties().forEach((name, schema) -> {
            if (schema.has("default")) {
                values.set(name, schema.get("default").deepCopy());
            } else if (!model.optionalProperties().contains(name)) {
                values.set(name, neutral(schema));
            }
        });
        return values;
    }

    /** A value the schema accepts without inventing data: const, first enum value, the minimum, empty. */
    static JsonNode neutral(JsonNode schema) {
        if (schema.has("const")) {
            return schema.get("const").deepCopy();
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0).deepCopy();
        }
        return switch (schema.path("type").asText()) {
            case "boolean" -> JSON.booleanNode(false);
            case "integer" -> JSON.numberNode(schema.path("minimum").asLong(0));
            case "number" -> JSON.numberNode(schema.path("minimum").asDouble(0.0));
            case "string" -> JSON.textNode("");
            case "array" -> JSON.arrayNode();
            case "object" -> {
                ObjectNode object = JSON.objectNode();
                for (JsonNode required : schema.path("required")) {
                    object.set(required.asText(), neutral(schema.path("properties").path(required.asText())));
                }
                yield object;
            }
            default -> JSON.nullNode();
        };
    }
}
