package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The trial loop's bookkeeping against a scripted twin: what the subscriber would see after each
 * reading is given by the test, so that every way a trial can end (and fail) is covered.
 * {@code AlarmBenchIT} runs the loop against the real stack and analytics service.
 */
class AlarmTrialsTest {

    private static final double OUT_OF_RANGE = 5.0;
    private static final Duration TRIAL_TIMEOUT = Duration.ofMillis(300);

    /** What the scripted twin answers to one applied reading: the health state to write, or null for none. */
    private interface Script {
        AlarmObservations.Health answer(long revision, double rms);
    }

    /** Applies each reading at the next revision and shows it (and the script's answer) to the trial loop at once. */
    private static final class ScriptedTwin implements AlarmTrials.Device {
        final AlarmObservations seen = new AlarmObservations("plant.a:pump-9");
        final List<Double> published = new ArrayList<>();
        Script script;
        long revision = 100;

        ScriptedTwin(Script script) {
            this.script = script;
        }

        @Override
        public long publish(long seq, double rms) {
            long sentAt = System.nanoTime();
            published.add(rms);
            revision++;
            seen.add(new AlarmObservations.Reading(seq, revision, System.nanoTime()));
            AlarmObservations.Health health = script.answer(revision, rms);
            if (health != null) {
                seen.add(health);
            }
            return sentAt;
        }
    }

    private static AlarmObservations.Health health(String state, long basedOnRevision) {
        return new AlarmObservations.Health(state, basedOnRevision, System.nanoTime());
    }

    /** A detector in a few lines: ok for normal readings, alarm for the out-of-range one, based on that very reading. */
    private static AlarmObservations.Health honest(long revision, double rms) {
        return health(rms >= OUT_OF_RANGE ? "alarm" : "ok", revision);
    }

    private static AlarmTrials trials(ScriptedTwin twin) {
        return new AlarmTrials(twin, twin.seen, OUT_OF_RANGE, TRIAL_TIMEOUT, Duration.ofMillis(1), 3, Duration.ofMillis(500));
    }

    @Test
    void aChangeBasedOnTheOutOfRangeReadingIsMeasuredFromItsPublish() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();

        AlarmTrial trial = trials.trial();

        assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.CHANGED);
        assertThat(trial.state()).isEqualTo("alarm");
        assertThat(trial.readingAppliedNanos()).isNotNegative();
        assertThat(trial.latencyNanos()).isGreaterThanOrEqualTo(trial.readingAppliedNanos());
        assertThat(twin.published).filteredOn(rms -> rms == OUT_OF_RANGE).hasSize(1);
    }

    @Test
    void aTrialWhoseHealthStateNeverChangesIsReportedAsTimedOut() throws Exception {
        // the detector answers ok to everything, as it would to a reading that is not out of range
        ScriptedTwin twin = new ScriptedTwin((revision, rms) -> health("ok", revision));
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();

        long started = System.nanoTime();
        AlarmTrial trial = trials.trial();

        assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.TIMED_OUT);
        assertThat(trial.latencyNanos()).isEqualTo(-1);
        assertThat(trial.state()).isNull();
        assertThat(trial.readingAppliedNanos()).as("the reading itself was applied").isNotNegative();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TRIAL_TIMEOUT.toNanos());
    }

    @Test
    void aReadingNeverAppliedTimesOutWithoutAnApplyFigure() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();
        // from now on the stack swallows every reading: nothing is seen
        AlarmTrials.Device swallowing = (seq, rms) -> System.nanoTime();
        AlarmTrials silent = new AlarmTrials(swallowing, twin.seen, OUT_OF_RANGE, TRIAL_TIMEOUT, Duration.ofMillis(1), 3,
                Duration.ofMillis(500));
        twin.seen.add(health("ok", twin.revision));
        assertThat(silent.warmUp()).isTrue();

        AlarmTrial trial = silent.trial();

        assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.TIMED_OUT);
        assertThat(trial.readingAppliedNanos()).isEqualTo(-1);
    }

    @Test
    void aChangeBasedOnAReadingBeforeTheOutOfRangeOneIsCountedAsVoidNotAsLatency() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();
        // a late warning about an earlier, normal reading arrives right after the out-of-range reading is applied
        twin.script = (revision, rms) -> health("warning", revision - 1);

        AlarmTrial trial = trials.trial();

        assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.CHANGED_BEFORE_READING);
        assertThat(trial.latencyNanos()).isEqualTo(-1);
        assertThat(trial.state()).isEqualTo("warning");
    }

    @Test
    void aChangeSeenBeforeTheOutOfRangeReadingItselfIsVoid() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();
        // a stale state change still queued from before the trial: the reading's revision is not known yet
        twin.seen.add(health("warning", twin.revision));
        twin.script = (revision, rms) -> null;

        AlarmTrial trial = trials.trial();

        assertThat(trial.outcome()).isEqualTo(AlarmTrial.Outcome.CHANGED_BEFORE_READING);
    }

    @Test
    void intervalWritesOfTheSameStateDoNotEndATrial() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();
        twin.seen.add(health("ok", twin.revision));
        twin.script = (revision, rms) -> null;

        assertThat(trials.trial().outcome()).isEqualTo(AlarmTrial.Outcome.TIMED_OUT);
    }

    @Test
    void resetWaitsForOkAndThenTheSettleReadings() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();
        assertThat(trials.trial().outcome()).isEqualTo(AlarmTrial.Outcome.CHANGED);
        // the detector needs three normal readings to come back
        int[] normalSeen = {0};
        twin.script = (revision, rms) -> health(++normalSeen[0] >= 3 ? "ok" : "alarm", revision);
        int before = twin.published.size();

        assertThat(trials.reset()).isTrue();

        assertThat(trials.lastHealth()).isEqualTo("ok");
        // 3 until ok is seen (the third brings it), then the 3 settle readings
        assertThat(twin.published.size() - before).isEqualTo(3 + 3);
        assertThat(twin.published.subList(before, twin.published.size())).allMatch(rms -> rms < OUT_OF_RANGE);
    }

    @Test
    void aHealthStateThatStaysAlarmFailsTheResetWithinItsTimeout() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = trials(twin);
        assertThat(trials.warmUp()).isTrue();
        assertThat(trials.trial().outcome()).isEqualTo(AlarmTrial.Outcome.CHANGED);
        twin.script = (revision, rms) -> health("alarm", revision);

        long started = System.nanoTime();
        assertThat(trials.reset()).isFalse();

        assertThat(trials.lastHealth()).isEqualTo("alarm");
        assertThat(System.nanoTime() - started).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void noFirstPredictionFailsTheWarmUp() throws Exception {
        ScriptedTwin twin = new ScriptedTwin((revision, rms) -> null);

        assertThat(trials(twin).warmUp()).isFalse();
    }

    @Test
    void aTrialIsRefusedUnlessTheLastHealthStateSeenIsOk() {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);

        assertThatThrownBy(() -> trials(twin).trial()).isInstanceOf(IllegalStateException.class).hasMessageContaining("ok");
        assertThat(twin.published).isEmpty();
    }

    @Test
    void normalReadingsStayNearTheNormalLevel() throws Exception {
        ScriptedTwin twin = new ScriptedTwin(AlarmTrialsTest::honest);
        AlarmTrials trials = new AlarmTrials(twin, twin.seen, OUT_OF_RANGE, TRIAL_TIMEOUT, Duration.ofMillis(1), 500,
                Duration.ofSeconds(10));

        assertThat(trials.warmUp()).isTrue();

        assertThat(twin.published).hasSizeGreaterThan(500)
                .allMatch(rms -> Math.abs(rms - AlarmTrials.NORMAL_RMS) < 6 * AlarmTrials.NORMAL_SPREAD);
    }
}
