package io.twinworks.analytics.ditto;

import io.twinworks.analytics.model.HealthState;
import io.twinworks.analytics.model.Prediction;
import io.twinworks.analytics.model.SignalBaseline;
import io.twinworks.analytics.model.TwinSnapshot;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionPropertiesTest {

    @Test
    void writtenPropertiesRestoreTheSnapshotTheyCarry() {
        Prediction prediction = new Prediction(0.97, HealthState.ALARM, OptionalDouble.of(42.5), "m", "1", 17,
                Instant.parse("2026-11-25T12:00:00Z"),
                Map.of("vibration/rms", new SignalBaseline(1.01, 0.04, 30), "engine/s2", new SignalBaseline(642.1, 0.5, 10)));
        JsonObject properties = DittoTwinConnection.toProperties(prediction);
        assertThat(properties.getValue("baselines/vibration/rms/mean")).contains(JsonFactory.newValue(1.01));

        TwinSnapshot snapshot = DittoTwinConnection.snapshotOf(properties).orElseThrow();
        assertThat(snapshot.healthState()).isEqualTo(HealthState.ALARM);
        assertThat(snapshot.rulCycles()).hasValue(42.5);
        assertThat(snapshot.basedOnRevision()).isEqualTo(17);
        assertThat(snapshot.baselines()).isEqualTo(prediction.baselines());
    }

    @Test
    void theNoveltyRangeTravelsWithTheBaselineAndComesBack() {
        SignalBaseline withRange = new SignalBaseline(1.01, 0.04, 30, 0.82, 1.31, 5_000);
        Prediction prediction = new Prediction(0.1, HealthState.OK, OptionalDouble.empty(), "m", "1", 18,
                Instant.parse("2026-11-25T12:00:00Z"), Map.of("vibration/rms", withRange, "flow/value", new SignalBaseline(5, 1, 10)));
        JsonObject properties = DittoTwinConnection.toProperties(prediction);
        assertThat(properties.getValue("baselines/vibration/rms/max")).contains(JsonFactory.newValue(1.31));
        assertThat(properties.getValue("baselines/vibration/rms/rows")).contains(JsonFactory.newValue(5_000));
        assertThat(properties.getValue("baselines/flow/value/rows")).isEmpty();

        TwinSnapshot snapshot = DittoTwinConnection.snapshotOf(properties).orElseThrow();
        assertThat(snapshot.baselines()).isEqualTo(prediction.baselines());
    }

    @Test
    void aRangeWhoseMinimumIsAboveItsMaximumMakesTheSnapshotUnusable() {
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject(
                "{\"healthState\":\"ok\",\"baselines\":{\"a\":{\"b\":{\"mean\":1,\"sd\":1,\"n\":5,\"min\":3,\"max\":2,\"rows\":9}}}}"))).isEmpty();
    }

    @Test
    void theLearnedDetectorStateTravelsNestedBySignalAndComesBack() {
        io.twinworks.analytics.model.LearnedBaseline learned = new io.twinworks.analytics.model.LearnedBaseline(
                3.01, 0.71, 100, 0.812345678, 0.79, 0.0213, 4711);
        Prediction prediction = new Prediction(0.2, HealthState.OK, OptionalDouble.empty(), "m", "1", 230,
                Instant.parse("2026-11-25T12:00:00Z"), Map.of("vibration/rms", new SignalBaseline(3.0, 0.7, 10)),
                Map.of("vibration/rms", learned));
        JsonObject properties = DittoTwinConnection.toProperties(prediction);
        assertThat(properties.getValue("learnedBaselines/vibration/rms/scored")).contains(JsonFactory.newValue(4711));
        assertThat(properties.getValue("learnedBaselines/vibration/rms/err")).contains(JsonFactory.newValue(0.812346));

        TwinSnapshot snapshot = DittoTwinConnection.snapshotOf(properties).orElseThrow();
        assertThat(snapshot.baselines()).isEqualTo(prediction.baselines());
        assertThat(snapshot.learnedBaselines()).containsOnlyKeys("vibration/rms");
        assertThat(snapshot.learnedBaselines().get("vibration/rms")).isEqualTo(new io.twinworks.analytics.model.LearnedBaseline(
                3.01, 0.71, 100, 0.812346, 0.79, 0.0213, 4711));
    }

    @Test
    void aWriteWithoutTheSnapshotNamesNoBaselinesAndMergedOntoTheTwinKeepsItsLastSnapshot() {
        io.twinworks.analytics.model.LearnedBaseline learned = new io.twinworks.analytics.model.LearnedBaseline(
                3.01, 0.71, 100, 0.8, 0.79, 0.0213, 4711);
        Prediction withSnapshot = new Prediction(0.2, HealthState.OK, OptionalDouble.of(120), "m", "4", 230,
                Instant.parse("2026-11-25T12:00:00Z"), Map.of("vibration/rms", new SignalBaseline(3.0, 0.7, 10)),
                Map.of("vibration/rms", learned));
        JsonObject twin = DittoTwinConnection.toProperties(withSnapshot);
        Prediction later = new Prediction(0.9, HealthState.ALARM, OptionalDouble.empty(), "m", "4", 260,
                Instant.parse("2026-11-25T12:00:30Z"), Map.of("vibration/rms", new SignalBaseline(9.0, 9.0, 99)),
                Map.of()).withoutSnapshot();

        JsonObject patch = DittoTwinConnection.toProperties(later);
        assertThat(patch.getKeys()).extracting(Object::toString).containsExactlyInAnyOrder(
                "anomalyScore", "healthState", "model", "modelVersion", "basedOnRevision", "computedAt", "rulCycles");
        JsonObject merged = org.eclipse.ditto.json.JsonMergePatch.of(patch).applyOn(twin).asObject();
        TwinSnapshot restored = DittoTwinConnection.snapshotOf(merged).orElseThrow();
        assertThat(restored.healthState()).isEqualTo(HealthState.ALARM);
        assertThat(restored.basedOnRevision()).isEqualTo(260);
        assertThat(restored.rulCycles()).isEmpty();
        assertThat(restored.baselines()).isEqualTo(withSnapshot.baselines());
        assertThat(restored.learnedBaselines()).containsOnlyKeys("vibration/rms");
    }

    @Test
    void aPredictionMarkedWithoutSnapshotCannotCarryBaselines() {
        assertThatThrownBy(() -> new Prediction(0.2, HealthState.OK, OptionalDouble.empty(), "m", "4", 1,
                Instant.parse("2026-11-25T12:00:00Z"), Map.of("vibration/rms", new SignalBaseline(3.0, 0.7, 10)),
                Map.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without the hand-over snapshot");
    }

    @Test
    void aLearnedStateWithAMissingOrNegativeFieldMakesTheSnapshotUnusable() {
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject("{\"healthState\":\"ok\",\"learnedBaselines\":{\"a\":{\"b\":"
                + "{\"mean\":1,\"sd\":1,\"n\":100,\"err\":0.8,\"errMean\":0.8,\"scored\":3}}}}"))).isEmpty();
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject("{\"healthState\":\"ok\",\"learnedBaselines\":{\"a\":{\"b\":"
                + "{\"mean\":1,\"sd\":1,\"n\":100,\"err\":0.8,\"errMean\":0.8,\"errVar\":-1,\"scored\":3}}}}"))).isEmpty();
    }

    @Test
    void predictionsWithoutBaselinesRestoreHealthOnlyAndGarbageRestoresNothing() {
        TwinSnapshot snapshot = DittoTwinConnection.snapshotOf(JsonFactory.newObject("{\"healthState\":\"ok\",\"rulCycles\":null}")).orElseThrow();
        assertThat(snapshot.healthState()).isEqualTo(HealthState.OK);
        assertThat(snapshot.rulCycles()).isEmpty();
        assertThat(snapshot.baselines()).isEmpty();
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject("{\"healthState\":\"on fire\"}"))).isEmpty();
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject(
                "{\"healthState\":\"ok\",\"baselines\":{\"a\":{\"b\":{\"mean\":1,\"sd\":-1,\"n\":5}}}}"))).isEmpty();
    }

    @Test
    void theContextMemoryTravelsWithTheBaselineAndComesBackUnchanged() {
        int[] table = new int[256];
        table[3] = 0x7ABCD401;
        table[255] = -12_288;
        io.twinworks.analytics.model.ContextMemory memory = new io.twinworks.analytics.model.ContextMemory(table, 0x12345L, 900, 0.0625, 0.0123);
        SignalBaseline withContext = new SignalBaseline(1.01, 0.04, 30, 0.82, 1.31, 5_000, memory);
        Prediction prediction = new Prediction(0.1, HealthState.OK, OptionalDouble.empty(), "m", "4", 18,
                Instant.parse("2026-11-25T12:00:00Z"), Map.of("vibration/rms", withContext));
        JsonObject properties = DittoTwinConnection.toProperties(prediction);
        assertThat(properties.getValue("baselines/vibration/rms/ctx/table").orElseThrow().asString()).hasSize(1_368);

        TwinSnapshot snapshot = DittoTwinConnection.snapshotOf(properties).orElseThrow();
        assertThat(snapshot.baselines().get("vibration/rms").context()).isEqualTo(memory);
    }

    @Test
    void aSnapshotWrittenBeforeTheContextMemoryStillRestoresItsRange() {
        TwinSnapshot snapshot = DittoTwinConnection.snapshotOf(JsonFactory.newObject(
                "{\"healthState\":\"ok\",\"modelVersion\":\"3\",\"baselines\":{\"a\":{\"b\":{\"mean\":1,\"sd\":1,\"n\":5,\"min\":0,\"max\":2,\"rows\":9}}}}"))
                .orElseThrow();
        assertThat(snapshot.baselines().get("a/b").hasRange()).isTrue();
        assertThat(snapshot.baselines().get("a/b").hasContext()).isFalse();
    }

    @Test
    void aContextMemoryThatIsNotBase64OrNotWholeIntsOrLacksAFieldMakesTheSnapshotUnusable() {
        String prefix = "{\"healthState\":\"ok\",\"baselines\":{\"a\":{\"mean\":1,\"sd\":1,\"n\":5,\"min\":0,\"max\":2,\"rows\":9,\"ctx\":";
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject(prefix
                + "{\"table\":\"not base64!\",\"history\":0,\"points\":1,\"mean\":0,\"var\":0}}}}"))).isEmpty();
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject(prefix
                + "{\"table\":\"AAAAAAA=\",\"history\":0,\"points\":1,\"mean\":0,\"var\":0}}}}"))).isEmpty();
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject(prefix
                + "{\"table\":\"AAAAAA==\",\"history\":0,\"mean\":0,\"var\":0}}}}"))).isEmpty();
        assertThat(DittoTwinConnection.snapshotOf(JsonFactory.newObject(prefix
                + "{\"table\":\"AAAAAA==\",\"history\":0,\"points\":1,\"mean\":0,\"var\":-1}}}}"))).isEmpty();
    }
}
