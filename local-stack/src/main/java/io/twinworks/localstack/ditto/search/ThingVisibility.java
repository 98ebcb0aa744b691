package io.twinworks.localstack.ditto.search;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;

import java.util.Optional;

/**
 * What a subject sees of a thing, decided with Ditto's policy enforcer exactly as a retrieve is:
 * nothing without READ somewhere on the thing, else the thing JSON reduced to the readable parts.
 */
public final class ThingVisibility {

    private static final String READ = "READ";
    private static final Permissions READ_PERMISSIONS = PoliciesModelFactory.newPermissions(READ);
    private static final ResourceKey THING_ROOT = PoliciesResourceType.thingResource(JsonPointer.empty());

    private ThingVisibility() {
    }

    /**
     * {@link #readableView(Enforcer, AuthorizationContext, JsonObject)} with a policy's remembered decisions:
     * whether the subject may read anything of the thing is asked once per policy and subject, not per event.
     * The view is built even for a subject that may read everything: Ditto's view re-encodes values (a number
     * sent as {@code -12.5e3} reads {@code -12500.0}), and subscribers get what Ditto sends.
     */
    public static Optional<JsonObject> readableView(PolicyDecisions decisions, AuthorizationContext subject,
                                                    JsonObject thing) {
        if (!decisions.partial(PoliciesResourceType.THING, JsonPointer.empty(), subject, READ)) {
            return Optional.empty();
        }
        return Optional.of(decisions.enforcer().buildJsonView(THING_ROOT, thing, subject, READ_PERMISSIONS));
    }

    /** The readable part of the thing JSON, or empty when the subject may read nothing of the thing. */
    public static Optional<JsonObject> readableView(Enforcer enforcer, AuthorizationContext subject, JsonObject thing) {
        if (!enforcer.hasPartialPermissions(THING_ROOT, subject, READ)) {
            return Optional.empty();
        }
        return Optional.of(enforcer.buildJsonView(THING_ROOT, thing, subject, READ_PERMISSIONS));
    }
}
