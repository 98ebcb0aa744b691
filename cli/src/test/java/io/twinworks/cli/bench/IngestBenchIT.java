package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest benchmark at a tiny size, end to end (local stack, ditto-client, mosquitto child
 * process): it must lose nothing and measure both rows. Speed is not asserted; {@code twinworks
 * bench ingest} prints it.
 */
class IngestBenchIT {

    @Test
    void tinyRunLosesNothingAndMeasuresBothRows() throws Exception {
        List<String> progress = new ArrayList<>();
        IngestBenchOptions options = new IngestBenchOptions(200, 2, 2, 256, Duration.ofSeconds(20), "mosquitto",
                100, 200, 60);

        IngestBenchReport report = new IngestBench(options, progress::add).run();

        assertThat(report.twinworks().deliveries().lost()).as(report.format()).isZero();
        assertThat(report.baseline().deliveries().lost()).as(report.format()).isZero();
        assertThat(report.twinworks().deliveries().delivered()).isEqualTo(200);
        assertThat(report.twinworks().deliveries().outOfOrder()).as(report.format()).isZero();
        assertThat(report.baseline().deliveries().outOfOrder()).as(report.format()).isZero();
        assertThat(report.baseline().deliveries().delivered()).isEqualTo(200);
        assertThat(report.twinworks().publishing().acknowledged()).isEqualTo(200);
        assertThat(report.twinworks().stateChecked()).isTrue();
        assertThat(report.twinworks().stateProblems()).as(report.format()).isEmpty();
        assertThat(report.twinworks().pacedPhase()).hasValueSatisfying(paced -> {
            assertThat(paced.deliveries().delivered()).as(report.format()).isEqualTo(100);
            assertThat(paced.deliveries().lost()).isZero();
        });
        assertThat(report.baseline().pacedPhase()).hasValueSatisfying(paced ->
                assertThat(paced.deliveries().delivered()).as(report.format()).isEqualTo(100));
        assertThat(report.twinworks().throughput().memory()).as("sampled during the sustained phase").isNotNull()
                .satisfies(memory -> assertThat(memory.maxRss()).isPositive());
        assertThat(report.twinworks().pacedPhase()).hasValueSatisfying(paced -> assertThat(paced.memory()).isNotNull());
        assertThat(report.baseline().throughput().memory()).as("mosquitto runs in its own process").isNull();
        assertThat(progress).anyMatch(line -> line.contains("(WoT validation on)"));
        // HotSpot's compilation time is whole milliseconds and may not move within a phase this short
        assertThat(report.twinworks().throughput().jitNanos()).as("JIT compilation during the sustained phase").isNotNegative();
        assertThat(report.twinworks().endToEndRate()).isPositive();
        assertThat(report.baseline().endToEndRate()).isPositive();
        assertThat(report.ratio()).isPositive();
        assertThat(report.clean()).isTrue();
        assertThat(report.format()).contains("ratio = twinworks rate / mosquitto rate", "result: no loss",
                "paced phase: 100 messages at 200 msg/s", "sustained phase (200 messages", "heap after GC",
                "of which JIT compilation",
                "  paced phase (200 msg/s): heap after GC");
        assertThat(progress).anyMatch(line -> line.startsWith("twinworks: publishing 200"));
        // the warm-up ran first on both rows, was checked, and is in no figure (the rows count 200, not 260)
        assertThat(progress).anyMatch(line -> line.startsWith("twinworks warm-up: publishing 60"));
        assertThat(progress).anyMatch(line -> line.startsWith("mosquitto warm-up: publishing 60"));
        assertThat(report.twinworks().warmupPhase()).hasValueSatisfying(warmup ->
                assertThat(warmup.deliveries().delivered()).as(report.format()).isEqualTo(60));
        assertThat(report.baseline().warmupPhase()).hasValueSatisfying(warmup ->
                assertThat(warmup.deliveries().delivered()).as(report.format()).isEqualTo(60));
        assertThat(report.format()).contains("warm-up first, in no figure below: 60 messages per row");
    }

    @Test
    void missingMosquittoFailsWithAClearMessageBeforeTheStackStarts() {
        IngestBenchOptions options = new IngestBenchOptions(10, 1, 1, 256, Duration.ofSeconds(1), "/nonexistent/mosquitto",
                0, 1_000, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IngestBench(options, line -> { }).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install mosquitto");
    }
}
