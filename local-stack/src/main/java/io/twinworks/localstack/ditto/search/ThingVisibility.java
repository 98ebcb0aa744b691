package io.twinworks.localstack.ditto.search;

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

    /** The readable part of the thing JSON, or empty when the subject may read nothing of the thing. */
    public static Optional<JsonObject> readableView(Enforcer enforcer, AuthorizationContext subject, JsonObject thing) {
        if (!enforcer.hasPartialPermissions(THING_ROOT, subject, READ)) {
            return Optional.empty();
        }
        return Optional.of(enforcer.buildJsonView(THING_ROOT, thing, subject, READ_PERMISSIONS));
    }
}
