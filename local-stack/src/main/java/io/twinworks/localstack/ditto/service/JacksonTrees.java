package io.twinworks.localstack.ditto.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonValue;

/**
 * Ditto JSON values as Jackson trees (the WoT validator's input), copied node by node instead of
 * serialising the value and parsing the text again. The tree is the one Jackson's default
 * {@code ObjectMapper.readTree} makes of the value's text: integers as int or long nodes by size (Ditto's
 * parser keeps integers within long), numbers with a fraction or exponent as double nodes.
 */
final class JacksonTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JacksonTrees() {
    }

    static JsonNode of(JsonValue value) {
        if (value.isNull()) {
            // before the object check: Ditto's null literal may be typed as an object (JsonFactory.nullObject())
            return NODES.nullNode();
        }
        if (value.isObject()) {
            ObjectNode object = NODES.objectNode();
            for (JsonField field : value.asObject()) {
                object.set(field.getKeyName(), of(field.getValue()));
            }
            return object;
        }
        if (value.isArray()) {
            ArrayNode array = NODES.arrayNode();
            value.asArray().forEach(element -> array.add(of(element)));
            return array;
        }
        if (value.isString()) {
            return NODES.textNode(value.asString());
        }
        if (value.isBoolean()) {
            return NODES.booleanNode(value.asBoolean());
        }
        if (value.isNumber()) {
            return number(value.toString());
        }
        throw new IllegalArgumentException("not a JSON value Ditto's model has: " + value);
    }

    /** As Jackson's parser types a number literal (floats as doubles, its default). */
    private static JsonNode number(String literal) {
        if (literal.indexOf('.') >= 0 || literal.indexOf('e') >= 0 || literal.indexOf('E') >= 0) {
            return NODES.numberNode(Double.parseDouble(literal));
        }
        // Ditto's parser keeps integers within long
        long integer = Long.parseLong(literal);
        return (int) integer == integer ? NODES.numberNode((int) integer) : NODES.numberNode(integer);
    }
}
