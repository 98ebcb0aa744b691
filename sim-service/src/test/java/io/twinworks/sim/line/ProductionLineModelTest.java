package io.twinworks.sim.line;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.twinworks.sim.line.Station.CycleTime.DETERMINISTIC;
import static io.twinworks.sim.line.Station.CycleTime.EXPONENTIAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The production-line DES against flow-line theory. */
class ProductionLineModelTest {

    private static final int UNLIMITED = 1_000_000;

    private static Station machine(String name, double rate, double mttf, double mttr) {
        return new Station(name, null, rate, DETERMINISTIC, mttf, mttr);
    }

    @Test
    void aSingleMachineWithFailuresMakesRateTimesAvailability() {
        Station station = machine("press", 10, 2, 0.5);
        LineResult result = ProductionLineModel.run(new LineSpec(List.of(station), List.of()), 100_000, 100, 1);

        // A = 2 / 2.5 = 0.8 → 8 parts/h
        assertThat(result.throughputPerHour()).isCloseTo(station.isolatedRatePerHour(), within(0.08));
        assertThat(station.isolatedRatePerHour()).isEqualTo(8.0);
        LineResult.StationStats stats = result.stations().get(0);
        assertThat(stats.down()).isCloseTo(0.2, within(0.005));
        assertThat(stats.working()).isCloseTo(0.8, within(0.005));
        assertThat(stats.blocked()).isZero();
        assertThat(stats.starved()).isZero();
        assertThat(stats.failures()).isCloseTo(40_000, within(1_000L));
    }

    @Test
    void aSingleReliableMachineWorksAllTheTime() {
        LineResult result = ProductionLineModel.run(new LineSpec(List.of(Station.reliable("cut", 30, DETERMINISTIC)), List.of()),
                100, 0, 1);
        assertThat(result.produced()).isEqualTo(3000);
        assertThat(result.stations().get(0).working()).isEqualTo(1.0);
    }

    @Test
    void twoMachinesWithAnUnlimitedBufferRunAtTheSlowerEffectiveRate() {
        // effective rates 10·0.8 = 8 and 12·(4/4.5) = 10.67: the first machine sets the pace
        Station first = machine("a", 10, 2, 0.5);
        Station second = machine("b", 12, 4, 0.5);
        LineResult result = ProductionLineModel.run(new LineSpec(List.of(first, second), List.of(UNLIMITED)), 50_000, 500, 7);

        assertThat(result.throughputPerHour()).isCloseTo(Math.min(first.isolatedRatePerHour(), second.isolatedRatePerHour()),
                within(0.1));
        assertThat(result.stations().get(0).blocked()).isZero();
        assertThat(result.stations().get(1).starved()).isGreaterThan(0.1);
        assertThat(result.bottleneck()).isZero();
    }

    @Test
    void aSmallBufferLosesThroughputAgainstALargeOne() {
        Station first = machine("a", 10, 2, 0.5);
        Station second = machine("b", 10, 2, 0.5);
        LineSpec noBuffer = new LineSpec(List.of(first, second), List.of(0));
        LineResult none = ProductionLineModel.run(noBuffer, 20_000, 200, 3);
        LineResult small = ProductionLineModel.run(noBuffer.withBuffers(List.of(2)), 20_000, 200, 3);
        LineResult large = ProductionLineModel.run(noBuffer.withBuffers(List.of(200)), 20_000, 200, 3);

        assertThat(none.throughputPerHour()).isLessThan(small.throughputPerHour());
        assertThat(small.throughputPerHour()).isLessThan(large.throughputPerHour());
        // without a buffer the line runs only while both are up; failures are time-dependent, so ≈ rate·A1·A2 = 6.4
        assertThat(none.throughputPerHour()).isCloseTo(10 * 0.8 * 0.8, within(0.15));
        assertThat(none.stations().get(0).blocked()).isGreaterThan(0.1);
        assertThat(none.stations().get(1).starved()).isGreaterThan(0.1);
        assertThat(large.throughputPerHour()).isLessThanOrEqualTo(8.05);
    }

    @Test
    void theSlowestMachineIsNamedTheBottleneck() {
        LineSpec line = new LineSpec(List.of(
                machine("saw", 12, 8, 0.5),
                machine("drill", 9, 8, 0.5),
                machine("paint", 12, 8, 0.5),
                machine("pack", 14, 8, 0.5)), List.of(5, 5, 5));
        LineResult result = ProductionLineModel.run(line, 20_000, 200, 11);

        assertThat(result.stations().get(result.bottleneck()).name()).isEqualTo("drill");
        // downstream of the bottleneck starves, upstream of it is blocked
        assertThat(result.stations().get(0).blocked()).isGreaterThan(result.stations().get(0).starved());
        assertThat(result.stations().get(2).starved()).isGreaterThan(0.1);
        assertThat(result.buffers().get(0).meanLevel()).isGreaterThan(result.buffers().get(2).meanLevel());
        assertThat(result.throughputPerHour()).isLessThan(9 * 8 / 8.5);
    }

    @Test
    void aMachineThatFailsOftenBecomesTheBottleneckAlthoughItIsFast() {
        LineSpec line = new LineSpec(List.of(
                machine("fast-but-fragile", 15, 1, 1),
                machine("steady", 10, 50, 0.5)), List.of(3));
        LineResult result = ProductionLineModel.run(line, 20_000, 200, 5);
        // 15·0.5 = 7.5 parts/h against 10·50/50.5 = 9.9: the second machine starves
        assertThat(result.bottleneck()).isZero();
        assertThat(result.stations().get(1).starved()).isGreaterThan(0.2);
    }

    @Test
    void sharesAddUpToOneAndBuffersStayWithinCapacity() {
        LineSpec line = new LineSpec(List.of(
                new Station("a", null, 10, EXPONENTIAL, 3, 0.3),
                new Station("b", null, 11, EXPONENTIAL, 3, 0.3),
                new Station("c", null, 10.5, EXPONENTIAL, 3, 0.3)), List.of(4, 1));
        LineResult result = ProductionLineModel.run(line, 5_000, 100, 2);
        for (LineResult.StationStats stats : result.stations()) {
            assertThat(stats.working() + stats.blocked() + stats.starved() + stats.down()).isCloseTo(1.0, within(1e-9));
        }
        assertThat(result.buffers().get(0).meanLevel()).isBetween(0.0, 4.0);
        assertThat(result.buffers().get(1).meanLevel()).isBetween(0.0, 1.0);
        // conservation: every machine passes on what the sink receives (± the parts in the line)
        assertThat(result.stations().get(0).working() * 10).isCloseTo(result.throughputPerHour(), within(0.3));
    }

    @Test
    void runsAreDeterministicPerSeed() {
        LineSpec line = new LineSpec(List.of(
                new Station("a", null, 10, EXPONENTIAL, 3, 0.3),
                new Station("b", null, 11, EXPONENTIAL, 3, 0.3)), List.of(2));
        assertThat(ProductionLineModel.run(line, 2_000, 10, 42)).isEqualTo(ProductionLineModel.run(line, 2_000, 10, 42));
        assertThat(ProductionLineModel.run(line, 2_000, 10, 42).produced())
                .isNotEqualTo(ProductionLineModel.run(line, 2_000, 10, 43).produced());
    }

    @Test
    void invalidLinesAreRefused() {
        Station a = machine("a", 10, 2, 0.5);
        assertThatThrownBy(() -> new LineSpec(List.of(), List.of())).hasMessageContaining("at least one station");
        assertThatThrownBy(() -> new LineSpec(List.of(a, machine("b", 1, 1, 1)), List.of()))
                .hasMessageContaining("needs 1 buffer capacities");
        assertThatThrownBy(() -> new LineSpec(List.of(a, a), List.of(1))).hasMessageContaining("unique");
        assertThatThrownBy(() -> new LineSpec(List.of(a, machine("b", 1, 1, 1)), List.of(-1))).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> machine("x", 0, 1, 1)).hasMessageContaining("ratePerHour");
        assertThatThrownBy(() -> machine("x", 1, 0, 1)).hasMessageContaining("mttfHours");
        assertThatThrownBy(() -> machine("x", 1, 1, -1)).hasMessageContaining("mttrHours");
        LineSpec line = new LineSpec(List.of(a), List.of());
        assertThatThrownBy(() -> ProductionLineModel.run(line, 0, 0, 1)).hasMessageContaining("horizonHours");
        assertThatThrownBy(() -> ProductionLineModel.run(line, 10, 10, 1)).hasMessageContaining("warmUpHours");
    }
}
