package io.twinworks.cli.demo;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.detect.AssetState;
import io.twinworks.analytics.model.HealthState;
import io.twinworks.sim.fleet.FleetAsset;
import io.twinworks.sim.model.PumpModel;
import io.twinworks.sim.model.PumpReading;
import io.twinworks.sim.model.PumpState;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics service's health logic on the demo's own simulated pumps (the physics models and
 * noise the virtual fleet of {@code up --demo} plays, at the demo's default clock), without the stack:
 * the healthy pumps stay {@code ok} once learned, the degrading one goes to warning/alarm.
 */
class DemoPumpHealthTest {

    /** Five wall-clock hours of the default demo (one reading per second per pump). */
    private static final int READINGS = 18_000;

    private static final List<DemoDevice> DEVICES = DemoPlant.pumps(3);
    private static final List<FleetAsset> FLEET = DemoPlant.fleet(DEVICES, Demo.FleetSettings.DEFAULT.defectAtHours());

    @Test
    void healthyDemoPumpsStayOkAfterLearningForFiveDemoHours() {
        List<Integer> healthy = pumps(false);
        assertThat(healthy).hasSize(2);
        for (int i : healthy) {
            Map<HealthState, Integer> states = healthCounts(FLEET.get(i), READINGS);
            assertThat(states.keySet()).as("health states of healthy %s after learning: %s", DEVICES.get(i).deviceId(), states)
                    .containsOnly(HealthState.OK);
        }
    }

    @Test
    void theDegradingDemoPumpGoesToAlarm() {
        List<Integer> degrading = pumps(true);
        assertThat(degrading).hasSize(1);
        // the defect comes after half an hour of model time (90 readings at 20x); 600 readings = 10 demo minutes
        Map<HealthState, Integer> states = healthCounts(FLEET.get(degrading.get(0)), 600);
        assertThat(states).as("health states of degrading %s", DEVICES.get(degrading.get(0)).deviceId())
                .containsKey(HealthState.ALARM);
    }

    /** Indices of the demo pumps that degrade ({@code true}) or not. */
    private static List<Integer> pumps(boolean degrading) {
        return java.util.stream.IntStream.range(0, DEVICES.size())
                .filter(i -> DemoPlant.degrading(DEVICES.get(i)) == degrading).boxed().toList();
    }

    /**
     * Plays one demo pump as the virtual fleet does (warmed up for {@link Demo#WARM_UP_HOURS} with a
     * new bearing, then one reading per second at the default time scale) into an asset state with the
     * analytics service's default settings, and counts the health states seen after learning.
     */
    private static Map<HealthState, Integer> healthCounts(FleetAsset asset, int readings) {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_DITTO_PASSWORD", "unused"));
        AssetState state = new AssetState(config.warmupSamples(), config.smoothing());
        PumpState start = PumpState.fresh(asset.parameters());
        PumpModel warmUp = new PumpModel(asset.parameters().withWearPerHour(0), start, 1.0, List.of(), asset.seed());
        for (double warmed = 0; warmed < Demo.WARM_UP_HOURS; warmed += 0.05) {
            warmUp.step(Math.min(0.05, Demo.WARM_UP_HOURS - warmed));
        }
        PumpModel pump = new PumpModel(asset.parameters(), new PumpState(start.hours(), start.bearingWear(),
                warmUp.state().temperatureC()), 1.0, asset.faults(), asset.seed());
        Demo.FleetSettings settings = Demo.FleetSettings.DEFAULT;
        double hoursPerReading = settings.timeScale() / 3600.0 / settings.ratePerPump();
        Map<HealthState, Integer> states = new EnumMap<>(HealthState.class);
        long revision = 0;
        for (int n = 0; n < readings && !pump.tripped(); n++) {
            PumpReading reading = pump.step(hoursPerReading);
            state.update("flow/value", reading.flowM3h(), ++revision);
            state.update("pressure/value", reading.pressureBar(), ++revision);
            state.update("temperature/value", reading.temperatureC(), ++revision);
            state.update("vibration/rms", reading.vibrationRmsMmS(), ++revision);
            HealthState health = state.healthState();
            if (health != HealthState.LEARNING) {
                states.merge(health, 1, Integer::sum);
            }
        }
        return states;
    }
}
