package io.twinworks.sim.line;

import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * One machine of a production line (design data).
 *
 * @param name        the station's name (unique in the line)
 * @param asset       thing ID of the machine's own twin, or {@code null}
 * @param ratePerHour parts per hour while it works (1 / mean cycle time)
 * @param cycleTime   whether cycle times are fixed or exponentially distributed
 * @param mttfHours   mean time to failure (exponential, time-dependent: the clock runs whether the
 *                    machine works, waits or is blocked); {@code infinity} = never fails
 * @param mttrHours   mean time to repair (exponential); 0 when it never fails
 */
public record Station(String name, @Nullable String asset, double ratePerHour, CycleTime cycleTime, double mttfHours, double mttrHours) {

    /** How cycle times are drawn. */
    public enum CycleTime {
        /** Every part takes exactly 1/rate (a paced machine). */
        DETERMINISTIC("deterministic"),
        /** Exponential with mean 1/rate (manual work, highly variable machines). */
        EXPONENTIAL("exponential");

        private final String wireName;

        CycleTime(String wireName) {
            this.wireName = wireName;
        }

        /** The name in JSON. */
        public String wireName() {
            return wireName;
        }
    }

    public Station {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cycleTime, "cycleTime");
        if (name.isBlank()) {
            throw new IllegalArgumentException("station name must not be blank");
        }
        if (!(ratePerHour > 0) || !Double.isFinite(ratePerHour)) {
            throw new IllegalArgumentException("ratePerHour of " + name + " must be a finite number > 0: " + ratePerHour);
        }
        if (!(mttfHours > 0)) {
            throw new IllegalArgumentException("mttfHours of " + name + " must be > 0: " + mttfHours);
        }
        if (!(mttrHours >= 0) || !Double.isFinite(mttrHours)) {
            throw new IllegalArgumentException("mttrHours of " + name + " must be a finite number >= 0: " + mttrHours);
        }
    }

    /** A machine that never fails. */
    public static Station reliable(String name, double ratePerHour, CycleTime cycleTime) {
        return new Station(name, null, ratePerHour, cycleTime, Double.POSITIVE_INFINITY, 0);
    }

    /** Whether the machine ever fails. */
    public boolean fails() {
        return Double.isFinite(mttfHours) && mttrHours > 0;
    }

    /** Share of time the machine is up: MTTF / (MTTF + MTTR). */
    public double availability() {
        return fails() ? mttfHours / (mttfHours + mttrHours) : 1;
    }

    /** Its rate on its own (never starved nor blocked): rate × availability. */
    public double isolatedRatePerHour() {
        return ratePerHour * availability();
    }
}
