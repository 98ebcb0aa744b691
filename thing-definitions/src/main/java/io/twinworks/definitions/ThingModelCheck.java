package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a Thing Model is usable before anything relies on it: its structure against the
 * TM 1.1 subset schema ({@code thing-models/tm-schema.json}), and the rules JSON Schema cannot
 * express — the file is named {@code <name>-<version>.tm.jsonld} after its id and version, every
 * number has a unit and a range, {@code tm:optional} names existing affordances, every submodel
 * resolves in the catalog under a unique instance name, and declared defaults satisfy their schema.
 */
public final class ThingModelCheck {

    private final ThingModelCatalog catalog;
    private final JsonSchema structure;
    private final PropertySchemas schemas = new PropertySchemas();

    public ThingModelCheck(ThingModelCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ThingModelCatalog.RESOURCE_DIR + "tm-schema.json")) {
            if (in == null) {
                throw new IllegalStateException("tm-schema.json is missing from the classpath");
            }
            JsonNode schema = new ObjectMapper().readTree(in);
            structure = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema,
                    SchemaValidatorsConfig.builder().locale(Locale.ENGLISH).formatAssertionsEnabled(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every problem of the model, each naming where it is; empty when the model is fine. */
    public List<String> problems(ThingModel model) {
        List<String> problems = new ArrayList<>();
        JsonNode json = model.json();
        for (ValidationMessage message : structure.validate(json)) {
            problems.add(model.fileName() + ": " + message.getMessage());
        }
        if (!model.id().equals(ThingModelCatalog.BASE_URL + model.fileName())) {
            problems.add(model.fileName() + ": id " + model.id() + " must be " + ThingModelCatalog.BASE_URL + model.fileName());
        }
        if (!model.fileName().equals(model.name() + "-" + model.version() + ".tm.jsonld")) {
            problems.add(model.fileName() + ": file name must be <name>-<version.model>.tm.jsonld (version " + model.version() + ")");
        }
        model.properties().forEach((name, schema) -> checkDataSchema(model, "/properties/" + name, schema, problems));
        model.actions().forEach((name, action) -> {
            checkDataSchema(model, "/actions/" + name + "/input", action.path("input"), problems);
            checkDataSchema(model, "/actions/" + name + "/output", action.path("output"), problems);
        });
        model.events().forEach((name, event) -> checkDataSchema(model, "/events/" + name + "/data", event.path("data"), problems));
        for (JsonNode optional : json.path("tm:optional")) {
            if (json.at(optional.asText()).isMissingNode()) {
                problems.add(model.fileName() + ": tm:optional names " + optional.asText() + ", which does not exist");
            }
        }
        Set<String> instanceNames = new HashSet<>();
        for (ThingModel.Submodel submodel : model.submodels()) {
            if (!instanceNames.add(submodel.instanceName())) {
                problems.add(model.fileName() + ": submodel instanceName " + submodel.instanceName() + " is used twice");
            }
            if (catalog.resolve(submodel.href()).filter(found -> found.id().equals(submodel.href())).isEmpty()) {
                problems.add(model.fileName() + ": submodel " + submodel.href() + " is not in the catalog");
            }
        }
        return problems;
    }

    private void checkDataSchema(ThingModel model, String where, JsonNode schema, List<String> problems) {
        if (schema.isMissingNode()) {
            return;
        }
        String type = schema.path("type").asText("");
        if (type.equals("number") || type.equals("integer")) {
            if (!schema.path("unit").isTextual()) {
                problems.add(model.fileName() + where + ": a " + type + " needs a unit");
            }
            if (!schema.path("minimum").isNumber() || !schema.path("maximum").isNumber()) {
                problems.add(model.fileName() + where + ": a " + type + " needs a minimum and a maximum");
            } else if (schema.path("minimum").asDouble() >= schema.path("maximum").asDouble()) {
                problems.add(model.fileName() + where + ": minimum must be below maximum");
            }
        }
        if (schema.has("default")) {
            for (Violation violation : schemas.check(model.id() + where + "#default", schema, schema.get("default"), where, "default")) {
                problems.add(model.fileName() + where + ": " + violation.message());
            }
        }
        for (Map.Entry<String, JsonNode> property : iterable(schema.path("properties"))) {
            checkDataSchema(model, where + "/properties/" + property.getKey(), property.getValue(), problems);
        }
        if (schema.has("items")) {
            checkDataSchema(model, where + "/items", schema.get("items"), problems);
        }
        for (JsonNode alternative : schema.path("oneOf")) {
            checkDataSchema(model, where + "/oneOf", alternative, problems);
        }
        for (JsonNode required : schema.path("required")) {
            if (!schema.path("properties").has(required.asText())) {
                problems.add(model.fileName() + where + ": required names " + required.asText() + ", which is not a property");
            }
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
