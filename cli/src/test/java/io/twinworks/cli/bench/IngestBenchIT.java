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
        IngestBenchOptions options = new IngestBenchOptions(200, 2, 2, 256, Duration.ofSeconds(20), "mosquitto");

        IngestBenchReport report = new IngestBench(options, progress::add).run();

        assertThat(report.twinworks().deliveries().lost()).as(report.format()).isZero();
        assertThat(report.baseline().deliveries().lost()).as(report.format()).isZero();
        assertThat(report.twinworks().deliveries().delivered()).isEqualTo(200);
        assertThat(report.baseline().deliveries().delivered()).isEqualTo(200);
        assertThat(report.twinworks().publishing().acknowledged()).isEqualTo(200);
        assertThat(report.twinworks().stateChecked()).isTrue();
        assertThat(report.twinworks().stateProblems()).as(report.format()).isEmpty();
        assertThat(report.twinworks().endToEndRate()).isPositive();
        assertThat(report.baseline().endToEndRate()).isPositive();
        assertThat(report.ratio()).isPositive();
        assertThat(report.clean()).isTrue();
        assertThat(report.format()).contains("ratio = twinworks rate / mosquitto rate", "result: no loss");
        assertThat(progress).anyMatch(line -> line.startsWith("twinworks: publishing 200"));
    }

    @Test
    void missingMosquittoFailsWithAClearMessageBeforeTheStackStarts() {
        IngestBenchOptions options = new IngestBenchOptions(10, 1, 1, 256, Duration.ofSeconds(1), "/nonexistent/mosquitto");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IngestBench(options, line -> { }).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install mosquitto");
    }
}
