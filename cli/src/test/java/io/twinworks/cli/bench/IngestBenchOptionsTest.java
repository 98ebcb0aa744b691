package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestBenchOptionsTest {

    private static IngestBenchOptions options(int messages, int devices, int publishers, int payload, int drainSeconds) {
        return new IngestBenchOptions(messages, devices, publishers, payload, Duration.ofSeconds(drainSeconds), "mosquitto");
    }

    @Test
    void messagesAreSpreadEvenlyFirstDevicesTakingTheRemainder() {
        assertThat(options(23, 5, 5, 256, 10).messagesPerDevice()).containsExactly(5, 5, 5, 4, 4);
    }

    @Test
    void fewerMessagesThanDevicesAreRefused() {
        assertThatThrownBy(() -> options(3, 5, 1, 256, 10)).hasMessageContaining("--messages");
    }

    @Test
    void morePublishersThanDevicesAreRefused() {
        assertThatThrownBy(() -> options(100, 2, 3, 256, 10)).hasMessageContaining("--publishers");
    }

    @Test
    void payloadTooSmallForTheEnvelopeIsRefused() {
        assertThatThrownBy(() -> options(100, 2, 2, 50, 10)).hasMessageContaining("--payload-bytes");
    }

    @Test
    void zeroDrainIsRefused() {
        assertThatThrownBy(() -> options(100, 2, 2, 256, 0)).hasMessageContaining("--drain-seconds");
    }
}
