package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a change of a thing records per feature: the features it changed, with their properties after it. */
class FeatureHistoryEntryTest {

    private static final ThingId THING = ThingId.of("plant.m:pump-1");
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static List<FeatureHistoryEntry> changes(String before, String after) {
        return FeatureHistoryEntry.changes(THING, 7, AT, JsonObject.of(before), JsonObject.of(after));
    }

    @Test
    void anUnchangedFeatureIsNoEntry() {
        assertThat(changes("{\"features\":{\"a\":{\"properties\":{\"x\":1}}}}",
                "{\"attributes\":{\"n\":2},\"features\":{\"a\":{\"properties\":{\"x\":1}}}}")).isEmpty();
    }

    @Test
    void aRemovedFeatureIsNoEntry() {
        assertThat(changes("{\"features\":{\"a\":{\"properties\":{\"x\":1}}}}", "{\"features\":{}}")).isEmpty();
        assertThat(changes("{\"features\":{\"a\":{}}}", "{}")).isEmpty();
    }

    @Test
    void aChangeOutsideThePropertiesIsAnEntryWithTheUnchangedProperties() {
        assertThat(changes("{\"features\":{\"a\":{\"properties\":{\"x\":1}}}}",
                "{\"features\":{\"a\":{\"definition\":[\"d:e:1\"],\"properties\":{\"x\":1}}}}"))
                .containsExactly(new FeatureHistoryEntry(THING, "a", 7, AT, JsonObject.of("{\"x\":1}")));
    }

    @Test
    void aFeatureThatIsNoObjectOrHasNoPropertiesHasEmptyProperties() {
        assertThat(changes("{}", "{\"features\":{\"a\":{},\"b\":{\"properties\":3}}}"))
                .containsExactly(new FeatureHistoryEntry(THING, "a", 7, AT, JsonObject.empty()),
                        new FeatureHistoryEntry(THING, "b", 7, AT, JsonObject.empty()));
    }

    @Test
    void changedAndNewFeaturesAreEntriesInFeatureIdOrder() {
        assertThat(changes("{\"features\":{\"z\":{\"properties\":{\"x\":1}},\"m\":{\"properties\":{\"y\":1}}}}",
                "{\"features\":{\"z\":{\"properties\":{\"x\":2}},\"m\":{\"properties\":{\"y\":1}},"
                        + "\"b\":{\"properties\":{\"w\":0}}}}"))
                .containsExactly(new FeatureHistoryEntry(THING, "b", 7, AT, JsonObject.of("{\"w\":0}")),
                        new FeatureHistoryEntry(THING, "z", 7, AT, JsonObject.of("{\"x\":2}")));
    }
}
