package io.twinworks.ditto3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.wot.model.Properties;
import org.eclipse.ditto.wot.model.Property;
import org.eclipse.ditto.wot.model.ThingModel;
import org.eclipse.ditto.wot.model.TmOptionalElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The payload rules Ditto 3.6+ applies by default to a thing whose definition names a Thing Model, on a thing as Ditto
 * 3.8's things model parses it and with the property schemas as Ditto 3.8's WoT model parses them: attributes against
 * the model's properties, one feature per {@code tm:submodel} (none other), feature properties and desired properties
 * against the submodel's properties, non-modelled values forbidden, non-optional properties required. Ditto's own
 * implementation ({@code ditto-wot-validation}) is not published on Maven Central; like it, this validates each
 * value with the property's data schema as JSON Schema draft-07 (networknt).
 */
final class WotPayloadRules38 {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ServedThingModels38 models;
    private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    WotPayloadRules38(ServedThingModels38 models) {
        this.models = models;
    }

    /** Every violation of the thing, each {@code <json pointer>: <rule>}; empty when the thing conforms. */
    List<String> violations(Thing thing) {
        List<String> violations = new ArrayList<>();
        String definition = thing.getDefinition().map(Object::toString).orElse(null);
        ThingModel model = definition == null ? null : models.at(definition).orElse(null);
        if (model == null) {
            violations.add("/definition: names no served Thing Model (" + definition + ")");
            return violations;
        }
        checkProperties(model, thing.getAttributes().map(a -> (JsonObject) a).orElse(JsonObject.empty()), "/attributes",
                true, violations);
        Map<String, String> submodels = new LinkedHashMap<>();
        ServedThingModels38.submodels(model).forEach(submodel -> submodels.put(submodel.instanceName(), submodel.href()));
        Map<String, Feature> features = new LinkedHashMap<>();
        thing.getFeatures().ifPresent(all -> all.forEach(feature -> features.put(feature.getId(), feature)));
        features.keySet().stream().filter(id -> !submodels.containsKey(id))
                .forEach(id -> violations.add("/features/" + id + ": non-modeled feature"));
        submodels.forEach((featureId, href) -> {
            Feature feature = features.get(featureId);
            if (feature == null) {
                violations.add("/features/" + featureId + ": modeled feature missing");
                return;
            }
            String declared = feature.getDefinition().flatMap(d -> d.stream().findFirst()).map(Object::toString).orElse(null);
            if (declared != null && !declared.equals(href)) {
                violations.add("/features/" + featureId + "/definition: " + declared + " is not its submodel " + href);
            }
            ThingModel submodel = models.at(href).orElse(null);
            if (submodel == null) {
                violations.add("/features/" + featureId + ": submodel " + href + " is not served");
                return;
            }
            checkProperties(submodel, feature.getProperties().map(p -> (JsonObject) p).orElse(JsonObject.empty()),
                    "/features/" + featureId + "/properties", true, violations);
            checkProperties(submodel, feature.getDesiredProperties().map(p -> (JsonObject) p).orElse(JsonObject.empty()),
                    "/features/" + featureId + "/desiredProperties", false, violations);
        });
        return violations;
    }

    private void checkProperties(ThingModel model, JsonObject values, String path, boolean requireNonOptional,
                                 List<String> violations) {
        Properties properties = model.getProperties().orElse(Properties.from(List.of()));
        Set<String> optional = model.getTmOptional().map(tmOptional -> tmOptional.stream().map(TmOptionalElement::toString)
                .collect(Collectors.toSet())).orElse(Set.of());
        values.forEach(field -> {
            String name = field.getKeyName();
            Property property = properties.getProperty(name).orElse(null);
            if (property == null) {
                violations.add(path + "/" + name + ": non-modeled");
            } else {
                for (ValidationMessage message : schemaOf(property).validate(jackson(field.getValue()))) {
                    violations.add(path + "/" + name + ": " + message.getMessage());
                }
            }
        });
        if (requireNonOptional) {
            properties.keySet().stream()
                    .filter(name -> !optional.contains("/properties/" + name) && !values.contains(name))
                    .forEach(name -> violations.add(path + "/" + name + ": non-optional property missing"));
        }
    }

    private JsonSchema schemaOf(Property property) {
        return schemas.getSchema(jackson(property.toJson()));
    }

    private static JsonNode jackson(JsonValue value) {
        try {
            return MAPPER.readTree(value.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
