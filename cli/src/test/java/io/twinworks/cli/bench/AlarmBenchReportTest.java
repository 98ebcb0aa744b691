package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlarmBenchReportTest {

    private static final AlarmBenchOptions THREE_TRIALS = new AlarmBenchOptions(3, 100, 10, 5.0, Duration.ofSeconds(10));
    private static final AlarmBenchReport.Background BACKGROUND = new AlarmBenchReport.Background(20_000, 20_100, 20.0, 30_000, 30_000, 0);
    private static final MemorySampler.Figures MEMORY = new MemorySampler.Figures(20, 20.0, 100L << 20, 120L << 20, 110L << 20, 500L << 20, 600L << 20, 590L << 20);

    private static AlarmBenchReport report(List<AlarmTrial> trials, AlarmBenchReport.Background background, String stoppedEarly) {
        return new AlarmBenchReport(THREE_TRIALS, 10, 5_000, trials, background, MEMORY, stoppedEarly);
    }

    private static AlarmTrial changed(long millis) {
        return AlarmTrial.changed(millis * 1_000_000, millis * 400_000, "alarm");
    }

    @Test
    void everyTrialChangedIsCleanAndPrintsItsPercentiles() {
        AlarmBenchReport report = report(List.of(changed(30), changed(10), changed(20)), BACKGROUND, null);

        assertThat(report.clean()).isTrue();
        assertThat(report.latency().p50Nanos()).isEqualTo(20_000_000);
        assertThat(report.latency().p99Nanos()).isEqualTo(30_000_000);
        assertThat(report.format()).contains("p50 20.0 ms, p99 30.0 ms, max 30.0 ms over 3 changes",
                "changed to {alarm=3}", "warm-up 10 readings, write interval 5000 ms", "timed out (no change within 10 s): 0", "1,000.0 msg/s published during the trials (20.0 s), the twin service applied 1,005.0 records/s",
                "result: every trial changed the health state");
    }

    @Test
    void aTimedOutTrialMakesTheRunNotCleanAndIsLeftOutOfTheLatency() {
        AlarmBenchReport report = report(List.of(changed(10), AlarmTrial.timedOut(4_000_000), changed(20)), BACKGROUND, null);

        assertThat(report.clean()).isFalse();
        assertThat(report.count(AlarmTrial.Outcome.TIMED_OUT)).isEqualTo(1);
        assertThat(report.latency().count()).isEqualTo(2);
        assertThat(report.readingApplied().count()).as("the timed-out reading was applied").isEqualTo(3);
        assertThat(report.format()).contains("timed out (no change within 10 s): 1", "over 2 changes", "result: NOT CLEAN");
    }

    @Test
    void onlyTimeoutsPrintZeroLatenciesOverNoChangesAndAreNotClean() {
        AlarmBenchReport report = report(List.of(AlarmTrial.timedOut(-1), AlarmTrial.timedOut(-1), AlarmTrial.timedOut(-1)),
                BACKGROUND, null);

        assertThat(report.clean()).isFalse();
        assertThat(report.format()).contains("over 0 changes", "changed to -", "timed out (no change within 10 s): 3");
    }

    @Test
    void aVoidTrialIsCountedApartAndIsNotClean() {
        AlarmBenchReport report = report(List.of(changed(10), AlarmTrial.changedBeforeReading(-1, "warning"), changed(20)),
                BACKGROUND, null);

        assertThat(report.clean()).isFalse();
        assertThat(report.format()).contains("changed before the reading was used: 1", "changed to {alarm=2}");
    }

    @Test
    void failedBackgroundReadingsMakeTheRunNotClean() {
        AlarmBenchReport report = report(List.of(changed(10), changed(20), changed(30)),
                new AlarmBenchReport.Background(20_000, 20_100, 20.0, 30_000, 29_990, 10), null);

        assertThat(report.clean()).isFalse();
        assertThat(report.format()).contains("failed 10 over the run");
    }

    @Test
    void trialsStoppedEarlyAreNotCleanAndSayWhy() {
        AlarmBenchReport report = report(List.of(changed(10)), BACKGROUND, "after trial 1 the health state did not return to ok");

        assertThat(report.clean()).isFalse();
        assertThat(report.format()).contains("trials: 1 of 3 ran", "STOPPED EARLY: after trial 1");
    }
}
