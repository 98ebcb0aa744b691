package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;

import java.time.Instant;
import java.util.Objects;

/**
 * One policy as persisted.
 *
 * @param policyId the policy's ID
 * @param json     the policy's regular fields ({@code policyId}, {@code entries}); its {@code entries} value is the
 *                 one instance shared by every policy in memory with equal entries
 * @param revision the revision of the last change (keeps counting after a delete)
 * @param created  when the policy was (last) created
 * @param modified when the policy was last changed
 * @param deleted  {@code true} for a tombstone that only remembers the revision
 */
public record StoredPolicy(PolicyId policyId, JsonObject json, long revision, Instant created, Instant modified,
                           boolean deleted) {

    public StoredPolicy {
        Objects.requireNonNull(policyId, "policyId");
        // equal entries (a fleet's policies from one template) are one object in memory
        json = SharedPolicyEntries.sharing(Objects.requireNonNull(json, "json"));
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(modified, "modified");
    }

    /** The policy as Ditto's model, with revision and timestamps set. */
    public Policy toPolicy() {
        return PoliciesModelFactory.newPolicyBuilder(PoliciesModelFactory.newPolicy(json))
                .setRevision(revision)
                .setCreated(created)
                .setModified(modified)
                .build();
    }
}
