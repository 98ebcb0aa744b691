package io.twinworks.cli.bench;

/**
 * One alarm-latency trial: the alarm device published one out-of-range reading while its health state
 * was {@code ok}.
 *
 * @param outcome             what the subscriber saw
 * @param latencyNanos        publish → the health state's change seen by the subscriber (-1 unless {@link Outcome#CHANGED})
 * @param readingAppliedNanos publish → the reading's own twin change seen by the subscriber (-1 when it was not seen
 *                            before the trial ended)
 * @param state               the health state it changed to ({@code null} when it did not change)
 */
public record AlarmTrial(Outcome outcome, long latencyNanos, long readingAppliedNanos, String state) {

    /** How a trial ended. */
    public enum Outcome {
        /** The health state changed, and the prediction was based on the out-of-range reading (or a later one). */
        CHANGED,
        /** The health state did not change within the trial timeout. */
        TIMED_OUT,
        /**
         * The health state changed, but the prediction was based on an earlier reading than the out-of-range one:
         * the reset before the trial did not hold, so the trial measures nothing.
         */
        CHANGED_BEFORE_READING
    }

    static AlarmTrial changed(long latencyNanos, long readingAppliedNanos, String state) {
        return new AlarmTrial(Outcome.CHANGED, latencyNanos, readingAppliedNanos, state);
    }

    static AlarmTrial timedOut(long readingAppliedNanos) {
        return new AlarmTrial(Outcome.TIMED_OUT, -1, readingAppliedNanos, null);
    }

    static AlarmTrial changedBeforeReading(long readingAppliedNanos, String state) {
        return new AlarmTrial(Outcome.CHANGED_BEFORE_READING, -1, readingAppliedNanos, state);
    }
}
