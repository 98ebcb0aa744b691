package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryRecorderTest {

    @Test
    void percentilesUseTheNearestRank() {
        long[] oneToHundred = LongStream.rangeClosed(1, 100).toArray();

        LatencySummary summary = LatencySummary.of(oneToHundred);

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50Nanos()).isEqualTo(50);
        assertThat(summary.p99Nanos()).isEqualTo(99);
        assertThat(summary.maxNanos()).isEqualTo(100);
    }

    @Test
    void percentilesOfUnsortedSamplesDoNotChangeTheSamples() {
        long[] samples = {30, 10, 20};

        LatencySummary summary = LatencySummary.of(samples);

        assertThat(summary.p50Nanos()).isEqualTo(20);
        assertThat(summary.p99Nanos()).isEqualTo(30);
        assertThat(samples).containsExactly(30, 10, 20);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        assertThat(LatencySummary.of(new long[]{7})).isEqualTo(new LatencySummary(1, 7, 7, 7));
    }

    @Test
    void noSamplesGiveTheEmptySummary() {
        assertThat(LatencySummary.of(new long[0])).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void percentileOutsideZeroToHundredIsRefused() {
        assertThatThrownBy(() -> LatencySummary.percentile(new long[]{1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencySummary.percentile(new long[]{1}, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMessageReceivedOnceMeansNoLoss() {
        DeliveryRecorder recorder = new DeliveryRecorder(new int[]{2, 1});

        recorder.received(0, 1, 100, 110);
        recorder.received(0, 2, 100, 130);
        recorder.received(1, 1, 100, 120);

        DeliveryRecorder.Deliveries deliveries = recorder.snapshot();
        assertThat(recorder.complete()).isTrue();
        assertThat(deliveries.expected()).isEqualTo(3);
        assertThat(deliveries.delivered()).isEqualTo(3);
        assertThat(deliveries.lost()).isZero();
        assertThat(deliveries.duplicates()).isZero();
        assertThat(deliveries.outOfOrder()).isZero();
        assertThat(deliveries.lastReceivedAtNanos()).isEqualTo(130);
        assertThat(deliveries.latency()).isEqualTo(new LatencySummary(3, 20, 30, 30));
    }

    @Test
    void duplicatesNeitherHideALossNorCountTwice() {
        DeliveryRecorder recorder = new DeliveryRecorder(new int[]{3});

        recorder.received(0, 1, 0, 10);
        recorder.received(0, 1, 0, 50);
        recorder.received(0, 3, 0, 30);
        recorder.received(0, 3, 0, 60);

        DeliveryRecorder.Deliveries deliveries = recorder.snapshot();
        assertThat(recorder.complete()).isFalse();
        assertThat(deliveries.delivered()).isEqualTo(2);
        assertThat(deliveries.duplicates()).isEqualTo(2);
        assertThat(deliveries.lost()).isEqualTo(1);
        assertThat(deliveries.firstMissing()).containsExactly("0#2");
        // the first reception counts for latency and progress, a duplicate does not
        assertThat(deliveries.latency().maxNanos()).isEqualTo(30);
        assertThat(deliveries.lastReceivedAtNanos()).isEqualTo(30);
    }

    @Test
    void outOfOrderReceptionIsCountedButNotLost() {
        DeliveryRecorder recorder = new DeliveryRecorder(new int[]{3, 2});

        recorder.received(0, 3, 0, 1);
        recorder.received(1, 2, 0, 2);
        recorder.received(0, 1, 0, 3);
        recorder.received(0, 2, 0, 4);
        recorder.received(1, 1, 0, 5);

        DeliveryRecorder.Deliveries deliveries = recorder.snapshot();
        assertThat(deliveries.lost()).isZero();
        assertThat(deliveries.outOfOrder()).isEqualTo(3);
        assertThat(deliveries.duplicates()).isZero();
    }

    @Test
    void lostMessagesAreListedPerDeviceAndSequenceNumber() {
        DeliveryRecorder recorder = new DeliveryRecorder(new int[]{2, 2});

        recorder.received(0, 2, 0, 1);
        recorder.received(1, 1, 0, 1);

        DeliveryRecorder.Deliveries deliveries = recorder.snapshot();
        assertThat(deliveries.lost()).isEqualTo(2);
        assertThat(deliveries.firstMissing()).containsExactly("0#1", "1#2");
    }

    @Test
    void messagesOutsideTheRunAreUnexpectedAndDoNotCountAsDelivered() {
        DeliveryRecorder recorder = new DeliveryRecorder(new int[]{2});

        recorder.received(0, 0, 0, 1);
        recorder.received(0, 3, 0, 1);
        recorder.received(1, 1, 0, 1);
        recorder.received(-1, 1, 0, 1);
        recorder.unexpected();

        DeliveryRecorder.Deliveries deliveries = recorder.snapshot();
        assertThat(deliveries.unexpected()).isEqualTo(5);
        assertThat(deliveries.delivered()).isZero();
        assertThat(deliveries.lost()).isEqualTo(2);
    }

    @Test
    void nothingReceivedLosesEverything() {
        DeliveryRecorder.Deliveries deliveries = new DeliveryRecorder(new int[]{4, 4}).snapshot();

        assertThat(deliveries.lost()).isEqualTo(8);
        assertThat(deliveries.latency()).isEqualTo(LatencySummary.EMPTY);
        assertThat(deliveries.lastReceivedAtNanos()).isZero();
    }

    @Test
    void concurrentReceiversLoseNothing() throws InterruptedException {
        int perDevice = 5_000;
        DeliveryRecorder recorder = new DeliveryRecorder(new int[]{perDevice, perDevice});
        Thread[] receivers = new Thread[4];
        for (int thread = 0; thread < receivers.length; thread++) {
            int offset = thread;
            receivers[thread] = new Thread(() -> {
                // every thread receives every message: 1 first reception, 3 duplicates each
                for (int seq = 1; seq <= perDevice; seq++) {
                    recorder.received((seq + offset) % 2, seq, 0, seq);
                    recorder.received((seq + offset + 1) % 2, seq, 0, seq);
                }
            });
            receivers[thread].start();
        }
        for (Thread receiver : receivers) {
            receiver.join();
        }

        DeliveryRecorder.Deliveries deliveries = recorder.snapshot();
        assertThat(deliveries.lost()).isZero();
        assertThat(deliveries.duplicates()).isEqualTo(3L * 2 * perDevice);
    }

    @Test
    void negativeMessageCountIsRefused() {
        assertThatThrownBy(() -> new DeliveryRecorder(new int[]{1, -1})).isInstanceOf(IllegalArgumentException.class);
    }
}
