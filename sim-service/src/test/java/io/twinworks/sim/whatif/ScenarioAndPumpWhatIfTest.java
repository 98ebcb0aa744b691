package io.twinworks.sim.whatif;

import io.twinworks.sim.model.FaultType;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioAndPumpWhatIfTest {

    private static Scenario parse(String json) throws InvalidScenarioException {
        return Scenario.parse(json, 4.5, 8760);
    }

    @Test
    void minimalScenarioGetsDefaults() throws Exception {
        Scenario scenario = parse("{\"horizonHours\":72}");
        assertThat(scenario.loadFactor()).isEqualTo(1.0);
        assertThat(scenario.vibrationLimitMmS()).isEqualTo(4.5);
        assertThat(scenario.faults()).isEmpty();
    }

    @Test
    void faultsAreReadWithTheirSignal() throws Exception {
        Scenario scenario = parse("{\"horizonHours\":72,\"faults\":[{\"type\":\"sealLeak\",\"atHours\":10,\"severity\":0.4},"
                + "{\"type\":\"stuckSensor\",\"signal\":\"temperature\",\"atHours\":5}]}");
        assertThat(scenario.faults()).extracting(fault -> fault.type())
                .containsExactly(FaultType.SEAL_LEAK, FaultType.STUCK_SENSOR);
        assertThat(scenario.toJson().getJsonArray("faults").getJsonObject(1).getString("signal")).isEqualTo("temperature");
    }

    @Test
    void invalidScenariosAreRefusedWithAReason() {
        assertThatThrownBy(() -> parse(null)).hasMessageContaining("no payload");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("horizonHours is required");
        assertThatThrownBy(() -> parse("{\"horizonHours\":\"72\"}")).hasMessageContaining("horizonHours must be a number");
        assertThatThrownBy(() -> parse("{\"horizonHours\":0}")).hasMessageContaining("horizonHours must be within");
        assertThatThrownBy(() -> parse("{\"horizonHours\":9000}")).hasMessageContaining("horizonHours must be within");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"loadFactor\":2}")).hasMessageContaining("loadFactor");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"vibrationLimitMmS\":-1}")).hasMessageContaining("vibrationLimitMmS");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"wearPerHour\":5}")).hasMessageContaining("wearPerHour");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"rpm\":5}")).hasMessageContaining("unknown scenario field 'rpm'");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"faults\":{}}")).hasMessageContaining("faults must be an array");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"faults\":[1]}")).hasMessageContaining("faults[0] must be an object");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"faults\":[{\"type\":\"fire\"}]}")).hasMessageContaining("faults[0].type");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"faults\":[{\"type\":\"sensorDrift\"}]}")).hasMessageContaining("needs the signal");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"faults\":[{\"type\":\"sealLeak\",\"atHours\":2}]}")).hasMessageContaining("beyond the horizon");
        assertThatThrownBy(() -> parse("{\"horizonHours\":1,\"faults\":[{\"type\":\"sealLeak\",\"colour\":2}]}")).hasMessageContaining("unknown field 'colour'");
    }

    @Test
    void runningHarderReachesTheLimitSooner() throws Exception {
        PumpWhatIf.TwinState twin = new PumpWhatIf.TwinState(2.6, OptionalDouble.of(49), OptionalDouble.of(0.05));
        double nominal = PumpWhatIf.run(parse("{\"horizonHours\":200}"), twin).timeToThresholdHours().orElseThrow();
        double harder = PumpWhatIf.run(parse("{\"horizonHours\":200,\"loadFactor\":1.2}"), twin).timeToThresholdHours().orElseThrow();
        double gentler = PumpWhatIf.run(parse("{\"horizonHours\":200,\"loadFactor\":0.8}"), twin).timeToThresholdHours().orElseThrow();
        assertThat(harder).isLessThan(nominal);
        assertThat(gentler).isGreaterThan(nominal);
    }

    @Test
    void aLongHorizonEndsAtTheTripWithTheTimeToFailureAndBoundedValues() throws Exception {
        PumpWhatIf.TwinState twin = new PumpWhatIf.TwinState(2.6, OptionalDouble.of(49), OptionalDouble.of(0.05));
        PumpWhatIf.Result result = PumpWhatIf.run(parse("{\"horizonHours\":8760}"), twin);

        // wear 0.25 → 1 at 0.05/h: (1+2w)·e^{0.1 t} = 3  →  t = ln(3/1.5)/0.1 = 6.93 h
        assertThat(result.timeToFailureHours().orElseThrow()).isCloseTo(Math.log(2) / 0.1, org.assertj.core.api.Assertions.within(0.01));
        assertThat(result.timeToThresholdHours().orElseThrow()).isLessThan(result.timeToFailureHours().orElseThrow());
        var last = result.trajectory().getJsonObject(result.trajectory().size() - 1);
        assertThat(last.getBoolean("running")).isFalse();
        assertThat(last.getDouble("hours")).isEqualTo(result.timeToFailureHours().orElseThrow());
        assertThat(result.summary().getJsonObject("vibrationRms").getDouble("max")).isLessThan(1.1 + 6 + 0.01);
        assertThat(result.summary().getBoolean("runningAtEnd")).isFalse();
    }

    @Test
    void aPumpThatDoesNotFailWithinTheHorizonHasNoTimeToFailure() throws Exception {
        PumpWhatIf.TwinState healthy = new PumpWhatIf.TwinState(1.2, OptionalDouble.empty(), OptionalDouble.empty());
        PumpWhatIf.Result result = PumpWhatIf.run(parse("{\"horizonHours\":72}"), healthy);
        assertThat(result.timeToFailureHours()).isEmpty();
        assertThat(result.trajectory()).hasSize(24);
        assertThat(result.summary().getBoolean("runningAtEnd")).isTrue();
    }

    @Test
    void slowWearDoesNotCrossWithinTheHorizonAndAnAlarmedPumpCrossesAtOnce() throws Exception {
        PumpWhatIf.TwinState healthy = new PumpWhatIf.TwinState(1.2, OptionalDouble.empty(), OptionalDouble.empty());
        assertThat(PumpWhatIf.run(parse("{\"horizonHours\":72}"), healthy).timeToThresholdHours()).isEmpty();
        PumpWhatIf.TwinState alarmed = new PumpWhatIf.TwinState(5.0, OptionalDouble.empty(), OptionalDouble.empty());
        assertThat(PumpWhatIf.run(parse("{\"horizonHours\":72}"), alarmed).timeToThresholdHours()).hasValue(0.0);
    }

    @Test
    void bearingDefectInTheScenarioBringsTheCrossingForward() throws Exception {
        PumpWhatIf.TwinState twin = new PumpWhatIf.TwinState(2.6, OptionalDouble.of(49), OptionalDouble.of(0.01));
        PumpWhatIf.Result plain = PumpWhatIf.run(parse("{\"horizonHours\":500}"), twin);
        PumpWhatIf.Result defect = PumpWhatIf.run(parse(
                "{\"horizonHours\":500,\"faults\":[{\"type\":\"bearingDefect\",\"atHours\":1,\"severity\":0.8}]}"), twin);
        assertThat(defect.timeToThresholdHours().orElseThrow()).isLessThan(plain.timeToThresholdHours().orElse(500));
        assertThat(defect.trajectory()).hasSize(24);
    }

    @Test
    void whatIfIsDeterministic() throws Exception {
        PumpWhatIf.TwinState twin = new PumpWhatIf.TwinState(2.6, OptionalDouble.of(49), OptionalDouble.of(0.05));
        Scenario scenario = parse("{\"horizonHours\":72,\"loadFactor\":1.1}");
        assertThat(PumpWhatIf.run(scenario, twin)).isEqualTo(PumpWhatIf.run(scenario, twin));
    }
}
