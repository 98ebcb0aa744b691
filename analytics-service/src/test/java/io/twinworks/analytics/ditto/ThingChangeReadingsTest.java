package io.twinworks.analytics.ditto;

import io.twinworks.analytics.model.Reading;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ThingChangeReadingsTest {

    private final ThingChangeReadings extractor = new ThingChangeReadings(Set.of("vibration/rms", "temperature/value"));

    @Test
    void mergeAtFeaturesYieldsEveryMonitoredNumber() {
        JsonValue value = JsonFactory.readFrom("{\"vibration\":{\"properties\":{\"rms\":1.2,\"seq\":7,\"ts\":\"x\"}},"
                + "\"temperature\":{\"properties\":{\"value\":51.5}},\"predictions\":{\"properties\":{\"anomalyScore\":0.1}}}");
        List<Reading> readings = extractor.readings("plant.a:pump-1", JsonPointer.of("/features"), value, 9);
        assertThat(readings).containsExactlyInAnyOrder(
                new Reading("plant.a:pump-1", "vibration/rms", 1.2, 9),
                new Reading("plant.a:pump-1", "temperature/value", 51.5, 9));
    }

    @Test
    void singlePropertyChangeYieldsOneReading() {
        List<Reading> readings = extractor.readings("plant.a:pump-1",
                JsonPointer.of("/features/vibration/properties/rms"), JsonValue.of(0.8), 3);
        assertThat(readings).containsExactly(new Reading("plant.a:pump-1", "vibration/rms", 0.8, 3));
    }

    @Test
    void nonNumericAndUnmonitoredValuesYieldNothing() {
        assertThat(extractor.readings("a:b", JsonPointer.of("/features/vibration/properties/rms"), JsonValue.of("high"), 1)).isEmpty();
        assertThat(extractor.readings("a:b", JsonPointer.of("/attributes/rms"), JsonValue.of(1.0), 1)).isEmpty();
        assertThat(extractor.readings("a:b", JsonPointer.of("/features/vibration/properties/seq"), JsonValue.of(3), 1)).isEmpty();
    }

    @Test
    void aChangeOfTheWholeThingOrOfAFeatureYieldsItsMonitoredNumbers() {
        JsonValue thing = JsonFactory.readFrom("{\"thingId\":\"a:b\",\"attributes\":{\"rms\":2},"
                + "\"features\":{\"vibration\":{\"properties\":{\"rms\":1.5},\"desiredProperties\":{\"rms\":9}}}}");
        assertThat(extractor.readings("a:b", JsonPointer.empty(), thing, 4))
                .containsExactly(new Reading("a:b", "vibration/rms", 1.5, 4));
        assertThat(extractor.readings("a:b", JsonPointer.of("/features/vibration"),
                JsonFactory.readFrom("{\"properties\":{\"rms\":0.5}}"), 5))
                .containsExactly(new Reading("a:b", "vibration/rms", 0.5, 5));
    }

    @Test
    void aNestedSignalIsReadOnlyAtItsOwnDepth() {
        ThingChangeReadings nested = new ThingChangeReadings(Set.of("drive/speed/actual", "drive/speed", "drive"));
        JsonValue value = JsonFactory.readFrom("{\"speed\":{\"actual\":1450,\"set\":1500}}");

        assertThat(nested.readings("a:b", JsonPointer.of("/features/drive/properties"), value, 2))
                .containsExactly(new Reading("a:b", "drive/speed/actual", 1450, 2));
        assertThat(nested.readings("a:b", JsonPointer.of("/features/drive/properties/speed"), JsonValue.of(3), 2))
                .containsExactly(new Reading("a:b", "drive/speed", 3, 2));
        assertThat(nested.readings("a:b", JsonPointer.of("/features/drive"), JsonValue.of(3), 2))
                .as("a bare feature ID names no property").isEmpty();
    }

    /** The readings as the string paths of the change name them: the reference the signal tree must agree with. */
    private static List<Reading> byStringPaths(Set<String> signals, String thingId, String path, JsonValue value,
                                               long revision) {
        List<Reading> out = new java.util.ArrayList<>();
        if (value.isObject()) {
            value.asObject().getKeys().forEach(key -> out.addAll(byStringPaths(signals, thingId,
                    (path.endsWith("/") ? path : path + "/") + key, value.asObject().getValue(key).orElseThrow(),
                    revision)));
            return out;
        }
        String[] parts = path.split("/");
        if (value.isNumber() && parts.length >= 5 && "features".equals(parts[1]) && "properties".equals(parts[3])) {
            String signal = parts[2] + "/" + String.join("/", java.util.Arrays.copyOfRange(parts, 4, parts.length));
            if (signals.contains(signal)) {
                out.add(new Reading(thingId, signal, value.asDouble(), revision));
            }
        }
        return out;
    }

    @Test
    void everyRandomChangeYieldsWhatItsStringPathsName() {
        java.util.Random random = new java.util.Random(16);
        String[] keys = {"features", "properties", "vibration", "rms", "temperature", "value", "drive", "speed",
                "actual", "attributes"};
        Set<String> signals = Set.of("vibration/rms", "temperature/value", "drive/speed/actual", "drive/speed",
                "vibration/properties");
        ThingChangeReadings tree = new ThingChangeReadings(signals);
        int withReadings = 0;
        String[][] shapes = {{"features", "vibration", "properties", "rms"},
                {"features", "temperature", "properties", "value"}, {"features", "drive", "properties", "speed", "actual"},
                {"features", "vibration", "properties"}, {"attributes", "vibration", "properties", "rms"}};
        for (int trial = 0; trial < 20_000; trial++) {
            // a monitored (or nearly monitored) signal's path, cut at a random level: the path above the cut, the
            // rest nested in the value, a key now and then replaced, siblings and odd values beside it
            String[] shape = shapes[random.nextInt(shapes.length)].clone();
            for (int i = 0; i < shape.length; i++) {
                if (random.nextInt(12) == 0) {
                    shape[i] = keys[random.nextInt(keys.length)];
                }
            }
            int cut = random.nextInt(shape.length + 1);
            StringBuilder path = new StringBuilder();
            for (int level = 0; level < cut; level++) {
                path.append('/').append(shape[level]);
            }
            JsonValue value = random.nextInt(8) == 0 ? JsonValue.of("s") : JsonValue.of(random.nextInt(100));
            for (int level = shape.length - 1; level >= cut; level--) {
                org.eclipse.ditto.json.JsonObjectBuilder wrapper = org.eclipse.ditto.json.JsonObject.newBuilder();
                if (random.nextBoolean()) {
                    wrapper.set(keys[random.nextInt(keys.length)], randomValue(random, keys, 2));
                }
                wrapper.set(shape[level], value);
                value = wrapper.build();
            }
            JsonPointer pointer = path.length() == 0 ? JsonPointer.empty() : JsonPointer.of(path.toString());
            List<Reading> expected = byStringPaths(signals, "a:b", path.length() == 0 ? "/" : path.toString(), value,
                    trial);

            assertThat(tree.readings("a:b", pointer, value, trial))
                    .as("change of %s at '%s'", value, path).containsExactlyInAnyOrderElementsOf(expected);
            withReadings += expected.isEmpty() ? 0 : 1;
        }
        assertThat(withReadings).as("changes that name a monitored number").isGreaterThan(100);
    }

    private static JsonValue randomValue(java.util.Random random, String[] keys, int depth) {
        if (depth > 4 || random.nextInt(3) == 0) {
            return random.nextBoolean() ? JsonValue.of(random.nextInt(100)) : JsonValue.of("s");
        }
        org.eclipse.ditto.json.JsonObjectBuilder object = org.eclipse.ditto.json.JsonObject.newBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            object.set(keys[random.nextInt(keys.length)], randomValue(random, keys, depth + 1));
        }
        return object.build();
    }
}
