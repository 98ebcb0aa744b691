package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlarmBenchOptionsTest {

    private static AlarmBenchOptions options(int trials, int devices, double rate, double rms, Duration timeout) {
        return new AlarmBenchOptions(trials, devices, rate, rms, timeout);
    }

    @Test
    void theBackgroundRateIsDevicesTimesTheirRate() {
        assertThat(options(100, 100, 10, 5.0, Duration.ofSeconds(10)).backgroundRate()).isEqualTo(1000.0);
    }

    @Test
    void noTrialIsRefused() {
        assertThatThrownBy(() -> options(0, 100, 10, 5.0, Duration.ofSeconds(10))).hasMessageContaining("--trials");
    }

    @Test
    void noBackgroundPumpIsRefused() {
        assertThatThrownBy(() -> options(100, 0, 10, 5.0, Duration.ofSeconds(10))).hasMessageContaining("--devices");
    }

    @Test
    void aZeroOrNotANumberRateIsRefused() {
        assertThatThrownBy(() -> options(100, 100, 0, 5.0, Duration.ofSeconds(10))).hasMessageContaining("--rate");
        assertThatThrownBy(() -> options(100, 100, Double.NaN, 5.0, Duration.ofSeconds(10))).hasMessageContaining("--rate");
        assertThatThrownBy(() -> options(100, 100, 101, 5.0, Duration.ofSeconds(10))).hasMessageContaining("--rate");
    }

    @Test
    void aReadingTheThingModelRefusesIsRefusedUpFront() {
        // the twin service would refuse it (WoT validation): the trial would measure nothing
        assertThatThrownBy(() -> options(100, 100, 10, 100.5, Duration.ofSeconds(10)))
                .hasMessageContaining("--out-of-range-rms").hasMessageContaining("Thing Model");
        assertThatThrownBy(() -> options(100, 100, 10, -0.1, Duration.ofSeconds(10))).hasMessageContaining("--out-of-range-rms");
        assertThatThrownBy(() -> options(100, 100, 10, Double.NaN, Duration.ofSeconds(10))).hasMessageContaining("--out-of-range-rms");
    }

    @Test
    void aTrialTimeoutOutsideItsBoundsIsRefused() {
        assertThatThrownBy(() -> options(100, 100, 10, 5.0, Duration.ofMillis(50))).hasMessageContaining("--trial-timeout-seconds");
        assertThatThrownBy(() -> options(100, 100, 10, 5.0, Duration.ofSeconds(601))).hasMessageContaining("--trial-timeout-seconds");
    }
}
