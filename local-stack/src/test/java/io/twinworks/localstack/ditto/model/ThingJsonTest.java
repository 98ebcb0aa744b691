package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThingJsonTest {

    private static final JsonObject PUMP = JsonObject.of("""
            {"thingId":"plant.a:pump-1","policyId":"plant.a:pump-1","attributes":{"site":"a"},
             "features":{"motor":{"properties":{"rpm":1450}},"vibration":{"properties":{"rms":2.0}}},
             "definition":"https://models/pump-1.0.0.tm.jsonld"}""");

    private static int utf8(JsonObject json) {
        return json.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theWholeOfAThingTakenApartIsTheSameObject() {
        ThingJson parts = ThingJson.of(PUMP);

        assertThat(parts.whole()).isSameAs(PUMP);
        assertThat(parts.utf8Bytes()).isEqualTo(utf8(PUMP));
        assertThat(parts.topLevel("policyId")).contains(JsonValue.of("plant.a:pump-1"));
        assertThat(parts.topLevel("features")).contains(PUMP.getValue("features").orElseThrow());
        assertThat(parts.topLevel("missing")).isEmpty();
        assertThat(parts.featureIds()).containsExactly("motor", "vibration");
        assertThat(parts.feature("motor")).contains(JsonObject.of("{\"properties\":{\"rpm\":1450}}"));
        assertThat(parts.feature("missing")).isEmpty();
    }

    @Test
    void theSizeFromThePartsIsTheUtf8LengthOfTheWholeTextWithEscapesAndCharactersBeyondAscii() {
        JsonObject feature = JsonObject.newBuilder()
                .set(JsonField.newInstance(JsonKey.of("prop\u00e9rties"), JsonObject.newBuilder()
                        .set("text", "caf\u00e9 \u4e2d\u6587 \ud83d\ude80 \"quoted\" back\\slash tab\t ctl\u0001 lone\ud800 end")
                        .set("n", 1.5e-7)
                        .build()))
                .build();
        JsonObject thing = PUMP.setValue(JsonKey.of("features"), PUMP.getValue("features").orElseThrow().asObject()
                .setValue(JsonKey.of("\u00fcber \"feature\""), feature));

        ThingJson parts = ThingJson.of(thing);
        Map<String, JsonValue> changed = new LinkedHashMap<>();
        changed.put("motor", JsonObject.of("{\"properties\":{\"rpm\":\"\u00a7\u00a7\"}}"));
        ThingJson merged = parts.withFeatures(changed);

        assertThat(parts.utf8Bytes()).isEqualTo(utf8(thing));
        assertThat(merged.utf8Bytes()).isEqualTo(utf8(merged.whole()));
    }

    @Test
    void changedFeaturesComeFirstRemovedOnesGoAndFeaturesBecomesTheFirstField() {
        Map<String, JsonValue> changed = new LinkedHashMap<>();
        changed.put("vibration", JsonObject.of("{\"properties\":{\"rms\":3.0}}"));
        changed.put("new", JsonObject.empty());
        changed.put("motor", null);

        ThingJson merged = ThingJson.of(PUMP).withFeatures(changed);

        assertThat(merged.featureIds()).containsExactly("vibration", "new");
        assertThat(merged.whole().getKeys()).extracting(JsonKey::toString)
                .containsExactly("features", "thingId", "policyId", "attributes", "definition");
        assertThat(merged.whole().getValue("features/vibration/properties/rms")).contains(JsonValue.of(3.0));
        assertThat(merged.utf8Bytes()).isEqualTo(utf8(merged.whole()));
    }

    @Test
    void aThingWithoutAFeaturesObjectHasNoFeaturePartsAndRefusesFeatureChanges() {
        for (JsonObject thing : new JsonObject[]{PUMP.remove("features"),
                PUMP.setValue(JsonKey.of("features"), JsonFactory.nullObject()),
                PUMP.setValue(JsonKey.of("features"), JsonValue.of("odd"))}) {
            ThingJson parts = ThingJson.of(thing);

            assertThat(parts.hasFeatureParts()).isFalse();
            assertThat(parts.feature("motor")).isEmpty();
            assertThat(parts.utf8Bytes()).isEqualTo(utf8(thing));
            assertThat(parts.whole()).isEqualTo(thing);
            assertThatThrownBy(() -> parts.withFeatures(Map.of("motor", JsonObject.empty())))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anEmptyThingAndAnEmptyFeaturesObjectHaveTheirSize() {
        assertThat(ThingJson.of(JsonObject.empty()).utf8Bytes()).isEqualTo(2);
        JsonObject emptyFeatures = JsonObject.of("{\"features\":{}}");
        assertThat(ThingJson.of(emptyFeatures).utf8Bytes()).isEqualTo(utf8(emptyFeatures));
        assertThat(ThingJson.of(emptyFeatures).withFeatures(Map.of()).whole()).isEqualTo(emptyFeatures);
    }

    @Test
    void twoThingsAreEqualWhenTheirWholeObjectsAre() {
        Map<String, JsonValue> same = new LinkedHashMap<>();
        same.put("motor", PUMP.getValue("features/motor").orElseThrow());

        assertThat(ThingJson.of(PUMP)).isEqualTo(ThingJson.of(JsonObject.of(PUMP.toString())));
        assertThat(ThingJson.of(PUMP).withFeatures(same)).isEqualTo(ThingJson.of(PUMP));
        assertThat(ThingJson.of(PUMP)).isNotEqualTo(ThingJson.of(PUMP.remove("attributes")));
    }
}
