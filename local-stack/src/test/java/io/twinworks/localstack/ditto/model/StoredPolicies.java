package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyRevision;

import java.time.Instant;

/** Test fixture: a policy model as the twin store would hold it. */
public final class StoredPolicies {

    private static final Instant STORED_AT = Instant.parse("2026-12-01T00:00:00Z");

    private StoredPolicies() {
    }

    /** The policy's regular fields at its revision (1 without one), created and modified at a fixed instant. */
    public static StoredPolicy of(Policy policy) {
        return new StoredPolicy(policy.getEntityId().orElseThrow(), policy.toJson(),
                policy.getRevision().map(PolicyRevision::toLong).orElse(1L), STORED_AT, STORED_AT, false);
    }
}
