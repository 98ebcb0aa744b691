package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns WoT data schemas (property affordances, action inputs, event data) into JSON Schemas and
 * checks values against them. A WoT data schema is a JSON Schema subset plus WoT terms
 * ({@code unit}, {@code observable}, {@code title}, ...); only the assertion keywords are carried
 * over, so a WoT term can never be misread as a JSON Schema rule. {@code readOnly} is dropped on
 * purpose: it tells consumers not to write, while devices do report read-only values.
 *
 * <p>Thread-safe; compiled schemas are cached by the identity of their WoT source.
 */
public final class PropertySchemas {

    private static final Set<String> ASSERTIONS = Set.of("type", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "format", "enum", "const",
            "required", "minItems", "maxItems");
    private static final String UNIT = "unit";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .locale(Locale.ENGLISH)
            .build();
    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    /** A data schema's JSON Schema, compiled, and its direct check of the common forms (or {@code null}). */
    private record Compiled(JsonSchema schema, CertainlyValid certainlyValid) {
    }

    private final boolean directChecks;

    /** Checks values with the direct checks of the common schemas (see {@link CertainlyValid}) and the validator. */
    public PropertySchemas() {
        this(true);
    }

    /** @param directChecks {@code false}: every value goes to the JSON Schema validator (the reference in tests) */
    PropertySchemas(boolean directChecks) {
        this.directChecks = directChecks;
    }

    /** The JSON Schema (draft-07) asserting what the WoT data schema asserts. */
    public static ObjectNode toJsonSchema(JsonNode dataSchema) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        if (!dataSchema.isObject()) {
            return schema;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = dataSchema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (ASSERTIONS.contains(key)) {
                schema.set(key, value.deepCopy());
            } else if (key.equals("properties") && value.isObject()) {
                ObjectNode properties = schema.putObject("properties");
                value.fields().forEachRemaining(p -> properties.set(p.getKey(), toJsonSchema(p.getValue())));
            } else if (key.equals("items")) {
                schema.set("items", toJsonSchema(value));
            } else if (key.equals("oneOf") && value.isArray()) {
                var alternatives = schema.putArray("oneOf");
                value.forEach(alternative -> alternatives.add(toJsonSchema(alternative)));
            }
        }
        return schema;
    }

    /**
     * Checks a value against a WoT data schema.
     *
     * @param cacheKey   identifies the data schema (e.g. model id + property name); equal keys must
     *                   mean equal schemas
     * @param dataSchema the WoT data schema
     * @param value      the value to check
     * @param basePath   the JSON pointer of the value inside the thing, prefixed to every violation
     * @param label      how messages name the value ({@code Feature <vibration>'s property <rms>})
     */
    public List<Violation> check(String cacheKey, JsonNode dataSchema, JsonNode value, String basePath, String label) {
        if (passesDirectly(cacheKey, dataSchema, value)) {
            return List.of();
        }
        Set<ValidationMessage> messages = compiled(cacheKey, dataSchema).schema().validate(value);
        List<Violation> violations = new ArrayList<>();
        for (ValidationMessage message : messages) {
            String subPath = pointerOf(message);
            String text = message.getMessage().replaceFirst("^\\$[^:]*: ", "");
            String unit = dataSchema.path(UNIT).asText("");
            if (subPath.isEmpty() && !unit.isEmpty() && message.getType().contains("imum")) {
                text = text + " " + unit;
            }
            String where = subPath.isEmpty() ? label : label + " at <" + subPath + ">";
            violations.add(new Violation(basePath + subPath, message.getType(), where + " " + text));
        }
        return violations;
    }

    /**
     * Whether the value is valid for certain by the direct check of a common schema ({@link CertainlyValid}), so that
     * {@link #check} has nothing to say; {@code false} means "ask {@link #check}", not "invalid". For a caller that
     * would build a violation's path and label for nothing otherwise. Same parameters as {@link #check}.
     */
    public boolean passesDirectly(String cacheKey, JsonNode dataSchema, JsonNode value) {
        CertainlyValid certainlyValid = compiled(cacheKey, dataSchema).certainlyValid();
        return directChecks && certainlyValid != null && certainlyValid.passes(value);
    }

    private Compiled compiled(String cacheKey, JsonNode dataSchema) {
        return cache.computeIfAbsent(cacheKey, key -> compile(dataSchema));
    }

    private Compiled compile(JsonNode dataSchema) {
        ObjectNode jsonSchema = toJsonSchema(dataSchema);
        return new Compiled(factory.getSchema(jsonSchema, config), CertainlyValid.of(jsonSchema));
    }

    /** The instance location of a message as a JSON pointer relative to the checked value. */
    private static String pointerOf(ValidationMessage message) {
        StringBuilder pointer = new StringBuilder();
        var path = message.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }
}
