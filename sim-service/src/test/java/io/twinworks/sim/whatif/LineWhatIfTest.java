package io.twinworks.sim.whatif;

import io.twinworks.sim.line.LineSpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Line scenarios and the line's structure from the twin. */
class LineWhatIfTest {

    private static final JsonObject ATTRIBUTES = new JsonObject("""
            {"tenant":"plant.a","stations":[
              {"name":"a","ratePerHour":20,"mttfHours":10,"mttrHours":1},
              {"name":"b","ratePerHour":15,"cycleTime":"exponential"}],"buffers":[4]}""");

    @Test
    void defaultsFillTheScenarioAndTheTwinGivesTheLine() throws Exception {
        LineWhatIf.LineScenario scenario = LineWhatIf.parse("{\"horizonHours\":100}", 8760);
        assertThat(scenario.warmUpHours()).isEqualTo(10.0);
        assertThat(scenario.seed()).isEqualTo(1);
        LineSpec line = LineWhatIf.line(ATTRIBUTES, scenario);
        assertThat(line.stations()).hasSize(2);
        assertThat(line.stations().get(1).fails()).isFalse();
        assertThat(line.bufferCapacities()).containsExactly(4);

        JsonObject properties = LineWhatIf.run(line, scenario);
        assertThat(properties.getJsonObject("bottleneck").getString("station")).isEqualTo("b");
        assertThat(properties.getDouble("throughputPerHour")).isBetween(10.0, 15.0);
        assertThat(properties.getJsonObject("scenario").encode()).isEqualTo("{\"horizonHours\":100.0,\"warmUpHours\":10.0,\"seed\":1}");
    }

    @Test
    void theScenarioReplacesBuffersAndStations() throws Exception {
        LineWhatIf.LineScenario scenario = LineWhatIf.parse(
                "{\"horizonHours\":50,\"buffers\":[],\"stations\":[{\"name\":\"solo\",\"ratePerHour\":5}]}", 8760);
        LineSpec line = LineWhatIf.line(ATTRIBUTES, scenario);
        assertThat(line.stations()).extracting(s -> s.name()).containsExactly("solo");
        assertThat(LineWhatIf.run(line, scenario).getLong("produced")).isEqualTo(225);
    }

    @Test
    void invalidScenariosNameTheProblem() {
        assertThatThrownBy(() -> LineWhatIf.parse(null, 100)).hasMessageContaining("no payload");
        assertThatThrownBy(() -> LineWhatIf.parse("[1]", 100)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> LineWhatIf.parse("{}", 100)).hasMessageContaining("horizonHours is required");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":101}", 100)).hasMessageContaining("(0, 100.0]");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"seed\":1.5}", 100)).hasMessageContaining("seed");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"buffers\":[1.5]}", 100)).hasMessageContaining("buffers[0]");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"buffers\":\"big\"}", 100)).hasMessageContaining("array");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"stations\":[]}", 100)).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"stations\":[{\"name\":\"a\",\"ratePerHour\":1,\"speed\":2}]}", 100))
                .hasMessageContaining("unknown field 'speed'");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"stations\":[{\"name\":\"a\",\"ratePerHour\":1,\"mttfHours\":2}]}", 100))
                .hasMessageContaining("both mttfHours and mttrHours");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"stations\":[{\"name\":\"a\",\"ratePerHour\":1,\"cycleTime\":\"random\"}]}", 100))
                .hasMessageContaining("deterministic or exponential");
        assertThatThrownBy(() -> LineWhatIf.parse("{\"horizonHours\":10,\"stations\":[{\"ratePerHour\":1}]}", 100))
                .hasMessageContaining("name");
    }

    @Test
    void aTwinWithoutOrWithABrokenStructureIsATwinProblem() throws Exception {
        LineWhatIf.LineScenario scenario = LineWhatIf.parse("{\"horizonHours\":10}", 100);
        assertThatThrownBy(() -> LineWhatIf.line(new JsonObject(), scenario))
                .isInstanceOf(LineWhatIf.LineStructureException.class).hasMessageContaining("no attribute 'stations'");
        assertThatThrownBy(() -> LineWhatIf.line(ATTRIBUTES.copy().put("buffers", new io.vertx.core.json.JsonArray()), scenario))
                .isInstanceOf(LineWhatIf.LineStructureException.class).hasMessageContaining("2 stations need 1 buffers, got 0");
        assertThatThrownBy(() -> LineWhatIf.line(ATTRIBUTES.copy().put("stations", "three"), scenario))
                .isInstanceOf(LineWhatIf.LineStructureException.class).hasMessageContaining("attributes/stations");
    }

    @Test
    void aRunTooLongForAnAnswerIsRefused() throws Exception {
        LineWhatIf.LineScenario scenario = LineWhatIf.parse("{\"horizonHours\":8000}", 8760);
        JsonObject fast = ATTRIBUTES.copy().put("stations", new io.vertx.core.json.JsonArray(
                "[{\"name\":\"a\",\"ratePerHour\":5000},{\"name\":\"b\",\"ratePerHour\":5000}]"));
        assertThatThrownBy(() -> LineWhatIf.line(fast, scenario)).isInstanceOf(InvalidScenarioException.class)
                .hasMessageContaining("shorten horizonHours");
    }
}
