package io.twinworks.sim.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MotorAndTurbofanModelTest {

    @Test
    void motorInputPowerIsOutputPlusLosses() {
        MotorModel.MotorReading reading = new MotorModel(0.8, List.of(), 1, 0).step(1.0);
        assertThat(reading.inputKw()).isCloseTo(reading.outputKw() + reading.copperLossKw() + reading.fixedLossKw(), within(1e-12));
        assertThat(reading.outputKw()).isCloseTo(24.0, within(1e-12));
    }

    @Test
    void motorDrawsRatedCurrentAndReachesRatedEfficiencyAtRatedLoadAndTemperature() {
        MotorModel motor = new MotorModel(1.0, List.of(), 1, 0);
        MotorModel.MotorReading reading = null;
        for (int i = 0; i < 20; i++) {
            reading = motor.step(0.5);
        }
        assertThat(reading.currentA()).isCloseTo(motor.ratedCurrent(), within(1e-9));
        // Rated losses heat the winding by 80 K (plus the copper's resistance rise above 95 °C reference).
        assertThat(reading.trueTemperatureC()).isBetween(100.0, 110.0);
        assertThat(reading.efficiency()).isCloseTo(0.92, within(0.005));
    }

    @Test
    void motorCurrentAndTemperatureGrowWithLoad() {
        MotorModel.MotorReading light = settle(new MotorModel(0.3, List.of(), 1, 0));
        MotorModel.MotorReading heavy = settle(new MotorModel(1.2, List.of(), 1, 0));
        assertThat(heavy.currentA()).isGreaterThan(light.currentA() * 1.5);
        assertThat(heavy.trueTemperatureC()).isGreaterThan(light.trueTemperatureC() + 30);
    }

    @Test
    void motorBearingDefectRaisesLossesAndTemperature() {
        MotorModel.MotorReading healthy = settle(new MotorModel(1.0, List.of(), 1, 0));
        MotorModel.MotorReading defective = settle(new MotorModel(1.0, List.of(Fault.process(FaultType.BEARING_DEFECT, 0, 1)), 1, 0));
        assertThat(defective.fixedLossKw()).isCloseTo(2 * healthy.fixedLossKw(), within(1e-9));
        assertThat(defective.trueTemperatureC()).isGreaterThan(healthy.trueTemperatureC() + 10);
    }

    @Test
    void motorIsDeterministicPerSeed() {
        assertThat(trace(new MotorModel(0.9, List.of(), 5, 1))).isEqualTo(trace(new MotorModel(0.9, List.of(), 5, 1)));
        assertThat(trace(new MotorModel(0.9, List.of(), 5, 1))).isNotEqualTo(trace(new MotorModel(0.9, List.of(), 6, 1)));
    }

    @Test
    void motorRefusesSealLeaksAndOverload() {
        assertThatThrownBy(() -> new MotorModel(1.0, List.of(Fault.process(FaultType.SEAL_LEAK, 0, 1)), 1, 0))
                .hasMessageContaining("no seal");
        assertThatThrownBy(() -> new MotorModel(1.6, List.of(), 1, 0)).hasMessageContaining("load");
    }

    @Test
    void turbofanHealthFallsMonotonicallyUntilFailure() {
        TurbofanModel engine = new TurbofanModel(1.0, List.of(), 7, 0);
        List<TurbofanModel.TurbofanReading> readings = new ArrayList<>();
        for (int i = 0; i < 1000 && (readings.isEmpty() || !readings.get(readings.size() - 1).failed()); i++) {
            readings.add(engine.step(1));
        }
        assertThat(readings.get(readings.size() - 1).failed()).isTrue();
        assertThat(readings.size()).isBetween(80, 500);
        for (int i = 1; i < readings.size(); i++) {
            assertThat(readings.get(i).healthIndex()).isLessThanOrEqualTo(readings.get(i - 1).healthIndex());
            assertThat(readings.get(i).egt()).isGreaterThanOrEqualTo(readings.get(i - 1).egt());
        }
    }

    @Test
    void harderOperationShortensTurbofanLife() {
        assertThat(life(1.3)).isLessThan(life(1.0));
    }

    @Test
    void turbofanSeedsGiveASpreadOfLives() {
        List<Integer> lives = new ArrayList<>();
        for (long seed = 1; seed <= 10; seed++) {
            lives.add(cyclesToFailure(new TurbofanModel(1.0, List.of(), seed, 0)));
        }
        assertThat(lives.stream().distinct().count()).isGreaterThan(5);
    }

    private static int life(double load) {
        return cyclesToFailure(new TurbofanModel(load, List.of(), 3, 0));
    }

    private static int cyclesToFailure(TurbofanModel engine) {
        int cycles = 0;
        while (!engine.step(1).failed()) {
            cycles++;
        }
        return cycles;
    }

    private static MotorModel.MotorReading settle(MotorModel motor) {
        MotorModel.MotorReading reading = null;
        for (int i = 0; i < 20; i++) {
            reading = motor.step(0.5);
        }
        return reading;
    }

    private static List<MotorModel.MotorReading> trace(MotorModel motor) {
        List<MotorModel.MotorReading> readings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readings.add(motor.step(0.1));
        }
        return readings;
    }
}
