package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestBenchOptionsTest {

    private static IngestBenchOptions options(int messages, int devices, int publishers, int payload, int drainSeconds) {
        return new IngestBenchOptions(messages, devices, publishers, payload, Duration.ofSeconds(drainSeconds), "mosquitto", 0,
                IngestBenchOptions.DEFAULT_PACED_RATE, 0);
    }

    private static IngestBenchOptions paced(int devices, int pacedMessages, int pacedRate) {
        return new IngestBenchOptions(100, devices, devices, 256, Duration.ofSeconds(10), "mosquitto", pacedMessages, pacedRate, 0);
    }

    private static IngestBenchOptions warmup(int devices, int warmupMessages) {
        return new IngestBenchOptions(100, devices, devices, 256, Duration.ofSeconds(10), "mosquitto", 0,
                IngestBenchOptions.DEFAULT_PACED_RATE, warmupMessages);
    }

    @Test
    void warmupMessagesAreSpreadLikeTheThroughputPhase() {
        assertThat(warmup(5, 23).warmupMessagesPerDevice()).containsExactly(5, 5, 5, 4, 4);
    }

    @Test
    void noWarmupIsAllowed() {
        assertThat(warmup(5, 0).warmupMessagesPerDevice()).containsOnly(0);
    }

    @Test
    void fewerWarmupMessagesThanDevicesAreRefused() {
        assertThatThrownBy(() -> warmup(5, 3)).hasMessageContaining("--warmup-messages");
    }

    @Test
    void negativeOrTooManyWarmupMessagesAreRefused() {
        assertThatThrownBy(() -> warmup(5, -1)).hasMessageContaining("--warmup-messages");
        assertThatThrownBy(() -> warmup(5, IngestBenchOptions.MAX_MESSAGES + 1)).hasMessageContaining("--warmup-messages");
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

    @Test
    void pacedMessagesAreSpreadLikeTheThroughputPhase() {
        assertThat(paced(5, 23, 1_000).pacedMessagesPerDevice()).containsExactly(5, 5, 5, 4, 4);
    }

    @Test
    void noPacedPhaseIsAllowed() {
        assertThat(paced(5, 0, 1_000).pacedMessagesPerDevice()).containsOnly(0);
    }

    @Test
    void fewerPacedMessagesThanDevicesAreRefused() {
        assertThatThrownBy(() -> paced(5, 3, 1_000)).hasMessageContaining("--paced-messages");
    }

    @Test
    void zeroOrNegativePacedRateIsRefused() {
        assertThatThrownBy(() -> paced(5, 100, 0)).hasMessageContaining("--paced-rate");
        assertThatThrownBy(() -> paced(5, 100, -5)).hasMessageContaining("--paced-rate");
    }

    @Test
    void pacedRateAboveTheBoundIsRefused() {
        assertThatThrownBy(() -> paced(5, 100, IngestBenchOptions.MAX_PACED_RATE + 1)).hasMessageContaining("--paced-rate");
    }
}
