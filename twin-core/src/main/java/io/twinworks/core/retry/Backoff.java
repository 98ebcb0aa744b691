package io.twinworks.core.retry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before each retry of something that failed: the first delay, growing by a factor
 * per retry up to a largest delay, with an optional random part taken off each delay.
 *
 * <p>The jitter is there for fleets: adapters that lost the same Hono endpoint at the same moment
 * would otherwise all reconnect in lock-step; a jitter of 0.2 spreads each delay over its last 20 %.
 * A jittered delay is never longer than the un-jittered one, so {@code maxMillis} stays a bound.
 *
 * @param initialMillis delay before the first retry, at least 0
 * @param maxMillis     largest delay, at least {@code initialMillis}
 * @param multiplier    growth per retry, at least 1 (1 = constant delay)
 * @param jitter        fraction of each delay drawn at random and taken off, in {@code [0, 1]}
 */
public record Backoff(long initialMillis, long maxMillis, double multiplier, double jitter) {

    /** Checks the ranges documented on the components. */
    public Backoff {
        if (initialMillis < 0) {
            throw new IllegalArgumentException("initialMillis must not be negative, was " + initialMillis);
        }
        if (maxMillis < initialMillis) {
            throw new IllegalArgumentException("maxMillis (" + maxMillis + ") must not be below initialMillis ("
                    + initialMillis + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
        }
    }

    /** Doubling delays from {@code initialMillis} up to {@code maxMillis}, without jitter. */
    public static Backoff exponential(long initialMillis, long maxMillis) {
        return new Backoff(initialMillis, maxMillis, 2.0, 0.0);
    }

    /** This policy with another jitter. */
    public Backoff withJitter(double newJitter) {
        return new Backoff(initialMillis, maxMillis, multiplier, newJitter);
    }

    /**
     * The delay before retry number {@code retry} (0 = the first retry) without jitter:
     * {@code min(maxMillis, initialMillis * multiplier^retry)}.
     */
    public long delayMillis(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative, was " + retry);
        }
        double delay = initialMillis * Math.pow(multiplier, retry);
        return delay >= maxMillis ? maxMillis : (long) delay;
    }

    /**
     * The delay before retry number {@code retry} with the jitter applied.
     *
     * @param random uniform numbers in {@code [0, 1)}
     */
    public long jitteredDelayMillis(int retry, DoubleSupplier random) {
        long delay = delayMillis(retry);
        if (jitter == 0.0) {
            return delay;
        }
        return delay - (long) (delay * jitter * random.getAsDouble());
    }

    /** A fresh, not thread-safe run of delays under this policy, for one retry loop. */
    public Delays delays() {
        return new Delays(this);
    }

    /**
     * The delays of one retry loop: each {@link #next()} is the delay before the next retry; {@link #reset()}
     * after a success starts again from the first delay. Confined to the thread of its loop.
     */
    public static final class Delays {

        private final Backoff policy;
        private int retries;

        private Delays(Backoff policy) {
            this.policy = policy;
        }

        /** The delay before the next retry (jittered); the one after will be longer, up to the largest. */
        public long next() {
            long delay = policy.jitteredDelayMillis(retries, () -> ThreadLocalRandom.current().nextDouble());
            if (policy.delayMillis(retries) < policy.maxMillis()) {
                retries++;
            }
            return delay;
        }

        /** Back to the first delay (after a success). */
        public void reset() {
            retries = 0;
        }

        /** Retries counted since the last reset, up to where the delay reached its largest value. */
        public int retries() {
            return retries;
        }
    }
}
