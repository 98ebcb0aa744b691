package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.ThingModelOnDemand;
import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Policy enforcers, kept per policy ID for as long as the stored policy is the same (same revision and
 * content): parsing a policy and building its enforcer trie cost more than the rest of a twin command. A
 * changed policy (new revision, or a staged change rolled back) no longer matches its entry, so its
 * enforcer is looked up again — there is nothing to invalidate by hand.
 *
 * <p>One enforcer (with its remembered {@link PolicyDecisions}) serves every policy whose {@code entries} are
 * equal JSON: Ditto's enforcer is built from the entries alone, so policies that differ only in their ID,
 * revision or timestamps decide alike. A fleet provisioned from one template has a policy per device but a
 * handful of distinct entry sets, and an enforcer per policy held about 90 KB per device (most of the
 * soak's live heap per pump). The policy's own model is not kept: only the general event path in tests and
 * whole-policy entity tags ask for it ({@link TwinChange#policy()}, {@link StoredPolicy#toPolicy()}).
 *
 * <p>Bounded (least recently used entries dropped first, per ID and per entry set); thread-safe.
 */
final class ParsedPolicies {

    /** Policies whose enforcer is remembered by ID; a development stack's fleet has far fewer distinct policies. */
    static final int MAX_ENTRIES = 10_000;
    /** Distinct entry sets kept with their enforcer (at most one per remembered policy). */
    static final int MAX_ENTRY_SETS = MAX_ENTRIES;
    private static final String ENTRIES = "entries";

    private final Map<PolicyId, Parsed> byId = leastRecentlyUsed(MAX_ENTRIES);
    /** Key: the policy's {@code entries} JSON (JSON null when it has none), compared by content. */
    private final Map<JsonValue, PolicyDecisions> byEntries = leastRecentlyUsed(MAX_ENTRY_SETS);

    private record Parsed(StoredPolicy source, PolicyDecisions decisions) {
    }

    private static <K, V> Map<K, V> leastRecentlyUsed(int maxEntries) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** A persisted change as published: with the policy and its cached enforcer's decisions (one lookup). */
    TwinChange change(ThingEvent<?> event, StoredPolicy stored, ThingModelOnDemand thingAfter) {
        return new TwinChange(event, stored, thingAfter, decisions(stored));
    }

    /** Decisions of {@code subject} on {@code resourceType} under the policy. */
    Access access(StoredPolicy stored, String resourceType, AuthorizationContext subject) {
        PolicyDecisions decisions = decisions(stored);
        return new Access(decisions.enforcer(), decisions, resourceType, subject);
    }

    /** The remembered decisions of the policy's enforcer, shared with every policy of equal entries. */
    synchronized PolicyDecisions decisions(StoredPolicy stored) {
        Parsed cached = byId.get(stored.policyId());
        // record equality: same revision, timestamps, tombstone flag and JSON (identity first, so a hit is cheap)
        if (cached != null && cached.source().equals(stored)) {
            return cached.decisions();
        }
        // every new policy (or revision) is parsed as before: the same Ditto model checks, the same exceptions
        Policy policy = stored.toPolicy();
        JsonValue entries = stored.json().getValue(ENTRIES).orElse(JsonValue.nullLiteral());
        PolicyDecisions decisions = byEntries.get(entries);
        if (decisions == null) {
            // the enforcer reads only the entries
            Enforcer enforcer = PolicyEnforcers.defaultEvaluator(policy);
            decisions = new PolicyDecisions(enforcer);
            byEntries.put(entries, decisions);
        }
        byId.put(stored.policyId(), new Parsed(stored, decisions));
        return decisions;
    }
}
