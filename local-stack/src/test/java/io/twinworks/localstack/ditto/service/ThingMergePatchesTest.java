package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.ThingJson;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The narrowed merge gives exactly what Ditto's merge of the whole thing gives: the same JSON value and the same
 * text (field order included), for every kind of path and patch.
 */
class ThingMergePatchesTest {

    private static final JsonObject PUMP = JsonObject.of("""
            {"thingId":"plant.a:pump-1","policyId":"plant.a:pump-1","definition":"https://models/pump-1.0.0.tm.jsonld",
             "attributes":{"site":"a","location":{"hall":3,"tags":["x","y"]},"note":null},
             "features":{"motor":{"properties":{"rpm":1450,"temp":61.5}},
                         "vibration":{"definition":["plant:vibration:1.0.0"],"properties":{"rms":2.0,"seq":1,"ts":"t0"}},
                         "flow":{"properties":{"rate":12.5},"desiredProperties":{"rate":13}},
                         "bare":{}}}""");

    /** Ditto's own merge of the whole thing: the reference. */
    private static JsonValue dittoMerge(JsonObject thing, JsonPointer path, JsonValue patch) {
        return JsonMergePatch.of(path, patch).applyOn(thing);
    }

    private static void assertSameAsDitto(JsonObject thing, JsonPointer path, JsonValue patch) {
        JsonValue expected = dittoMerge(thing, path, patch);

        JsonValue narrowed = ThingMergePatches.applyAt(thing, path, patch);

        assertThat(narrowed).as("merge of %s at %s into %s", patch, path, thing).isEqualTo(expected);
        assertThat(narrowed.toString()).as("text of the merge of %s at %s into %s", patch, path, thing)
                .isEqualTo(expected.toString());
    }

    // --- where the patch cannot be narrowed (the whole thing, missing or non-object levels): same result --------

    @Test
    void aNonObjectPatchOfTheWholeThingIsRefusedAsDittoRefusesIt() {
        assertThatThrownBy(() -> dittoMerge(PUMP, JsonPointer.empty(), JsonValue.of(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThingMergePatches.applyAt(PUMP, JsonPointer.empty(), JsonValue.of(3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/ | {\"attributes\":{\"site\":null},\"features\":{\"bare\":null}}",
            "/ | {}",
            "/features | null",
            "/features | 5",
            "/attributes | [1,2]",
            "/newTopLevel | {\"a\":null,\"b\":{\"c\":null}}"})
    void aPatchOfTheThingOrANonObjectPatchOfATopLevelFieldGivesDittosResult(String path, String patch) {
        assertSameAsDitto(PUMP, JsonPointer.of(path), JsonFactory.readFrom(patch));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // a level on the way is missing: Ditto creates it (a null patch leaves an empty object behind)
            "/features/absent/properties/x | 1",
            "/features/absent/properties/x | null",
            "/features/absent/properties | {\"a\":null,\"b\":{\"c\":null,\"d\":1}}",
            // a level on the way is not an object: Ditto replaces it by the patch's objects
            "/attributes/site/x | 1",
            "/attributes/note/x/y | {\"z\":null}",
            "/attributes/location/tags/0 | 7",
            "/features/motor/properties/rpm/x | null"})
    void aPathThroughAMissingOrNonObjectLevelGivesDittosResult(String path, String patch) {
        assertSameAsDitto(PUMP, JsonPointer.of(path), JsonFactory.readFrom(patch));
    }

    // --- the narrowed path ------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // what devices send: readings merged into a feature's properties, or several features at once
            "/features | {\"motor\":{\"properties\":{\"rpm\":null}},\"new\":{\"properties\":{\"a\":{\"b\":null}}}}",
            "/features | {\"vibration\":{\"properties\":{\"rms\":2.4}},\"flow\":{\"properties\":{\"rate\":9}}}",
            "/features | {}",
            "/attributes | {\"site\":\"b\",\"location\":null}",
            "/features/vibration/properties | {\"rms\":2.31,\"seq\":2,\"ts\":\"t1\"}",
            "/features/vibration/properties | {\"rms\":null,\"extra\":{\"a\":null,\"b\":[null]}}",
            "/features/vibration/properties | {}",
            "/features/vibration/properties | null",
            "/features/vibration/properties | \"now a string\"",
            "/features/vibration/properties | [1,{\"a\":null}]",
            "/features/vibration/properties/rms | 3.5",
            "/features/vibration/properties/rms | null",
            "/features/vibration/properties/rms | {\"value\":3.5,\"unit\":null}",
            "/features/vibration/properties/absent | null",
            "/features/vibration/definition | null",
            "/features/vibration | {\"properties\":{\"rms\":null},\"desiredProperties\":{\"rms\":1}}",
            "/features/vibration | null",
            "/features/bare | {\"properties\":{\"a\":1}}",
            "/features/new | {\"properties\":{\"a\":1,\"b\":null}}",
            "/features/flow/desiredProperties | {\"rate\":null}",
            "/attributes/location | {\"hall\":null,\"tags\":[\"z\"]}",
            "/attributes/location/hall | \"B\"",
            "/attributes/note | {\"text\":\"hi\"}"})
    void aPatchBelowATopLevelFieldGivesDittosResultFieldOrderIncluded(String path, String patch) {
        assertSameAsDitto(PUMP, JsonPointer.of(path), JsonFactory.readFrom(patch));
    }

    @Test
    void aNullObjectInThePatchOrOnThePathGivesDittosResult() {
        JsonObject withNullObject = PUMP.setValue(JsonPointer.of("/features/vibration/properties/calibration"),
                JsonFactory.nullObject());

        assertSameAsDitto(PUMP, JsonPointer.of("/features/vibration/properties"), JsonFactory.nullObject());
        assertSameAsDitto(PUMP, JsonPointer.of("/features/vibration"), JsonFactory.nullObject());
        assertSameAsDitto(withNullObject, JsonPointer.of("/features/vibration/properties/calibration"),
                JsonObject.of("{\"offset\":1}"));
        assertSameAsDitto(withNullObject, JsonPointer.of("/features/vibration/properties/calibration/offset"),
                JsonValue.of(1));
        assertSameAsDitto(withNullObject, JsonPointer.of("/features/vibration/properties"),
                JsonObject.of("{\"calibration\":{\"offset\":null,\"gain\":2}}"));
    }

    @Test
    void theChangedKeyMovesFirstOnEveryLevelAsInDittosMerge() {
        JsonValue merged = ThingMergePatches.applyAt(PUMP, JsonPointer.of("/features/flow/properties"),
                JsonObject.of("{\"rate\":1}"));

        assertThat(merged.asObject().getKeys()).first().hasToString("features");
        assertThat(merged.asObject().getValue("features").orElseThrow().asObject().getKeys()).first().hasToString("flow");
        assertThat(merged.asObject().getKeys()).containsExactlyInAnyOrderElementsOf(PUMP.getKeys());
    }

    @Test
    void manyRandomThingsPathsAndPatchesGiveDittosResult() {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            JsonObject thing = randomObject(random, 4);
            JsonPointer path = randomPath(random, thing);
            JsonValue patch = path.isEmpty() ? randomObject(random, 3) : randomValue(random, 3);
            assertSameAsDitto(thing, path, patch);
        }
    }

    // --- the thing held in parts (ThingJson): the same result, the same text, the same size ------------------

    private static void assertPartsSameAsDitto(ThingJson parts, JsonPointer path, JsonValue patch) {
        JsonObject whole = parts.whole();
        JsonValue expected;
        try {
            expected = dittoMerge(whole, path, patch);
        } catch (IllegalArgumentException refused) {
            assertThatThrownBy(() -> ThingMergePatches.applyAt(parts, path, patch)).isInstanceOf(IllegalArgumentException.class);
            return;
        }

        Optional<ThingJson> merged = ThingMergePatches.applyAt(parts, path, patch);

        if (!expected.isObject() || expected.isNull()) {
            assertThat(merged).as("merge of %s at %s into %s", patch, path, whole).isEmpty();
            return;
        }
        assertThat(merged).as("merge of %s at %s into %s", patch, path, whole).isPresent();
        assertThat(merged.get().whole()).as("merge of %s at %s into %s", patch, path, whole).isEqualTo(expected);
        assertThat(merged.get().whole().toString()).as("text of the merge of %s at %s into %s", patch, path, whole)
                .isEqualTo(expected.toString());
        assertThat(merged.get().utf8Bytes()).as("size of the merge of %s at %s into %s", patch, path, whole)
                .isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/features                       | {\"vibration\":{\"properties\":{\"rms\":3.5,\"seq\":2}},\"motor\":{\"properties\":{\"rpm\":1500}}}",
            "/features                       | {\"vibration\":null,\"new\":{\"properties\":{\"a\":1,\"b\":null}},\"gone\":null}",
            "/features                       | {\"motor\":7,\"bare\":[1,2]}",
            "/features                       | {}",
            "/features                       | null",
            "/features                       | 5",
            "/features/vibration/properties  | {\"rms\":3.5,\"seq\":2,\"ts\":null}",
            "/features/vibration/properties/rms | 4.25",
            "/features/vibration/properties/rms | null",
            "/features/vibration             | {\"definition\":null,\"properties\":{\"x\":{\"y\":1}}}",
            "/features/vibration             | null",
            "/features/vibration             | \"text\"",
            "/features/flow/desiredProperties/rate | 14",
            "/features/bare/properties/a/b   | {\"c\":1}",
            "/features/missing/properties    | {\"a\":1}",
            "/features/missing               | {\"properties\":{\"a\":1}}",
            "/attributes/site                | \"b\"",
            "/policyId                       | \"plant.a:other\"",
            "/thingId                        | \"plant.a:other\"",
    })
    void aMergeOfTheThingHeldInPartsGivesDittosResultTextAndSizeIncluded(String path, String patch) {
        assertPartsSameAsDitto(ThingJson.of(PUMP), JsonPointer.of(path), JsonFactory.readFrom(patch));
    }

    @Test
    void aMergeOfAThingWithoutAFeaturesObjectGivesDittosResult() {
        JsonObject noFeatures = PUMP.remove("features");
        JsonObject nullFeatures = PUMP.setValue(JsonKey.of("features"), JsonFactory.nullObject());
        JsonObject scalarFeatures = PUMP.setValue(JsonKey.of("features"), JsonValue.of(3));

        for (JsonObject thing : new JsonObject[]{noFeatures, nullFeatures, scalarFeatures}) {
            assertPartsSameAsDitto(ThingJson.of(thing), JsonPointer.of("/features"), JsonObject.of("{\"a\":{\"properties\":{}}}"));
            assertPartsSameAsDitto(ThingJson.of(thing), JsonPointer.of("/features/a/properties"), JsonObject.of("{\"x\":1}"));
        }
    }

    @Test
    void aMergeBelowAFeatureRebuildsOnlyThatFeatureAndLeavesTheOthersAsTheyWere() {
        ThingJson parts = ThingJson.of(PUMP);

        ThingJson merged = ThingMergePatches.applyAt(parts, JsonPointer.of("/features/vibration/properties"),
                JsonObject.of("{\"rms\":9}")).orElseThrow();

        assertThat(merged.featureIds()).containsExactly("vibration", "motor", "flow", "bare");
        assertThat(merged.feature("motor").orElseThrow()).isSameAs(parts.feature("motor").orElseThrow());
        assertThat(merged.feature("vibration").orElseThrow().toString())
                .isEqualTo("{\"properties\":{\"rms\":9,\"seq\":1,\"ts\":\"t0\"},\"definition\":[\"plant:vibration:1.0.0\"]}");
        assertThat(merged.topLevel("policyId")).contains(JsonValue.of("plant.a:pump-1"));
    }

    /** Things with features as devices and analytics write them, merged again and again, each step against Ditto's merge. */
    @Test
    void manyRandomMergesInARowOfAThingHeldInPartsGiveDittosResultEachTime() {
        Random random = new Random(1713);
        int featureLevel = 0;
        for (int run = 0; run < 400; run++) {
            JsonObject features = randomObject(random, 4);
            ThingJson parts = ThingJson.of(randomObject(random, 3).setValue(JsonKey.of("features"), features));
            for (int step = 0; step < 25; step++) {
                JsonObject whole = parts.whole();
                JsonPointer path = random.nextInt(3) == 0 ? randomPath(random, whole)
                        : JsonPointer.of("/features").append(randomPath(random, whole.getValue("features")
                                .filter(JsonValue::isObject).map(JsonValue::asObject).orElse(JsonObject.empty())));
                if (path.getLevelCount() > 0 && path.get(0).orElseThrow().toString().equals("features")) {
                    featureLevel++;
                }
                JsonValue patch = path.isEmpty() ? randomObject(random, 3) : randomValue(random, 3);
                assertPartsSameAsDitto(parts, path, patch);
                Optional<ThingJson> next = ThingMergePatches.applyAt(parts, path, patch);
                if (next.isPresent()) {
                    parts = next.get();
                }
            }
        }
        assertThat(featureLevel).isGreaterThan(5_000);
    }

    /** Plain keys, and keys a pointer would read otherwise (a slash, an escape, a blank, a placeholder's braces). */
    @Test
    void theFieldWiseMergeOfManyRandomValuesIsDittosMergeTextIncluded() {
        Random random = new Random(1607);
        int wide = 0;
        for (int i = 0; i < 50_000; i++) {
            JsonValue target = random.nextInt(5) == 0 ? randomValue(random, 3) : randomObject(random, 4);
            JsonValue patch = random.nextInt(5) == 0 ? randomValue(random, 3) : randomObject(random, 4);
            if (random.nextInt(3) == 0 && target.isObject() && patch.isObject()) {
                // the patch names the target's own keys, as a device's reading names its properties
                patch = renamedLike(random, patch.asObject(), target.asObject());
            }
            JsonValue expected = JsonMergePatch.of(patch).applyOn(target);

            JsonValue merged = ThingMergePatches.mergeValues(patch, target);

            if ((patch.isObject() && patch.asObject().getSize() > 8) || (target.isObject() && target.asObject().getSize() > 8)) {
                wide++;
            }
            assertThat(merged).as("merge of %s into %s", patch, target).isEqualTo(expected);
            assertThat(merged.toString()).as("text of the merge of %s into %s", patch, target)
                    .isEqualTo(expected.toString());
        }
        // objects with more fields than the merge compares one by one were among them
        assertThat(wide).isGreaterThan(2_000);
    }

    /** The patch's values under keys of the target where there are enough (so that most patch keys meet a value). */
    private static JsonObject renamedLike(Random random, JsonObject patch, JsonObject target) {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        var targetKeys = target.getKeys();
        for (var field : patch) {
            JsonKey key = targetKeys.isEmpty() || random.nextInt(4) == 0 ? field.getKey()
                    : targetKeys.get(random.nextInt(targetKeys.size()));
            builder.set(org.eclipse.ditto.json.JsonField.newInstance(key, field.getValue()));
        }
        return builder.build();
    }

    private static final String[] KEYS = {"a", "b", "c", "features", "properties", "x", "thingId", "a/b", "/c", "~1",
            "~0d", " ", "{{ /x/ }}", "d", "e", "f", "g", "h", "i"};

    /** Mostly a path along the thing's existing objects, sometimes off them, 0 to 5 levels. */
    private static JsonPointer randomPath(Random random, JsonObject thing) {
        JsonPointer path = JsonPointer.empty();
        JsonValue here = thing;
        int levels = random.nextInt(6);
        for (int i = 0; i < levels; i++) {
            JsonKey key;
            if (here.isObject() && !here.asObject().isEmpty() && random.nextInt(4) > 0) {
                var keys = here.asObject().getKeys();
                key = keys.get(random.nextInt(keys.size()));
            } else {
                key = JsonKey.of(KEYS[random.nextInt(KEYS.length)]);
            }
            path = path.addLeaf(key);
            here = here.isObject() ? here.asObject().getValue(key).orElse(JsonValue.nullLiteral()) : JsonValue.nullLiteral();
        }
        return path;
    }

    private static JsonObject randomObject(Random random, int depth) {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        // mostly a few fields (searched field by field by the merge), sometimes more than it searches that way
        int fields = random.nextInt(8) == 0 ? 12 + random.nextInt(9) : random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            // set as a field: setting by key would read a key with a slash as a pointer
            builder.set(org.eclipse.ditto.json.JsonField.newInstance(JsonKey.of(KEYS[random.nextInt(KEYS.length)]),
                    randomValue(random, depth - 1)));
        }
        return builder.build();
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> JsonValue.nullLiteral();
            case 1 -> JsonValue.of(random.nextInt(100));
            case 2 -> JsonValue.of(random.nextDouble());
            case 3 -> JsonValue.of(random.nextBoolean());
            case 4 -> JsonValue.of("s" + random.nextInt(10));
            case 5 -> random.nextInt(4) == 0 ? JsonFactory.nullObject() : JsonObject.empty();
            case 6 -> JsonArray.of(randomValue(random, depth - 1), randomValue(random, depth - 1));
            default -> randomObject(random, depth);
        };
    }
}
