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
}
