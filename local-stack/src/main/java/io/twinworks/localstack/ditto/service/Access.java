package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;

/**
 * Policy decisions for one authorization context on one resource type ({@code thing} or
 * {@code policy}), evaluated with Ditto's {@link PolicyEnforcers#defaultEvaluator}. Yes/no decisions
 * go through the policy's {@link PolicyDecisions}, so a subject writing the same paths again (a
 * device's telemetry) does not walk the enforcer's trie per command.
 */
final class Access {

    static final String READ = "READ";
    static final String WRITE = "WRITE";
    private static final Permissions READ_PERMISSION = PoliciesModelFactory.newPermissions(READ);

    private final Enforcer enforcer;
    private final PolicyDecisions decisions;
    private final String resourceType;
    private final AuthorizationContext subject;

    /** With the enforcer of the policy and its decisions already built (see {@link ParsedPolicies}). */
    Access(Enforcer enforcer, PolicyDecisions decisions, String resourceType, AuthorizationContext subject) {
        this.enforcer = enforcer;
        this.decisions = decisions;
        this.resourceType = resourceType;
        this.subject = subject;
    }

    private ResourceKey key(JsonPointer path) {
        return ResourceKey.newInstance(resourceType, path);
    }

    /** May the subject read anything of the entity? Without this, the entity "does not exist" for it. */
    boolean seesEntity() {
        return decisions.partial(resourceType, JsonPointer.empty(), subject, READ);
    }

    /** May the subject read something at or below the path? */
    boolean canReadPartially(JsonPointer path) {
        return decisions.partial(resourceType, path, subject, READ);
    }

    /** May the subject read everything at and below the path? */
    boolean canReadAll(JsonPointer path) {
        return decisions.unrestricted(resourceType, path, subject, READ);
    }

    /** May the subject write everything at and below the path? */
    boolean canWrite(JsonPointer path) {
        return decisions.unrestricted(resourceType, path, subject, WRITE);
    }

    /**
     * May the subject write every leaf of a merge patch applied at the path? Ditto checks each
     * changed location, so a patch touching only granted features passes.
     */
    boolean canWriteMergePatch(JsonPointer path, JsonValue patch) {
        // WRITE on everything at and below a level covers every leaf of the patch there: one remembered decision
        // instead of one per leaf (a device's merge of its readings, a granted feature's properties)
        if (canWrite(path)) {
            return true;
        }
        if (!patch.isObject() || patch.asObject().isEmpty()) {
            return false;
        }
        for (JsonField field : patch.asObject()) {
            if (!canWriteMergePatch(path.addLeaf(field.getKey()), field.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The part of a value at the path that the subject may read: objects are filtered field by
     * field; a scalar or array is shown only with unrestricted READ ({@code null} otherwise).
     */
    JsonValue readableView(JsonPointer path, JsonValue value) {
        if (value.isObject()) {
            JsonObject view = enforcer.buildJsonView(key(path), value.asObject(), subject, READ_PERMISSION);
            return view;
        }
        return canReadAll(path) ? value : null;
    }

    /** Whether the policy grants anyone unrestricted WRITE on the policy itself (else nobody could ever fix it). */
    static boolean somebodyCanWritePolicy(Policy policy) {
        return !PolicyEnforcers.defaultEvaluator(policy)
                .getSubjectsWithUnrestrictedPermission(ResourceKey.newInstance("policy", JsonPointer.empty()), WRITE)
                .isEmpty();
    }

}
