package io.twinworks.localstack.ditto.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The copied tree is exactly what Jackson parses from the value's text, node types included. */
class JacksonTreesTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static JsonNode parsed(JsonValue value) throws Exception {
        return JACKSON.readTree(value.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "-9223372036854775808", "1.5", "-0.25", "1.0", "1e3", "2.5E-7", "1.0E300",
            "true", "false", "null", "\"text\"",
            "\"quote \\\" slash \\\\ unicode \\u00e9 tab \\t\""})
    void aScalarBecomesTheNodeJacksonParsesFromItsText(String literal) throws Exception {
        JsonValue value = JsonFactory.readFrom(literal);

        JsonNode copied = JacksonTrees.of(value);

        assertThat(copied).isEqualTo(parsed(value));
        assertThat(copied.getNodeType()).isEqualTo(parsed(value).getNodeType());
        assertThat(copied.getClass()).isEqualTo(parsed(value).getClass());
    }

    @Test
    void aFeatureWithNestedObjectsArraysAndMixedNumbersIsCopiedNodeForNode() throws Exception {
        JsonObject feature = JsonObject.of("""
                {"definition":["plant:vibration:1.0.0"],
                 "properties":{"rms":0.31,"seq":7,"big":12345678901,"ts":"2026-12-07T00:00:00Z","ok":true,
                               "nested":{"empty":{},"list":[1,2.5,"x",null,[],{"a":[false]}]},"none":null},
                 "desiredProperties":{}}""");

        assertThat(JacksonTrees.of(feature)).isEqualTo(parsed(feature));
    }

    @Test
    void fieldOrderIsKept() throws Exception {
        JsonObject object = JsonObject.of("{\"z\":1,\"a\":2,\"m\":3}");

        assertThat(JacksonTrees.of(object).fieldNames()).toIterable().containsExactly("z", "a", "m");
        assertThat(JacksonTrees.of(JsonArray.of("[3,1,2]")).toString()).isEqualTo(parsed(JsonArray.of("[3,1,2]")).toString());
    }
}
