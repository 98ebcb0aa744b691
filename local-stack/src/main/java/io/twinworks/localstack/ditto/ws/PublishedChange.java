package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;

import java.util.Objects;

/**
 * A persisted twin change on its way to the sessions, with the policy enforcer every session decides
 * with: the one the twin service's policy cache holds for that policy revision (Ditto's enforcers are
 * immutable), so that neither a change nor a session rebuilds it.
 */
final class PublishedChange {

    private final TwinChange change;

    PublishedChange(TwinChange change) {
        this.change = Objects.requireNonNull(change, "change");
    }

    TwinChange change() {
        return change;
    }

    Enforcer enforcer() {
        return change.enforcer();
    }
}
