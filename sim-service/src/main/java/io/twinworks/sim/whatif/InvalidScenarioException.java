package io.twinworks.sim.whatif;

/** A what-if request that cannot be simulated; the message says why (answered with 400). */
public final class InvalidScenarioException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidScenarioException(String reason) {
        super(reason);
    }
}
