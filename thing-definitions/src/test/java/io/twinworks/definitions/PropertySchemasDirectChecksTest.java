package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct checks of common WoT data schemas only ever pass a value the JSON Schema validator passes too; every
 * other value (and every other schema) is the validator's, so the violations are the same, messages included.
 */
class PropertySchemasDirectChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static CertainlyValid direct(String wotSchema) {
        return CertainlyValid.of(PropertySchemas.toJsonSchema(json(wotSchema)));
    }

    // --- refusals first: schemas with no direct check, values the direct check leaves to the validator ----------

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":[\"number\",\"null\"]}",
            "{\"type\":\"number\",\"exclusiveMinimum\":0}",
            "{\"type\":\"number\",\"multipleOf\":0.5}",
            "{\"type\":\"number\",\"minimum\":\"0\"}",
            "{\"type\":\"number\",\"maximum\":1e400}",
            "{\"type\":\"integer\",\"maximum\":123456789012345678901234567890}",
            "{\"type\":\"number\",\"enum\":[1,2]}",
            "{\"type\":\"string\",\"format\":\"date\"}",
            "{\"type\":\"string\",\"format\":\"email\"}",
            "{\"type\":\"string\",\"pattern\":\"^a\"}",
            "{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}",
            "{\"type\":\"string\",\"minLength\":-1}",
            "{\"type\":\"string\",\"maxLength\":2.5}",
            "{\"type\":\"string\",\"minimum\":1}",
            "{\"type\":\"boolean\",\"const\":true}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"}}}",
            "{\"type\":\"object\",\"required\":[\"a\"]}",
            "{\"type\":\"array\",\"items\":{\"type\":\"number\"}}",
            "{\"type\":\"null\"}",
            "{\"enum\":[1]}",
            "{\"oneOf\":[{\"type\":\"number\"}]}",
            "{\"type\":\"integer\",\"minimum\":0,\"maxItems\":3}"})
    void aSchemaAssertingMoreThanTheCommonFormsHasNoDirectCheck(String wotSchema) {
        assertThat(direct(wotSchema)).isNull();
    }

    @Test
    void aBoundTheJsonParserWouldKeepAsABigNumberHasNoDirectCheck() {
        ObjectNode decimalBound = NODES.objectNode().put("type", "number").put("minimum", new BigDecimal("0.1"));
        ObjectNode bigIntegerBound = NODES.objectNode().put("type", "integer")
                .put("maximum", new BigInteger("123456789012345678901234567890"));

        assertThat(CertainlyValid.of(PropertySchemas.toJsonSchema(decimalBound))).isNull();
        assertThat(CertainlyValid.of(PropertySchemas.toJsonSchema(bigIntegerBound))).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // on a bound, beyond it, or rounding onto it as a double
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | 0",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | 100",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | 100.0",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | 250",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | -0.001",
            "{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991} | 9007199254740992",
            "{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991} | 9007199254740991",
            "{\"type\":\"integer\",\"maximum\":9223372036854775807} | 9223372036854775806",
            // another type than the schema's, or a number the JSON parser keeps big
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | \"5\"",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | null",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | true",
            "{\"type\":\"number\"} | 123456789012345678901234567890",
            "{\"type\":\"integer\",\"minimum\":0,\"maximum\":100} | 5.0",
            "{\"type\":\"integer\",\"minimum\":0,\"maximum\":100} | 5.5",
            "{\"type\":\"string\",\"maxLength\":3} | 5",
            "{\"type\":\"string\",\"maxLength\":3} | \"abcd\"",
            "{\"type\":\"string\",\"minLength\":2} | \"a\"",
            "{\"type\":\"boolean\"} | \"true\"",
            "{\"type\":\"boolean\"} | 1",
            "{\"type\":\"object\"} | [1]",
            "{\"type\":\"object\"} | null"})
    void aValueOnOrBeyondABoundOrOfAnotherTypeIsLeftToTheValidator(String wotSchema, String value) {
        assertThat(direct(wotSchema).passes(json(value))).isFalse();
    }

    @Test
    void aStringWithASurrogatePairIsLeftToTheValidatorWhateverItsLength() {
        CertainlyValid check = direct("{\"type\":\"string\",\"minLength\":1,\"maxLength\":10}");

        assertThat(check.passes(NODES.textNode("a\uD83D\uDE00b"))).isFalse();
        assertThat(check.passes(NODES.textNode("\uD83D"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-07T06:00:00+01:00", "2026-12-07T06:00:00.123+00:00", "2026-12-07t06:00:00Z",
            "2026-12-07T06:00:00z", "2026-12-07 06:00:00Z", "2016-12-31T23:59:60Z", "2025-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-12-00T00:00:00Z", "2026-12-07T24:00:00Z", "2026-12-07T06:60:00Z", "1969-12-31T23:59:59Z",
            "3000-01-01T00:00:00Z", "2026-12-07T06:00:00.Z", "2026-12-07T06:00:00.1234567890Z", "2026-12-07T06:00:00",
            "2026-12-07T06:00Z", "2026-12-07T06:00:00.12a4Z", "2026-12-07T06:00:0\u0660Z", "\u0662026-12-07T06:00:00Z",
            "2026-12-07T06:00:00,5Z", "+2026-12-07T06:00:00Z", ""})
    void aDateTimeInAnyButThePlainestUtcFormIsLeftToTheValidator(String text) {
        CertainlyValid check = direct("{\"type\":\"string\",\"format\":\"date-time\"}");

        assertThat(CertainlyValid.isPlainUtcDateTime(text)).isFalse();
        assertThat(check.passes(NODES.textNode(text))).isFalse();
    }

    @Test
    void plainUtcDateTimesOfManyRandomInstantsPassDirectlyAndTheValidatorPassesThemToo() {
        Random random = new Random(2026);
        PropertySchemas validatorOnly = new PropertySchemas(false);
        JsonNode schema = json("{\"type\":\"string\",\"format\":\"date-time\"}");
        long first = java.time.Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
        long last = java.time.Instant.parse("2999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            java.time.Instant instant = java.time.Instant.ofEpochSecond(first + (long) (random.nextDouble() * (last - first)),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();

            assertThat(CertainlyValid.isPlainUtcDateTime(text)).as(text).isTrue();
            assertThat(validatorOnly.check("ts", schema, NODES.textNode(text), "/p", "P")).as(text).isEmpty();
        }
    }

    @Test
    void manyRandomAndAlteredDateTimesGiveTheValidatorsViolations() {
        Random random = new Random(7);
        PropertySchemas withDirectChecks = new PropertySchemas();
        PropertySchemas validatorOnly = new PropertySchemas(false);
        JsonNode schema = json("{\"type\":\"string\",\"format\":\"date-time\",\"maxLength\":40}");
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            JsonNode value = NODES.textNode(randomDateTime(random));

            List<Violation> expected = validatorOnly.check("ts", schema, value, "/p", "P");

            assertThat(withDirectChecks.check("ts", schema, value, "/p", "P")).as("%s", value)
                    .containsExactlyElementsOf(expected);
            refused += expected.isEmpty() ? 0 : 1;
        }
        assertThat(refused).isBetween(1_500, 8_500);
    }

    // --- what the direct checks pass --------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100,\"unit\":\"mm/s\",\"readOnly\":true} | 2.05",
            "{\"type\":\"number\",\"minimum\":0,\"maximum\":100} | 99",
            "{\"type\":\"number\",\"minimum\":-5.5} | -5.4",
            "{\"type\":\"number\"} | 1e300",
            "{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991,\"title\":\"seq\"} | 12345",
            "{\"type\":\"integer\",\"minimum\":0,\"maximum\":9007199254740991} | 9007199254740000",
            "{\"type\":\"string\",\"maxLength\":3} | \"abc\"",
            "{\"type\":\"string\",\"minLength\":1,\"maxLength\":64} | \"hall 1\"",
            "{\"type\":\"string\"} | \"\"",
            "{\"type\":\"string\",\"format\":\"date-time\",\"readOnly\":true} | \"2026-12-07T06:00:00.123456789Z\"",
            "{\"type\":\"string\",\"format\":\"date-time\",\"maxLength\":20} | \"2024-02-29T23:59:59Z\"",
            "{\"type\":\"boolean\"} | false",
            "{\"type\":\"object\"} | {\"a\":[1,null]}",
            "{\"title\":\"anything\",\"unit\":\"1\"} | [null]"})
    void aValueOfTheSchemasTypeStrictlyWithinItsBoundsPassesDirectly(String wotSchema, String value) {
        assertThat(direct(wotSchema).passes(json(value))).isTrue();
        assertThat(new PropertySchemas(false).check("k", json(wotSchema), json(value), "/p", "P")).isEmpty();
    }

    // --- the direct checks against the validator alone, on many random schemas and values ---------------------

    @Test
    void manyRandomSchemasAndValuesGiveTheValidatorsViolationsMessagesIncluded() {
        Random random = new Random(1616);
        PropertySchemas withDirectChecks = new PropertySchemas();
        PropertySchemas validatorOnly = new PropertySchemas(false);
        int passedDirectly = 0;
        int violations = 0;
        for (int i = 0; i < 2_000; i++) {
            ObjectNode schema = random.nextBoolean() ? randomSchema(random) : randomCommonSchema(random);
            CertainlyValid check = CertainlyValid.of(PropertySchemas.toJsonSchema(schema));
            for (int j = 0; j < 20; j++) {
                JsonNode value = randomValue(random, schema);
                String key = "schema-" + i;

                List<Violation> expected = validatorOnly.check(key, schema, value, "/features/f/properties/p", "P <p>");
                List<Violation> actual = withDirectChecks.check(key, schema, value, "/features/f/properties/p", "P <p>");

                assertThat(actual).as("%s against %s", value, schema).containsExactlyElementsOf(expected);
                if (check != null && check.passes(value)) {
                    passedDirectly++;
                }
                violations += expected.size();
            }
        }
        // the comparison covers both sides: many values passed directly, many violations worded by the validator
        assertThat(passedDirectly).isGreaterThan(4_000);
        assertThat(violations).isGreaterThan(4_000);
    }

    private static final String[] TYPES = {"number", "integer", "string", "boolean", "object", "null", "array"};

    private static ObjectNode randomSchema(Random random) {
        ObjectNode schema = NODES.objectNode();
        if (random.nextInt(20) == 0) {
            schema.putArray("type").add("number").add("null");
        } else if (random.nextInt(20) > 0) {
            schema.put("type", TYPES[random.nextInt(TYPES.length)]);
        }
        if (random.nextBoolean()) {
            schema.set("minimum", randomBound(random));
        }
        if (random.nextBoolean()) {
            schema.set("maximum", randomBound(random));
        }
        if (random.nextInt(3) == 0) {
            schema.set("minLength", random.nextInt(8) == 0 ? NODES.numberNode(1.5) : NODES.numberNode(random.nextInt(6) - 1));
        }
        if (random.nextInt(3) == 0) {
            schema.put("maxLength", random.nextInt(8));
        }
        if (random.nextInt(10) == 0) {
            schema.putArray("enum").add(1).add("a").add(true);
        }
        if (random.nextInt(10) == 0) {
            schema.put("format", "date-time");
        }
        if (random.nextInt(12) == 0) {
            schema.put("exclusiveMaximum", 50);
        }
        if (random.nextBoolean()) {
            schema.put("unit", "mm/s");
        }
        if (random.nextBoolean()) {
            schema.put("title", "a title").put("readOnly", true).put("observable", true);
        }
        return schema;
    }

    /** One of the forms with a direct check, as the Thing Models write them (plus WoT terms). */
    private static ObjectNode randomCommonSchema(Random random) {
        ObjectNode schema = NODES.objectNode();
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                schema.put("type", random.nextBoolean() ? "number" : "integer");
                if (random.nextInt(4) > 0) {
                    schema.set("minimum", randomBound(random));
                }
                if (random.nextInt(4) > 0) {
                    schema.set("maximum", randomBound(random));
                }
            }
            case 2 -> {
                schema.put("type", "string");
                if (random.nextBoolean()) {
                    schema.put("format", "date-time");
                }
                if (random.nextBoolean()) {
                    schema.put("minLength", random.nextInt(4));
                }
                if (random.nextBoolean()) {
                    schema.put("maxLength", random.nextInt(10));
                }
            }
            case 3 -> schema.put("type", "boolean");
            case 4 -> schema.put("type", "object");
            default -> schema.put("description", "no assertion");
        }
        schema.put("unit", "mm/s").put("readOnly", true);
        return schema;
    }

    /** A date-time as devices write it, sometimes with one character changed, cut or added. */
    private static String randomDateTime(Random random) {
        String text = java.time.Instant.ofEpochSecond(-100_000_000_000L + (long) (random.nextDouble() * 200_000_000_000L),
                random.nextBoolean() ? 0 : random.nextInt(1_000_000_000)).toString();
        if (random.nextBoolean()) {
            return text;
        }
        StringBuilder changed = new StringBuilder(text);
        int at = random.nextInt(changed.length());
        String characters = "0123456789-:TZtz.+ 6";
        switch (random.nextInt(3)) {
            case 0 -> changed.setCharAt(at, characters.charAt(random.nextInt(characters.length())));
            case 1 -> changed.deleteCharAt(at);
            default -> changed.insert(at, characters.charAt(random.nextInt(characters.length())));
        }
        return changed.toString();
    }

    private static JsonNode randomBound(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> NODES.numberNode(random.nextInt(21) - 10);
            case 1 -> NODES.numberNode(9_007_199_254_740_991L);
            case 2 -> NODES.numberNode(Long.MAX_VALUE);
            case 3 -> NODES.numberNode((random.nextInt(201) - 100) / 10.0);
            case 4 -> NODES.numberNode(new BigDecimal("0.1000000000000000000000001"));
            case 5 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 6 -> NODES.numberNode(-0.0);
            default -> NODES.numberNode(random.nextInt(3) * 50);
        };
    }

    /** Values near the schema's bounds and lengths, on them, of other types and odd ones. */
    private static JsonNode randomValue(Random random, ObjectNode schema) {
        JsonNode bound = random.nextBoolean() ? schema.get("minimum") : schema.get("maximum");
        return switch (random.nextInt(14)) {
            case 0 -> NODES.numberNode(random.nextInt(21) - 10);
            case 1 -> NODES.numberNode((random.nextInt(2001) - 1000) / 10.0);
            case 2 -> bound != null && bound.isNumber() ? bound.deepCopy() : NODES.numberNode(0);
            case 3 -> bound != null && bound.isNumber() ? NODES.numberNode(bound.doubleValue() + (random.nextBoolean() ? 1e-9 : -1e-9))
                    : NODES.numberNode(1e-9);
            case 4 -> NODES.numberNode(9_007_199_254_740_990L + random.nextInt(4));
            case 5 -> NODES.numberNode(Long.MAX_VALUE - random.nextInt(2));
            case 6 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 7 -> NODES.numberNode(new BigDecimal("5.00000000000000000001"));
            case 8 -> NODES.textNode("abcdefgh".substring(0, random.nextInt(9)));
            case 9 -> NODES.textNode(random.nextBoolean() ? "a\uD83D\uDE00" : randomDateTime(random));
            case 10 -> NODES.booleanNode(random.nextBoolean());
            case 11 -> NODES.nullNode();
            case 12 -> NODES.objectNode().put("a", 1);
            default -> NODES.arrayNode().add(1);
        };
    }
}
