package io.twinworks.sim.des;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Needs Debian's python3-simpy (./run-tests installs it); fails loudly without it. */
class DesBenchmarkTest {

    @Test
    void bothEnginesRunTheSameModelsAndAgreeWithQueueingTheory() throws Exception {
        List<DesBenchmark.BenchCase> cases = List.of(
                new DesBenchmark.BenchCase("M/M/1 rho=0.5", 0.5, 1.0, 1, 100_000, 1),
                new DesBenchmark.BenchCase("M/M/2 rho=0.5", 1.0, 1.0, 2, 100_000, 2));
        List<String> progress = new ArrayList<>();
        List<DesBenchmark.CaseResult> results = new DesBenchmark(DesBenchmark.DEBIAN_PYTHON).run(cases, progress::add);

        assertThat(results).hasSize(2);
        for (DesBenchmark.CaseResult result : results) {
            double analytic = result.benchCase().analyticMeanWait();
            assertThat(result.simpy().engine()).isEqualTo("SimPy 2.3.1");
            assertThat(result.simpy().events()).isEqualTo(200_000);
            assertThat(result.twinworks().events()).isEqualTo(200_000);
            assertThat(result.twinworks().meanWait()).isCloseTo(analytic, within(0.1 * analytic));
            assertThat(result.simpy().meanWait()).isCloseTo(analytic, within(0.1 * analytic));
            assertThat(result.ratio()).isPositive();
        }
        assertThat(progress).hasSize(4);
        assertThat(DesBenchmark.table(results)).anySatisfy(line -> assertThat(line).contains("ratio Twinworks/SimPy"));
    }

    @Test
    void missingInterpreterIsReportedClearly() {
        DesBenchmark benchmark = new DesBenchmark(Path.of("/nonexistent/python3"));
        assertThatThrownBy(() -> benchmark.run(List.of(new DesBenchmark.BenchCase("x", 0.5, 1, 1, 10, 1)), line -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("python3-simpy");
    }

    @Test
    void interpreterWithoutSimPyIsReportedClearly() {
        // /bin/false exits non-zero like an interpreter that cannot import SimPy.
        DesBenchmark benchmark = new DesBenchmark(Path.of("/bin/false"));
        assertThatThrownBy(() -> benchmark.run(List.of(new DesBenchmark.BenchCase("x", 0.5, 1, 1, 10, 1)), line -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SimPy run failed");
    }
}
