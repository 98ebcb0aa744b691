package io.twinworks.cli.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * The alarm device's side of {@code bench alarm}: it publishes normal vibration readings, one
 * out-of-range reading per trial, and reads what the subscriber saw of its twin to time the health
 * state's change and to confirm the reset before the next trial.
 *
 * <p>A trial starts only while the last health state seen is {@code ok}. The device publishes one
 * out-of-range reading and nothing else until the subscriber sees the state change (or the trial times
 * out): the figure is the latency of that one reading, not of a burst. A change counts only when its
 * prediction is based on the out-of-range reading's twin revision or a later one; a change based on an
 * earlier reading means the reset did not hold and is counted apart. Reset: normal readings, one every
 * reading interval, until {@code ok} is seen again, then {@code settleReadings} more (so that the
 * out-of-range reading has left the detector's short pattern window before the next one).
 */
final class AlarmTrials {

    /** The alarm device's normal vibration level (mm/s), as the demo's healthy pumps run. */
    static final double NORMAL_RMS = 2.0;
    /** The spread of its normal readings (mm/s). */
    static final double NORMAL_SPREAD = 0.05;
    static final String OK = "ok";

    /** Publishes one reading of the alarm device. */
    interface Device {
        /**
         * Publishes a vibration reading (QoS 1) and returns once it is acknowledged.
         *
         * @return {@link System#nanoTime()} just before it was published
         */
        long publish(long seq, double rms) throws Exception;
    }

    private final Device device;
    private final AlarmObservations seen;
    private final double outOfRangeRms;
    private final Duration trialTimeout;
    private final Duration readingInterval;
    private final int settleReadings;
    private final Duration resetTimeout;
    private final Random noise = new Random(20261207L);
    private long seq;
    private String lastHealth = "";

    /**
     * @param readingInterval time between two normal readings
     * @param settleReadings  normal readings after {@code ok} is seen again, before the next trial
     * @param resetTimeout    how long the health state may take to return to {@code ok}
     */
    AlarmTrials(Device device, AlarmObservations seen, double outOfRangeRms, Duration trialTimeout, Duration readingInterval,
                int settleReadings, Duration resetTimeout) {
        this.device = Objects.requireNonNull(device, "device");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.outOfRangeRms = outOfRangeRms;
        this.trialTimeout = Objects.requireNonNull(trialTimeout, "trialTimeout");
        this.readingInterval = Objects.requireNonNull(readingInterval, "readingInterval");
        this.settleReadings = settleReadings;
        this.resetTimeout = Objects.requireNonNull(resetTimeout, "resetTimeout");
    }

    /**
     * Publishes normal readings until the health state is {@code ok} (the analytics service learned the
     * device's normal operation and wrote its first prediction), then the settle readings.
     *
     * @return whether {@code ok} was seen within the reset timeout
     */
    boolean warmUp() throws Exception {
        return reset();
    }

    /** One trial; call it only after {@link #warmUp()} or {@link #reset()} returned {@code true}. */
    AlarmTrial trial() throws Exception {
        if (!OK.equals(lastHealth)) {
            throw new IllegalStateException("a trial needs the health state ok, last seen: " + lastHealth);
        }
        long outOfRange = ++seq;
        long sentAt = device.publish(outOfRange, outOfRangeRms);
        long deadline = sentAt + trialTimeout.toNanos();
        long readingRevision = -1;
        long readingApplied = -1;
        while (true) {
            AlarmObservations.Observation observation = seen.next(deadline);
            if (observation == null) {
                return AlarmTrial.timedOut(readingApplied);
            }
            if (observation instanceof AlarmObservations.Reading reading && reading.seq() == outOfRange) {
                readingRevision = reading.revision();
                readingApplied = reading.receivedAtNanos() - sentAt;
            } else if (observation instanceof AlarmObservations.Health health && !health.state().equals(lastHealth)) {
                lastHealth = health.state();
                return readingRevision >= 0 && health.basedOnRevision() >= readingRevision
                        ? AlarmTrial.changed(health.receivedAtNanos() - sentAt, readingApplied, health.state())
                        : AlarmTrial.changedBeforeReading(readingApplied, health.state());
            }
        }
    }

    /**
     * Publishes normal readings until the health state seen is {@code ok}, then the settle readings (and
     * again until {@code ok}, should one of them change it).
     *
     * @return whether that happened within the reset timeout (a late change of an earlier trial, seen during the
     *         settle readings, starts the settle readings again)
     */
    boolean reset() throws Exception {
        long giveUpAt = System.nanoTime() + resetTimeout.toNanos();
        int settled = 0;
        while (System.nanoTime() < giveUpAt) {
            long next = device.publish(++seq, normalReading()) + readingInterval.toNanos();
            observeUntil(next);
            if (!OK.equals(lastHealth)) {
                settled = 0;
            } else if (settled++ >= settleReadings) {
                return true;
            }
        }
        return false;
    }

    /** Takes in what the subscriber saw until {@code deadlineNanos}, keeping the last health state. */
    private void observeUntil(long deadlineNanos) throws InterruptedException {
        AlarmObservations.Observation observation;
        while ((observation = seen.next(deadlineNanos)) != null) {
            if (observation instanceof AlarmObservations.Health health) {
                lastHealth = health.state();
            }
        }
    }

    /** A normal reading: the normal level with Gaussian noise (seeded, so runs are alike). */
    private double normalReading() {
        return Math.max(0, NORMAL_RMS + NORMAL_SPREAD * noise.nextGaussian());
    }

    /** The last health state seen ({@code ""} before any). */
    String lastHealth() {
        return lastHealth;
    }
}
