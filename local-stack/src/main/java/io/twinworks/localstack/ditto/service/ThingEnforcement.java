package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.ThingJson;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyNotAccessibleException;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToModifyExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotModifiableException;

import java.util.Optional;

/**
 * Policy enforcement of thing commands, as Ditto's things enforcement does it before a command reaches
 * its strategy: which policy governs a thing, what the subject may see and write of it, and whether a
 * policy the command switches to (or copies) may be used.
 */
final class ThingEnforcement {

    /** The policy governing a thing and what the command's subject may do under it. */
    record Enforced(StoredPolicy policy, Access access) {
    }

    /** A top-level key, read from the thing's parts ({@link ThingJson#topLevel}) without building the whole thing. */
    private static final String POLICY_ID = "policyId";
    private static final String AUTHORIZATION_CONTEXT_HEADER = DittoHeaderDefinition.AUTHORIZATION_CONTEXT.getKey();
    /** Distinct policy IDs and authorization contexts remembered parsed (a fleet's devices share few of either). */
    private static final int MAX_PARSED_STRINGS = 10_000;

    private final TwinStore store;
    private final ParsedPolicies parsedPolicies;
    private final ParsedStrings<PolicyId> policyIds = new ParsedStrings<>(PolicyId::of, MAX_PARSED_STRINGS);
    private final ParsedStrings<AuthorizationContext> subjects = new ParsedStrings<>(
            header -> AuthorizationModelFactory.newAuthContext(JsonObject.of(header)), MAX_PARSED_STRINGS);

    ThingEnforcement(TwinStore store, ParsedPolicies parsedPolicies) {
        this.store = store;
        this.parsedPolicies = parsedPolicies;
    }

    /**
     * The policy of an existing thing and the subject's access under it; a thing without a live policy, or
     * one the subject may not see at all, is "not accessible" (404), as in Ditto.
     */
    Enforced enforce(ThingId thingId, StoredThing existing, DittoHeaders headers) {
        StoredPolicy policy = livePolicy(existing)
                .orElseThrow(() -> ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build());
        Access access = parsedPolicies.access(policy, "thing", subjectOf(headers));
        if (!access.seesEntity()) {
            throw ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        return new Enforced(policy, access);
    }

    /** The subject's access to a thing under its live policy; empty when the thing has none. */
    Optional<Access> access(StoredThing thing, AuthorizationContext subject) {
        return livePolicy(thing).map(policy -> parsedPolicies.access(policy, "thing", subject));
    }

    /** The subject's access under {@code policy}. */
    Access access(StoredPolicy policy, AuthorizationContext subject) {
        return parsedPolicies.access(policy, "thing", subject);
    }

    /**
     * The command's authorization context, as {@link DittoHeaders#getAuthorizationContext()} reads it from its
     * header (remembered per header text: Ditto parses the header's JSON with every call).
     */
    AuthorizationContext subjectOf(DittoHeaders headers) {
        String header = headers.get(AUTHORIZATION_CONTEXT_HEADER);
        return header == null ? headers.getAuthorizationContext() : subjects.of(header);
    }

    private Optional<StoredPolicy> livePolicy(StoredThing thing) {
        return thing.document().topLevel(POLICY_ID).filter(JsonValue::isString)
                .map(id -> policyIds.of(id.asString()))
                .flatMap(store::findPolicy)
                .filter(policy -> !policy.deleted());
    }

    /** A refused write: "not modifiable" for a subject that sees the thing, "not accessible" for one that does not. */
    static void requireWrite(ThingCommand<?> command, boolean allowed, Access access) {
        if (!allowed) {
            throw access.seesEntity()
                    ? ThingCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command)
                    : ThingNotAccessibleException.newBuilder(command.getEntityId())
                    .dittoHeaders(command.getDittoHeaders()).build();
        }
    }

    /** A changed policyId must name an existing policy under which the subject may write the thing. */
    StoredPolicy requireUsablePolicyChange(StoredThing thing, ThingJson changed, StoredPolicy current,
                                           DittoHeaders headers) {
        Optional<JsonValue> newPolicyId = changed.topLevel(POLICY_ID);
        if (newPolicyId.equals(thing.document().topLevel(POLICY_ID))) {
            return current;
        }
        if (newPolicyId.isEmpty() || !newPolicyId.get().isString()) {
            throw ThingNotModifiableException.newBuilder(thing.thingId())
                    .message("A Thing must keep a policyId.").dittoHeaders(headers).build();
        }
        PolicyId policyId = PolicyId.of(newPolicyId.get().asString());
        StoredPolicy policy = store.findPolicy(policyId).filter(p -> !p.deleted())
                .orElseThrow(() -> PolicyNotAccessibleException.newBuilder(policyId).dittoHeaders(headers).build());
        if (!parsedPolicies.access(policy, "thing", subjectOf(headers)).canWrite(JsonPointer.empty())) {
            throw PolicyNotAccessibleException.newBuilder(policyId).dittoHeaders(headers).build();
        }
        return policy;
    }

    /** The JSON of the policy a create copies ({@code _copyPolicyFrom}): the subject must be able to read all of it. */
    JsonObject copiedPolicy(String source, AuthorizationContext subject, DittoHeaders headers) {
        PolicyId sourceId = PolicyId.of(source);
        StoredPolicy copied = store.findPolicy(sourceId).filter(p -> !p.deleted())
                .orElseThrow(() -> PolicyNotAccessibleException.newBuilder(sourceId).dittoHeaders(headers).build());
        if (!parsedPolicies.access(copied, "policy", subject).canReadAll(JsonPointer.empty())) {
            throw PolicyNotAccessibleException.newBuilder(sourceId).dittoHeaders(headers).build();
        }
        return copied.json();
    }
}
