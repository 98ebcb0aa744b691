package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The yes/no decisions of one parsed policy's {@link Enforcer}, remembered: the enforcer is immutable and
 * its answer depends only on the resource, the subject and the permission, so asking again gives the same
 * answer. A device that merges the same properties thousands of times a second asks the same few
 * questions (may its connection write {@code /features/x/properties/y}?), and walking the enforcer's trie
 * for each was a tenth of the twin service's CPU per command under ingest.
 *
 * <p>Belongs to one set of policy entries (the twin service's {@code ParsedPolicies} shares it between policies whose
 * entries are equal, as their enforcers would be): a changed policy gets the enforcer and decisions of its new entries,
 * so nothing is ever invalidated by hand. Bounded: beyond {@value #MAX_DECISIONS} distinct
 * questions the memory starts over (a miss only costs the trie walk). Thread-safe.
 *
 * <p>A model value beside {@link TwinChange}, which carries it to event subscribers: WebSocket and SSE
 * sessions ask the same question per event and session (may this subject read the changed path
 * unrestricted?) and share these answers instead of walking the trie again. Free of I/O like the rest of
 * the model, so the service and the subscribers depend on it, not on each other.
 */
public final class PolicyDecisions {

    /** Distinct questions remembered per policy before starting over. */
    static final int MAX_DECISIONS = 4_096;

    private final Enforcer enforcer;
    private final Map<Question, Boolean> answers = new ConcurrentHashMap<>();

    private record Question(String resourceType, JsonPointer path, AuthorizationContext subject, String permission,
                            boolean unrestricted) {
    }

    /** The (empty) decisions of a parsed policy's enforcer. */
    public PolicyDecisions(Enforcer enforcer) {
        this.enforcer = enforcer;
    }

    /** The enforcer these decisions come from (for what is no yes/no question, e.g. a JSON view). */
    public Enforcer enforcer() {
        return enforcer;
    }

    /** Ditto's {@link Enforcer#hasUnrestrictedPermissions}: the permission at the path and everywhere below it. */
    public boolean unrestricted(String resourceType, JsonPointer path, AuthorizationContext subject, String permission) {
        return answer(new Question(resourceType, path, subject, permission, true));
    }

    /** Ditto's {@link Enforcer#hasPartialPermissions}: the permission somewhere at or below the path. */
    public boolean partial(String resourceType, JsonPointer path, AuthorizationContext subject, String permission) {
        return answer(new Question(resourceType, path, subject, permission, false));
    }

    private boolean answer(Question question) {
        Boolean known = answers.get(question);
        if (known != null) {
            return known;
        }
        ResourceKey resource = ResourceKey.newInstance(question.resourceType(), question.path());
        boolean answer = question.unrestricted()
                ? enforcer.hasUnrestrictedPermissions(resource, question.subject(), question.permission())
                : enforcer.hasPartialPermissions(resource, question.subject(), question.permission());
        if (answers.size() >= MAX_DECISIONS) {
            answers.clear();
        }
        answers.put(question, answer);
        return answer;
    }
}
