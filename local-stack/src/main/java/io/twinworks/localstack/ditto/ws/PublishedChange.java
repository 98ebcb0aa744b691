package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;

import java.util.Objects;

/**
 * A persisted twin change on its way to the sessions; the policy enforcer is built once, by the first
 * session that needs it, and then shared (Ditto's enforcers are immutable), so that a change fanned
 * out to many sessions does not rebuild it per session and the twin service's worker thread never
 * pays for it.
 */
final class PublishedChange {

    private final TwinChange change;
    private Enforcer enforcer;

    PublishedChange(TwinChange change) {
        this.change = Objects.requireNonNull(change, "change");
    }

    TwinChange change() {
        return change;
    }

    synchronized Enforcer enforcer() {
        if (enforcer == null) {
            enforcer = PolicyEnforcers.defaultEvaluator(change.policy());
        }
        return enforcer;
    }
}
