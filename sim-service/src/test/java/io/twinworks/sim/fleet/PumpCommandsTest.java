package io.twinworks.sim.fleet;

import io.twinworks.sim.model.PumpModel;
import io.twinworks.sim.model.PumpParameters;
import io.twinworks.sim.model.PumpReading;
import io.twinworks.sim.model.PumpState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Thing Model's actions applied to a virtual pump: the answers and the physics that follows. */
class PumpCommandsTest {

    private static final PumpParameters EXACT = PumpParameters.STANDARD.withNoiseScale(0);

    private static PumpModel pump(PumpParameters parameters) {
        return new PumpModel(parameters, PumpState.fresh(parameters), 1.0, List.of(), 1);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static PumpReading settle(PumpModel pump) {
        PumpReading reading = null;
        for (int i = 0; i < 10; i++) {
            reading = pump.step(0.01);
        }
        return reading;
    }

    @Test
    void setSpeedChangesFlowPressureAndVibrationAsTheAffinityLawsSay() {
        PumpModel pump = pump(EXACT);
        PumpReading nominal = settle(pump);

        PumpCommands.Answer answer = PumpCommands.apply(pump, "setSpeed", json("{\"rpm\":1160}"));
        PumpReading slower = settle(pump);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new JsonObject(answer.json()).getDouble("rpm")).isEqualTo(1160.0);
        assertThat(pump.loadFactor()).isEqualTo(0.8);
        assertThat(slower.flowM3h()).isLessThan(nominal.flowM3h());
        assertThat(slower.pressureBar()).isLessThan(nominal.pressureBar());
        assertThat(slower.vibrationRmsMmS()).isLessThan(nominal.vibrationRmsMmS());
        assertThat(slower.running()).isTrue();
    }

    @Test
    void stopAndSpeedZeroStopThePumpAndSetSpeedStartsItAgain() {
        PumpModel pump = pump(EXACT);
        settle(pump);

        assertThat(PumpCommands.apply(pump, "stop", new byte[0]).status()).isEqualTo(200);
        PumpReading stopped = settle(pump);
        assertThat(stopped.running()).isFalse();
        assertThat(stopped.flowM3h()).isZero();
        assertThat(stopped.vibrationRmsMmS()).isZero();

        assertThat(PumpCommands.apply(pump, "setSpeed", json("{\"rpm\":1450}")).status()).isEqualTo(200);
        assertThat(settle(pump).running()).isTrue();
        assertThat(PumpCommands.apply(pump, "setSpeed", json("{\"rpm\":0}")).json()).contains("\"running\":false");
        assertThat(settle(pump).running()).isFalse();
    }

    @Test
    void badSpeedsAreRefused400AndChangeNothing() {
        PumpModel pump = pump(EXACT);

        for (String payload : List.of("{\"speed\":1}", "{\"rpm\":\"fast\"}", "{\"rpm\":-1}", "{\"rpm\":5000}", "fast please", "[1]")) {
            PumpCommands.Answer answer = PumpCommands.apply(pump, "setSpeed", json(payload));
            assertThat(answer.status()).as(payload).isEqualTo(400);
            assertThat(new JsonObject(answer.json()).getString("error")).as(payload).isNotBlank();
        }
        assertThat(pump.loadFactor()).isEqualTo(1.0);
    }

    @Test
    void aTrippedPumpRefusesSpeedAndAlarmResetWith409UntilRepairedAndUnknownCommandsGet404() {
        PumpModel pump = pump(EXACT.withWearPerHour(10));
        while (!pump.tripped()) {
            pump.step(0.1);
        }

        assertThat(PumpCommands.apply(pump, "setSpeed", json("{\"rpm\":1000}")).status()).isEqualTo(409);
        assertThat(PumpCommands.apply(pump, "resetAlarm", new byte[0]).status()).isEqualTo(409);
        pump.repair();
        assertThat(PumpCommands.apply(pump, "resetAlarm", new byte[0]).status()).isEqualTo(200);
        assertThat(PumpCommands.apply(pump, "selfDestruct", new byte[0]).status()).isEqualTo(404);
    }
}
