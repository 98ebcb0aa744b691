package io.twinworks.cli.bench;

import io.twinworks.cli.demo.DemoPlant;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-thing order end to end: one device publishes a numbered stream of merges at QoS 1 (MQTT → Hono
 * endpoint → Kafka → Hono connection → twin service → {@code /ws/2}), and the benchmark's subscriber
 * must see each change event exactly once and with a sequence number higher than every one before it.
 */
class IngestChangeOrderIT {

    private static final int MESSAGES = 3_000;

    @Test
    void oneDevicesQos1StreamReachesTheSubscriberExactlyOnceInStrictlyIncreasingOrder() throws Exception {
        IngestBenchOptions options = new IngestBenchOptions(MESSAGES, 1, 1, BenchMessage.MIN_PAYLOAD_BYTES,
                Duration.ofSeconds(20), "mosquitto", 1_000, 1_000, 0);

        IngestRunResult twinworks = new IngestBench(options, line -> { }).runTwinworks(DemoPlant.pumps(1));

        DeliveryRecorder.Deliveries flat = twinworks.deliveries();
        assertThat(flat.delivered()).as("%s", flat).isEqualTo(MESSAGES);
        assertThat(flat.duplicates()).as("%s", flat).isZero();
        assertThat(flat.outOfOrder()).as("%s", flat).isZero();
        assertThat(twinworks.pacedPhase()).hasValueSatisfying(paced -> {
            assertThat(paced.deliveries().delivered()).as("%s", paced.deliveries()).isEqualTo(1_000);
            assertThat(paced.deliveries().duplicates()).as("%s", paced.deliveries()).isZero();
            assertThat(paced.deliveries().outOfOrder()).as("%s", paced.deliveries()).isZero();
        });
        assertThat(twinworks.stateProblems()).isEmpty();
    }
}
