package io.twinworks.sim.whatif;

import org.jspecify.annotations.Nullable;

/** A what-if request that cannot be simulated; the message says why (answered with 400). */
public final class InvalidScenarioException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason why, for the requester; a wrapped exception's message (never null for ours) */
    public InvalidScenarioException(@Nullable String reason) {
        super(reason == null ? "the scenario cannot be simulated" : reason);
    }

    /** Why the scenario cannot be simulated. */
    @Override
    public String getMessage() {
        return java.util.Objects.requireNonNull(super.getMessage());
    }
}
