package io.twinworks.sim.fleet;

import io.twinworks.sim.model.PumpModel;
import io.twinworks.sim.model.PumpParameters;
import io.twinworks.sim.model.PumpState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A warm fleet starts at operating temperature, without ageing its pumps or moving their faults. */
class VirtualFleetWarmUpTest {

    private static final List<FleetAsset> ONE_PUMP = FleetAsset.pumps("plant.t", 1, "secret", 0, 0);

    @Test
    void warmPumpsStartNearTheirSteadyTemperatureWithNewBearings() throws Exception {
        try (VirtualFleet cold = new VirtualFleet("tcp://127.0.0.1:1", "plant.t", ONE_PUMP, List.of(), 1, 1);
             VirtualFleet warm = new VirtualFleet("tcp://127.0.0.1:1", "plant.t", ONE_PUMP, List.of(), 1, 1, 3)) {
            PumpState coldStart = modelState(cold);
            PumpState warmStart = modelState(warm);
            PumpModel steady = new PumpModel(PumpParameters.STANDARD, PumpState.fresh(PumpParameters.STANDARD), 1.0, List.of(), 1);
            steady.step(20);

            assertThat(coldStart.temperatureC()).isEqualTo(PumpParameters.STANDARD.ambientC());
            assertThat(warmStart.temperatureC()).isCloseTo(steady.state().temperatureC(), org.assertj.core.data.Offset.offset(0.5))
                    .isGreaterThan(coldStart.temperatureC() + 5);
            assertThat(warmStart.hours()).isZero();
            assertThat(warmStart.bearingWear()).isZero();
        }
    }

    @Test
    void aNegativeOrHugeWarmUpIsRefused() {
        assertThatThrownBy(() -> new VirtualFleet("tcp://127.0.0.1:1", "plant.t", ONE_PUMP, List.of(), 1, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm-up");
        assertThatThrownBy(() -> new VirtualFleet("tcp://127.0.0.1:1", "plant.t", ONE_PUMP, List.of(), 1, 1, 1e9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm-up");
    }

    private static PumpState modelState(VirtualFleet fleet) throws Exception {
        var field = VirtualFleet.class.getDeclaredField("models");
        field.setAccessible(true);
        return ((PumpModel[]) field.get(fleet))[0].state();
    }
}
