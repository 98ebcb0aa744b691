package io.twinworks.core.ops;

/**
 * One named condition of a service's health, answered from in-memory state only (a flag a
 * connection listener sets, an atomic counter): a probe must never wait for I/O or a lock.
 */
@FunctionalInterface
public interface HealthCheck {

    /** The current state; never blocks. */
    Result check();

    /**
     * @param up     whether the condition holds
     * @param detail what it is (when up) or what is wrong (when down), for a person reading the probe
     */
    record Result(boolean up, String detail) {

        /** The condition holds. */
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        /** The condition does not hold, and why. */
        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }
}
