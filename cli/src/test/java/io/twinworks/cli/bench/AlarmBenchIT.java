package io.twinworks.cli.bench;

import io.twinworks.analytics.AnalyticsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench alarm} at a small size, end to end (local stack, analytics service as the demo runs it,
 * virtual-fleet background, /ws/2 subscriber): an out-of-range reading changes the health state and is
 * timed; a reading that is not out of range changes nothing, and the run says so (timeouts, not clean)
 * instead of reporting a latency. How fast is not asserted (shared CI machine); the command prints it.
 */
class AlarmBenchIT {

    @TempDir
    Path models;

    private AlarmBenchReport run(int trials, double rms, Duration trialTimeout, List<String> progress) throws Exception {
        AlarmBenchOptions options = new AlarmBenchOptions(trials, 5, 5, rms, trialTimeout);
        AnalyticsConfig analytics = AnalyticsConfig.fromEnv(Map.of()).withHttpPort(0).withModelDir(models);
        return new AlarmBench(options, analytics, progress::add).run();
    }

    @Test
    void eachOutOfRangeReadingChangesTheHealthStateToAlarmAndIsTimedFromItsPublish() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());

        AlarmBenchReport report = run(3, 5.0, Duration.ofSeconds(30), progress);

        String context = report.format() + "\n" + String.join("\n", progress);
        assertThat(report.trials()).as(context).hasSize(3)
                .allSatisfy(trial -> {
                    assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.CHANGED);
                    assertThat(trial.state()).isEqualTo("alarm");
                    // the change is based on the reading, so it comes after the reading's own change event
                    assertThat(trial.readingAppliedNanos()).isPositive();
                    assertThat(trial.latencyNanos()).isGreaterThan(trial.readingAppliedNanos());
                });
        assertThat(report.clean()).as(context).isTrue();
        assertThat(report.background().published()).as(context).isPositive();
        assertThat(report.background().failed()).as(context).isZero();
        assertThat(report.format()).contains("over 3 changes", "changed to {alarm=3}", "result: every trial changed");
    }

    @Test
    void aReadingThatIsNotOutOfRangeTimesOutEveryTrialAndTheRunIsNotClean() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());

        // the alarm device's normal level: applied to the twin, but nothing for the detector to report
        AlarmBenchReport report = run(2, AlarmTrials.NORMAL_RMS, Duration.ofSeconds(3), progress);

        String context = report.format() + "\n" + String.join("\n", progress);
        assertThat(report.trials()).as(context).hasSize(2)
                .allSatisfy(trial -> {
                    assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.TIMED_OUT);
                    assertThat(trial.readingAppliedNanos()).as("the reading itself reached the twin").isPositive();
                });
        assertThat(report.latency().count()).isZero();
        assertThat(report.clean()).isFalse();
        assertThat(report.format()).contains("timed out (no change within 3 s): 2", "result: NOT CLEAN");
    }
}
