package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.ThingModelOnDemand;
import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed policies and their enforcers, kept per policy ID for as long as the stored policy is the same
 * (same revision and content): parsing a policy and building its enforcer trie cost more than the rest of
 * a twin command. A changed policy (new revision, or a staged change rolled back) no longer matches its
 * entry, so it is parsed again — there is nothing to invalidate by hand. Bounded (least recently used
 * entries dropped first); thread-safe.
 */
final class ParsedPolicies {

    /** Policies kept parsed; a development stack's fleet has far fewer distinct policies. */
    static final int MAX_ENTRIES = 10_000;

    private final Map<PolicyId, Parsed> byId = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PolicyId, Parsed> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Parsed(StoredPolicy source, Policy policy, Enforcer enforcer, PolicyDecisions decisions) {
    }

    /** The policy as Ditto's model (with revision and timestamps). */
    Policy policy(StoredPolicy stored) {
        return parsed(stored).policy();
    }

    /** A persisted change as published: with the parsed policy and its cached enforcer's decisions (one lookup). */
    TwinChange change(ThingEvent<?> event, StoredPolicy stored, ThingModelOnDemand thingAfter) {
        Parsed parsed = parsed(stored);
        return new TwinChange(event, parsed.policy(), thingAfter, parsed.decisions());
    }

    /** Decisions of {@code subject} on {@code resourceType} under the policy. */
    Access access(StoredPolicy stored, String resourceType, AuthorizationContext subject) {
        Parsed parsed = parsed(stored);
        return new Access(parsed.enforcer(), parsed.decisions(), resourceType, subject);
    }

    private synchronized Parsed parsed(StoredPolicy stored) {
        Parsed cached = byId.get(stored.policyId());
        // record equality: same revision, timestamps, tombstone flag and JSON (identity first, so a hit is cheap)
        if (cached != null && cached.source().equals(stored)) {
            return cached;
        }
        Policy policy = stored.toPolicy();
        Enforcer enforcer = PolicyEnforcers.defaultEvaluator(policy);
        Parsed parsed = new Parsed(stored, policy, enforcer, new PolicyDecisions(enforcer));
        byId.put(stored.policyId(), parsed);
        return parsed;
    }
}
