package io.twinworks.sim.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingPayloadValidator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayedEngineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void recordedUnitIsTheRunToFailureOfOneEngineInCycleOrder() throws IOException {
        List<double[]> unit = ReplayedEngine.recordedUnit(ReplayedEngine.FD001_RESOURCE, 7);
        assertThat(unit).hasSize(259);
        assertThat(unit.get(0)[1]).isEqualTo(1.0);
        assertThat(unit.get(258)[1]).isEqualTo(259.0);
        assertThat(unit).allSatisfy(row -> assertThat(row[0]).isEqualTo(7.0));
        assertThat(CmapssData.readResource(ReplayedEngine.FD001_RESOURCE)).hasSize(100);
    }

    @Test
    void everyRecordedCycleMergedIntoATurbofanTwinSatisfiesItsThingModel() throws IOException {
        ThingPayloadValidator validator = new ThingPayloadValidator(ThingModelCatalog.fromClasspath());
        for (double[] cycle : ReplayedEngine.recordedUnit(ReplayedEngine.FD001_RESOURCE, 7)) {
            JsonNode merge = MAPPER.readTree(ReplayedEngine.mergeCommand("plant.a:engine-1", cycle, Instant.EPOCH));
            assertThat(merge.get("topic").asText()).isEqualTo("plant.a/engine-1/things/twin/commands/merge");
            ObjectNode thing = MAPPER.createObjectNode()
                    .put("thingId", "plant.a:engine-1")
                    .put("definition", "https://twinworks.io/models/turbofan-engine-1.0.0.tm.jsonld");
            thing.putObject("attributes").put("tenant", "plant.a").put("unit", 7);
            ObjectNode features = thing.putObject("features");
            merge.get("value").fields().forEachRemaining(f -> {
                ObjectNode feature = features.putObject(f.getKey());
                feature.putArray("definition").add("https://twinworks.io/models/"
                        + (f.getKey().equals("sensors") ? "turbofan-sensors" : "turbofan-operating-settings") + "-1.0.0.tm.jsonld");
                feature.set("properties", f.getValue().get("properties"));
            });
            // the provisioned twin has the other features (predictions, simulation); the replay sends these two
            assertThat(validator.validate(thing).stream()
                    .filter(v -> !v.path().equals("/features/predictions") && !v.path().equals("/features/simulation")))
                    .as("cycle %s", cycle[1]).isEmpty();
        }
    }

    @Test
    void sensorsAreSentByTheirPhysicalNamesWithTheRecordedValues() throws IOException {
        double[] first = ReplayedEngine.recordedUnit(ReplayedEngine.FD001_RESOURCE, 7).get(0);
        JsonNode sensors = MAPPER.readTree(ReplayedEngine.mergeCommand("plant.a:engine-1", first, Instant.EPOCH))
                .get("value").get("sensors").get("properties");
        assertThat(sensors.get("T24").asDouble()).isEqualTo(first[6]);   // s2
        assertThat(sensors.get("Ps30").asDouble()).isEqualTo(first[15]); // s11
        assertThat(sensors.get("cycle").asInt()).isEqualTo(1);
    }

    @Test
    void aMissingResourceOrUnitIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ReplayedEngine.recordedUnit("/cmapss/nope.txt", 1)).hasMessageContaining("/cmapss/nope.txt");
        assertThatThrownBy(() -> ReplayedEngine.recordedUnit(ReplayedEngine.FD001_RESOURCE, 101)).hasMessageContaining("no unit 101");
    }

    @Test
    void rejectsAnEmptyReplayMalformedCyclesAndWrongRates() {
        ReplayedEngine.FleetDevice device = new ReplayedEngine.FleetDevice("plant.a:engine-1", "engine-1", "secret");
        assertThatIllegalArgumentException().isThrownBy(() -> new ReplayedEngine("tcp://x:1", "plant.a", device, List.of(), 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReplayedEngine("tcp://x:1", "plant.a", device, List.of(new double[3]), 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReplayedEngine("tcp://x:1", "plant.a", device, List.of(new double[26]), 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReplayedEngine.FleetDevice("engine-1", "engine-1", "secret"));
    }
}
