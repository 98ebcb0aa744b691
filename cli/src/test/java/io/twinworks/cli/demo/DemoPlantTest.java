package io.twinworks.cli.demo;

import io.twinworks.sim.fleet.FleetAsset;
import io.twinworks.sim.model.PumpModel;
import io.twinworks.sim.model.PumpReading;
import io.twinworks.sim.model.PumpState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's fault timings on the wall clock of {@code twinworks up --demo} (20x, defect after 0.5 h). */
class DemoPlantTest {

    private static final double HOURS_PER_WALL_SECOND = Demo.FleetSettings.DEFAULT.timeScale() / 3600;

    /** Wall-clock seconds after the start at which the pump's vibration first crosses 4.5 mm/s and at which it trips. */
    private static double[] alarmAndTripSeconds(FleetAsset asset) {
        PumpModel model = new PumpModel(asset.parameters().withNoiseScale(0), PumpState.fresh(asset.parameters()), 1.0,
                asset.faults(), asset.seed());
        double alarm = Double.NaN;
        for (int second = 1; second <= 24 * 3600; second++) {
            PumpReading reading = model.step(HOURS_PER_WALL_SECOND);
            if (Double.isNaN(alarm) && reading.vibrationRmsMmS() >= 4.5) {
                alarm = second;
            }
            if (!reading.running()) {
                return new double[] {alarm, second};
            }
        }
        return new double[] {alarm, Double.NaN};
    }

    @Test
    void theDegradingPumpAlarmsWithinFiveMinutesButDoesNotFailWithinThem() {
        List<FleetAsset> fleet = DemoPlant.fleet(DemoPlant.pumps(3), Demo.FleetSettings.DEFAULT.defectAtHours());
        double[] degrading = alarmAndTripSeconds(fleet.get(2));

        assertThat(degrading[0]).as("alarm").isBetween(120.0, 300.0);
        assertThat(degrading[1]).as("trip").isBetween(330.0, 600.0);
    }

    @Test
    void theHealthyPumpsNeitherAlarmNorFailWithinADayOfDemo() {
        List<FleetAsset> fleet = DemoPlant.fleet(DemoPlant.pumps(3), Demo.FleetSettings.DEFAULT.defectAtHours());
        for (FleetAsset healthy : fleet.subList(0, 2)) {
            double[] times = alarmAndTripSeconds(healthy);
            assertThat(times[0]).as("alarm of %s", healthy.deviceId()).isNaN();
            assertThat(times[1]).as("trip of %s", healthy.deviceId()).isNaN();
        }
    }

    @Test
    void theDemoLineIsAValidLineOfThreeStations() {
        var line = DemoPlant.line();
        assertThat(line.type()).isEqualTo(DemoPlant.LINE_MODEL);
        assertThat(line.attributes().get("stations")).hasSize(3);
        assertThat(line.attributes().get("buffers")).hasSize(2);
    }
}
