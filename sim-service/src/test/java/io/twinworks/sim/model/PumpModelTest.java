package io.twinworks.sim.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PumpModelTest {

    private static final PumpParameters EXACT = PumpParameters.STANDARD.withNoiseScale(0);

    private static PumpModel pump(double load, List<Fault> faults, long seed, PumpParameters parameters) {
        return new PumpModel(parameters, PumpState.fresh(parameters), load, faults, seed);
    }

    private static List<PumpReading> run(PumpModel model, int steps, double dtHours) {
        List<PumpReading> readings = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            readings.add(model.step(dtHours));
        }
        return readings;
    }

    @Test
    void atNominalSpeedTheNewPumpRunsAtItsDesignPoint() {
        PumpReading reading = pump(1.0, List.of(), 1, EXACT).step(0.01);
        assertThat(reading.flowM3h()).isCloseTo(120.0, within(0.01));
        assertThat(reading.truth().headM()).isCloseTo(45.0, within(0.01));
        assertThat(reading.pressureBar()).isCloseTo(1000 * 9.80665 * 45.0 / 1e5, within(0.001));
    }

    @Test
    void operatingPointLiesOnBothThePumpCurveAndTheSystemCurve() {
        for (double load : new double[] {0.7, 0.9, 1.2}) {
            PumpReading.PumpPhysics truth = pump(load, List.of(Fault.process(FaultType.SEAL_LEAK, 0, 0.5)), 1, EXACT)
                    .step(0.01).truth();
            double kp = EXACT.pumpCurveCoefficient();
            double ks = EXACT.systemCurveCoefficient();
            assertThat(truth.headM()).isCloseTo(60.0 * load * load - kp * truth.impellerFlowM3h() * truth.impellerFlowM3h(), within(1e-6));
            assertThat(truth.headM()).isCloseTo(20.0 + ks * truth.deliveredFlowM3h() * truth.deliveredFlowM3h(), within(1e-6));
        }
    }

    @Test
    void sealLeakConservesFlowAndLowersDeliveredFlow() {
        PumpReading healthy = pump(1.0, List.of(), 1, EXACT).step(0.01);
        PumpReading leaking = pump(1.0, List.of(Fault.process(FaultType.SEAL_LEAK, 0, 1.0)), 1, EXACT).step(0.01);
        PumpReading.PumpPhysics truth = leaking.truth();
        assertThat(truth.leakFlowM3h()).isGreaterThan(5.0);
        assertThat(truth.impellerFlowM3h()).isCloseTo(truth.deliveredFlowM3h() + truth.leakFlowM3h(), within(1e-9));
        assertThat(leaking.flowM3h()).isLessThan(healthy.flowM3h() - 1.0);
    }

    @Test
    void shaftPowerCoversHydraulicPowerAndLosses() {
        PumpReading.PumpPhysics truth = pump(1.0, List.of(), 1, EXACT).step(0.01).truth();
        double hydraulicKw = 1000 * 9.80665 * (truth.impellerFlowM3h() / 3600) * truth.headM() / 1000;
        assertThat(truth.hydraulicPowerKw()).isCloseTo(hydraulicKw, within(1e-9));
        assertThat(truth.shaftPowerKw()).isGreaterThan(truth.hydraulicPowerKw() + truth.heatToCasingKw() * 0.99);
        // Best efficiency point: shaft = hydraulic / 0.78 + friction.
        assertThat(truth.shaftPowerKw()).isCloseTo(hydraulicKw / 0.78 + 0.6, within(0.05));
    }

    @Test
    void casingSettlesWhereHeatInEqualsHeatOut() {
        PumpModel model = pump(1.0, List.of(), 1, EXACT.withWearPerHour(0));
        PumpReading last = run(model, 200, 0.05).get(199);
        double heatOutKw = EXACT.heatConductanceKwPerK() * (last.temperatureC() - EXACT.ambientC());
        assertThat(heatOutKw).isCloseTo(last.truth().heatToCasingKw(), within(1e-6));
    }

    @Test
    void temperatureRisesTowardsSteadyStateWithoutOvershoot() {
        List<PumpReading> readings = run(pump(1.0, List.of(), 1, EXACT.withWearPerHour(0)), 100, 0.02);
        for (int i = 1; i < readings.size(); i++) {
            assertThat(readings.get(i).temperatureC()).isGreaterThanOrEqualTo(readings.get(i - 1).temperatureC());
        }
    }

    @Test
    void bearingWearNeverDecreasesAndGrowsFasterUnderLoad() {
        PumpParameters fastWear = EXACT.withWearPerHour(0.01);
        List<PumpReading> nominal = run(pump(1.0, List.of(), 1, fastWear), 500, 0.02);
        List<PumpReading> harder = run(pump(1.2, List.of(), 1, fastWear), 500, 0.02);
        for (int i = 1; i < nominal.size(); i++) {
            assertThat(nominal.get(i).truth().bearingWear()).isGreaterThanOrEqualTo(nominal.get(i - 1).truth().bearingWear());
        }
        double nominalWear = nominal.get(499).truth().bearingWear();
        double harderWear = harder.get(499).truth().bearingWear();
        // Cube law: 1.2³ = 1.73 times the wear rate, and wear accelerates itself.
        assertThat(harderWear).isGreaterThan(nominalWear * 1.7).isLessThan(PumpModel.FAILURE_WEAR);
        assertThat(nominal.get(499).vibrationRmsMmS()).isGreaterThan(nominal.get(0).vibrationRmsMmS());
    }

    @Test
    void wearStepSizeDoesNotChangeTheResult() {
        PumpParameters fastWear = EXACT.withWearPerHour(0.01);
        double coarse = run(pump(1.1, List.of(), 1, fastWear), 10, 2).get(9).truth().bearingWear();
        double fine = run(pump(1.1, List.of(), 1, fastWear), 1000, 0.02).get(999).truth().bearingWear();
        assertThat(coarse).isCloseTo(fine, within(1e-9));
    }

    @Test
    void theWornOutBearingTripsThePumpAtTheExactTimeWhateverTheStepSize() {
        PumpParameters fastWear = EXACT.withWearPerHour(0.05);
        // fresh pump at nominal speed: (e^{2·r·t} − 1)/2 = 1  →  t = ln 3 / (2r)
        double expected = Math.log(3) / (2 * 0.05);
        PumpModel coarse = pump(1.0, List.of(), 1, fastWear);
        PumpModel fine = pump(1.0, List.of(), 1, fastWear);
        run(coarse, 5, 5);
        run(fine, 2500, 0.01);
        assertThat(coarse.tripped()).isTrue();
        assertThat(coarse.tripHours()).isCloseTo(expected, within(1e-9));
        assertThat(fine.tripHours()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void aTrippedPumpStopsAndSettlesInsteadOfGrowingWithoutBound() {
        PumpModel model = pump(1.0, List.of(Fault.process(FaultType.BEARING_DEFECT, 1, 1.0)), 1, EXACT.withWearPerHour(0.1));
        List<PumpReading> readings = run(model, 400, 0.05);
        int trip = 0;
        while (readings.get(trip).running()) {
            trip++;
        }
        PumpReading before = readings.get(trip - 1);
        assertThat(before.vibrationRmsMmS()).isGreaterThan(4.5).isLessThan(1.1 + 6 + 1.5);
        assertThat(before.flowM3h()).isGreaterThan(100);
        assertThat(readings.subList(trip, readings.size())).allSatisfy(reading -> {
            assertThat(reading.running()).isFalse();
            assertThat(reading.flowM3h()).isZero();
            assertThat(reading.vibrationRmsMmS()).isZero();
            assertThat(reading.truth().bearingWear()).isEqualTo(PumpModel.FAILURE_WEAR);
            // the check valve holds the static head of 20 m
            assertThat(reading.pressureBar()).isCloseTo(1000 * 9.80665 * 20 / 1e5, within(1e-9));
        });
        for (int i = trip + 1; i < readings.size(); i++) {
            assertThat(readings.get(i).temperatureC()).isLessThanOrEqualTo(readings.get(i - 1).temperatureC());
        }
        assertThat(readings.get(readings.size() - 1).temperatureC()).isCloseTo(25.0, within(0.01));
    }

    @Test
    void readingsStayWithinTheThingModelRangesOverYears() {
        List<Fault> faults = List.of(Fault.process(FaultType.BEARING_DEFECT, 100, 1.0), Fault.process(FaultType.SEAL_LEAK, 50, 1.0),
                Fault.sensor(FaultType.SENSOR_DRIFT, "temperature", 10, 0.5));
        for (double load : new double[] {0.6, 1.0, 1.5}) {
            PumpModel model = pump(load, faults, 3, PumpParameters.STANDARD.withWearPerHour(0.001));
            for (PumpReading reading : run(model, 20_000, 1.0)) {
                assertThat(reading.flowM3h()).isBetween(0.0, 5000.0);
                assertThat(reading.pressureBar()).isBetween(0.0, 100.0);
                assertThat(reading.temperatureC()).isBetween(-50.0, 250.0);
                assertThat(reading.vibrationRmsMmS()).isBetween(0.0, 100.0);
            }
            assertThat(model.tripped()).as("load %s", load).isTrue();
        }
    }

    @Test
    void aRepairedPumpRunsAgainWithANewBearingAndTheDefectComesBack() {
        PumpModel model = pump(1.0, List.of(Fault.process(FaultType.BEARING_DEFECT, 1, 1.0)), 1, EXACT.withWearPerHour(0.1));
        run(model, 200, 0.05);
        assertThat(model.tripped()).isTrue();
        model.repair();
        PumpReading restarted = model.step(0.05);
        assertThat(restarted.running()).isTrue();
        assertThat(restarted.flowM3h()).isGreaterThan(100);
        assertThat(restarted.vibrationRmsMmS()).isCloseTo(1.1, within(0.05));
        List<PumpReading> later = run(model, 30, 0.05);
        assertThat(later.get(29).vibrationRmsMmS()).as("the defect recurs 1 h after the repair").isGreaterThan(2.6);
    }

    @Test
    void bearingDefectRaisesVibrationFromItsTimeOn() {
        List<PumpReading> readings = run(pump(1.0, List.of(Fault.process(FaultType.BEARING_DEFECT, 1.0, 0.8)), 1, EXACT), 20, 0.1);
        assertThat(readings.get(8).vibrationRmsMmS()).isCloseTo(1.1, within(0.01));
        assertThat(readings.get(10).vibrationRmsMmS()).isGreaterThan(2.2);
    }

    @Test
    void sameSeedGivesIdenticalReadingsAndAnotherSeedDoesNot() {
        List<Fault> faults = List.of(Fault.process(FaultType.BEARING_DEFECT, 2, 0.3));
        List<PumpReading> first = run(pump(1.0, faults, 42, PumpParameters.STANDARD), 100, 0.1);
        List<PumpReading> second = run(pump(1.0, faults, 42, PumpParameters.STANDARD), 100, 0.1);
        List<PumpReading> other = run(pump(1.0, faults, 43, PumpParameters.STANDARD), 100, 0.1);
        assertThat(first).isEqualTo(second);
        assertThat(first).isNotEqualTo(other);
    }

    @Test
    void driftingSensorDepartsLinearlyFromTheTruth() {
        List<PumpReading> readings = run(pump(1.0, List.of(Fault.sensor(FaultType.SENSOR_DRIFT, "pressure", 1.0, 0.5)), 1, EXACT), 30, 0.1);
        PumpReading at3h = readings.get(29);
        double truePressure = 1000 * 9.80665 * at3h.truth().headM() / 1e5;
        assertThat(at3h.pressureBar() - truePressure).isCloseTo(0.5 * 2.0, within(1e-6));
        assertThat(readings.get(5).pressureBar()).isCloseTo(1000 * 9.80665 * readings.get(5).truth().headM() / 1e5, within(1e-9));
    }

    @Test
    void stuckSensorRepeatsItsValueWhileTheProcessMoves() {
        List<PumpReading> readings = run(pump(1.0, List.of(Fault.sensor(FaultType.STUCK_SENSOR, "temperature", 0.2, 0)), 1,
                PumpParameters.STANDARD), 50, 0.05);
        double stuck = readings.get(4).temperatureC();
        assertThat(readings.subList(4, 50)).allSatisfy(reading -> assertThat(reading.temperatureC()).isEqualTo(stuck));
        assertThat(readings.get(49).truth().temperatureC()).isGreaterThan(stuck + 5);
    }

    @Test
    void tooSlowAPumpCannotLiftTheStaticHead() {
        PumpReading reading = pump(0.5, List.of(), 1, EXACT).step(0.01);
        assertThat(reading.flowM3h()).isZero();
        assertThat(reading.truth().headM()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void sensorFaultOnAnUnknownSignalIsRefused() {
        assertThatThrownBy(() -> pump(1.0, List.of(Fault.sensor(FaultType.SENSOR_DRIFT, "rpm", 0, 1)), 1, EXACT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown signal 'rpm'");
    }

    @Test
    void invalidLoadFactorsAndStepsAreRefused() {
        assertThatThrownBy(() -> pump(0, List.of(), 1, EXACT)).hasMessageContaining("loadFactor");
        assertThatThrownBy(() -> pump(2.5, List.of(), 1, EXACT)).hasMessageContaining("loadFactor");
        assertThatThrownBy(() -> pump(Double.NaN, List.of(), 1, EXACT)).hasMessageContaining("loadFactor");
        assertThatThrownBy(() -> pump(1, List.of(), 1, EXACT).step(0)).hasMessageContaining("step");
        assertThatThrownBy(() -> pump(1, List.of(), 1, EXACT).step(Double.POSITIVE_INFINITY)).hasMessageContaining("step");
    }

    @Test
    void faultsWithInvalidFieldsAreRefused() {
        assertThatThrownBy(() -> Fault.process(FaultType.SEAL_LEAK, -1, 0.5)).hasMessageContaining("time");
        assertThatThrownBy(() -> Fault.process(FaultType.SEAL_LEAK, 0, 1.5)).hasMessageContaining("severity");
        assertThatThrownBy(() -> Fault.process(FaultType.SENSOR_DRIFT, 0, 1)).hasMessageContaining("signal");
        assertThatThrownBy(() -> new Fault(FaultType.BEARING_DEFECT, 0, 0.5, "flow")).hasMessageContaining("takes no signal");
    }

    @Test
    void wearInferredFromVibrationReproducesThatVibration() {
        double wear = PumpModel.wearForVibration(EXACT, 3.5);
        PumpModel model = new PumpModel(EXACT.withWearPerHour(0), new PumpState(0, wear, 50), 1.0, List.of(), 1);
        assertThat(model.step(0.01).vibrationRmsMmS()).isCloseTo(3.5, within(1e-9));
        assertThat(PumpModel.wearForVibration(EXACT, 0.5)).isZero();
    }
}
