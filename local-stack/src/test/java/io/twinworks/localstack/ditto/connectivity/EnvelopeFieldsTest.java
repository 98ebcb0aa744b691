package io.twinworks.localstack.ditto.connectivity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding the four fields of a device message's text, and saying "not sure" for everything else. */
class EnvelopeFieldsTest {

    private static final String TOPIC = "\"topic\":\"plant.a/pump-7/things/twin/commands/merge\"";
    private static final String HEADERS = "\"headers\":{\"content-type\":\"application/merge-patch+json\"}";
    private static final String PATH = "\"path\":\"/features/vibration/properties\"";
    private static final String VALUE = "\"value\":{\"rms\":0.31}";

    @Test
    void textsThatAreNotPlainlyAnEnvelopeOfTheFourFieldsAreNotSure() {
        for (String text : List.of("", " ", "[]", "{}", "null", "\"topic\"",
                "{" + TOPIC + "," + PATH + "}",                                   // no value
                "{" + HEADERS + "," + PATH + "," + VALUE + "}",                   // no topic
                "{" + TOPIC + "," + HEADERS + "," + VALUE + "}",                  // no path
                "{" + TOPIC + "," + PATH + "," + VALUE + ",\"revision\":3}",      // another field
                "{" + TOPIC + "," + PATH + "," + VALUE + "," + VALUE + "}",       // a field twice
                "{" + TOPIC + "," + TOPIC + "," + PATH + "," + VALUE + "}",
                "{" + HEADERS + "," + HEADERS + "," + TOPIC + "," + PATH + "," + VALUE + "}",
                "{" + TOPIC + "," + PATH + "," + VALUE + ",}",                    // trailing comma
                "{," + TOPIC + "," + PATH + "," + VALUE + "}",
                "{" + TOPIC + "," + PATH + "," + VALUE + "} x",                   // text after the object
                "{" + TOPIC + "," + PATH + "," + VALUE + "}}",
                "{" + TOPIC + "," + PATH + "," + VALUE,                           // not closed
                "{" + TOPIC + "," + PATH + ",\"value\":{\"rms\":0.31}",
                "{" + TOPIC + "," + PATH + ",\"value\":\"open}",
                "{" + TOPIC + "," + PATH + ",\"value\":}",                        // no value text
                "{" + TOPIC + "," + PATH + ",\"value\" {\"rms\":0.31}}",          // no colon
                "{" + TOPIC + " " + PATH + "," + VALUE + "}",                     // no comma
                "{\"topic\":\"plant.a/pump-7/things/twin/commands/\\u006derge\"," + PATH + "," + VALUE + "}",
                "{\"topic\":\"plant.a/pump-7\\\"\"," + PATH + "," + VALUE + "}",  // escapes in the topic
                "{" + TOPIC + ",\"path\":\"/features/vib\tration/properties\"," + VALUE + "}",  // control character
                "{" + TOPIC + ",\"path\":42," + VALUE + "}",                      // path no string
                "{\"topic\":null," + PATH + "," + VALUE + "}",
                "{\"t\\u006fpic\":\"x\"," + PATH + "," + VALUE + "}",             // an escaped field name
                "\u00a0{" + TOPIC + "," + PATH + "," + VALUE + "}",               // white space JSON does not know
                "{" + TOPIC + "," + PATH + "," + VALUE + "}\u000b")) {
            assertThat(EnvelopeFields.of(text)).as(text).isNull();
        }
    }

    @Test
    void theFieldsAreFoundInAnyOrderWithJsonWhiteSpaceAnywhereBetweenTokens() {
        String text = " \r\n{\t\"value\" : {\"a\":\"}]\\\"{\",\"b\":[1,{\"c\":\"\\\\\"}]} ,\n"
                + "\"path\":\"/features/ü-ß 1/properties\",\"headers\" :{ \"x\" : \"{\" } , " + TOPIC + "}   \n";

        EnvelopeFields fields = EnvelopeFields.of(text);

        assertThat(fields).isEqualTo(new EnvelopeFields("plant.a/pump-7/things/twin/commands/merge",
                "{ \"x\" : \"{\" }", "/features/ü-ß 1/properties", "{\"a\":\"}]\\\"{\",\"b\":[1,{\"c\":\"\\\\\"}]}"));
    }

    @Test
    void headersAreOptionalAndScalarValuesEndAtTheirSeparator() {
        for (String value : List.of("0.31", "-1e5", "true", "null", "\"text, with } and ]\"")) {
            EnvelopeFields fields = EnvelopeFields.of("{" + TOPIC + "," + PATH + ",\"value\":" + value + " }");

            assertThat(fields).as(value).isNotNull();
            assertThat(fields.headersText()).as(value).isNull();
            assertThat(fields.valueText()).as(value).isEqualTo(value);
        }
    }

    @Test
    void textsOfHeadersAndValueAreHandedOnUncheckedForDittosParserToJudge() {
        EnvelopeFields fields = EnvelopeFields.of("{" + TOPIC + ",\"headers\":{no json}," + PATH + ",\"value\":tru}");

        assertThat(fields).isNotNull();
        assertThat(fields.headersText()).isEqualTo("{no json}");
        assertThat(fields.valueText()).isEqualTo("tru");
    }
}
