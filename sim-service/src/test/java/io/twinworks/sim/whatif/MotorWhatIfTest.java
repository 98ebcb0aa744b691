package io.twinworks.sim.whatif;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Motor what-if runs: winding temperature forward from the twin's reading. */
class MotorWhatIfTest {

    private static Scenario parse(String json) throws InvalidScenarioException {
        return Scenario.parse(json, 4.5, 8760);
    }

    @Test
    void overloadReachesTheInsulationLimitAndRatedLoadDoesNot() throws Exception {
        OptionalDouble warm = OptionalDouble.of(80);
        MotorWhatIf.Result rated = MotorWhatIf.run(parse("{\"horizonHours\":10}"), warm);
        MotorWhatIf.Result overload = MotorWhatIf.run(parse("{\"horizonHours\":10,\"loadFactor\":1.5,"
                + "\"faults\":[{\"type\":\"bearingDefect\",\"atHours\":0,\"severity\":1}]}"), warm);

        assertThat(rated.timeToThresholdHours()).isEmpty();
        // rated load: 80 K rise over 25 °C ambient
        assertThat(rated.summary().getJsonObject("temperature").getDouble("end")).isBetween(100.0, 110.0);
        assertThat(overload.timeToThresholdHours().orElseThrow()).isBetween(0.1, 5.0);
        assertThat(overload.summary().getJsonObject("temperature").getDouble("max")).isLessThan(250.0);
        assertThat(overload.trajectory()).hasSize(24);
    }

    @Test
    void aLowerLimitIsCrossedSooner() throws Exception {
        OptionalDouble warm = OptionalDouble.of(60);
        double classF = MotorWhatIf.run(parse("{\"horizonHours\":10,\"loadFactor\":1.4}"), warm).timeToThresholdHours().orElseThrow();
        double classB = MotorWhatIf.run(parse("{\"horizonHours\":10,\"loadFactor\":1.4,\"temperatureLimitC\":130}"), warm)
                .timeToThresholdHours().orElseThrow();
        assertThat(classB).isLessThan(classF);
    }

    @Test
    void faultsAMotorCannotHaveAreRefused() {
        assertThatThrownBy(() -> MotorWhatIf.run(parse("{\"horizonHours\":10,\"faults\":[{\"type\":\"sealLeak\",\"atHours\":1}]}"),
                OptionalDouble.of(50))).isInstanceOf(InvalidScenarioException.class).hasMessageContaining("seal");
        assertThatThrownBy(() -> MotorWhatIf.run(parse("{\"horizonHours\":10,\"faults\":[{\"type\":\"sensorDrift\",\"atHours\":1,"
                + "\"signal\":\"vibration\"}]}"), OptionalDouble.of(50))).isInstanceOf(InvalidScenarioException.class)
                .hasMessageContaining("not 'vibration'");
        assertThatThrownBy(() -> parse("{\"horizonHours\":10,\"temperatureLimitC\":400}")).hasMessageContaining("temperatureLimitC");
    }
}
