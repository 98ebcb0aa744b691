package io.twinworks.ditto3;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyEntry;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every policy the role templates produce, parsed by Ditto 3.8's policies model and evaluated by its enforcer: each
 * service writes its own feature and nothing else, devices write their readings but not the services' features.
 */
class PoliciesDitto38Test {

    private static final Set<String> KNOWN_PERMISSIONS = Set.of("READ", "WRITE");

    private static Policy parse(String file, JsonObject json) {
        String policyId = file.replace(".json", "").replace('_', ':');
        return PoliciesModelFactory.newPolicy(json.setValue("policyId", policyId));
    }

    private static boolean may(Enforcer enforcer, String subject, String resource, String permission) {
        AuthorizationContext context = AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                AuthorizationSubject.newInstance(subject));
        return enforcer.hasUnrestrictedPermissions(ResourceKey.newInstance(resource), context, permission);
    }

    @Test
    void everyPolicyParsesAndUsesOnlyDittosResourceTypesAndPermissions() {
        Map<String, JsonObject> policies = Artifacts.all("policies");

        assertThat(policies).hasSize(4);
        policies.forEach((file, json) -> {
            Policy policy = parse(file, json);
            assertThat(policy.getEntriesSet()).as(file).isNotEmpty();
            for (PolicyEntry entry : policy) {
                assertThat(entry.getSubjects()).as(file + " " + entry.getLabel()).isNotEmpty();
                entry.getResources().forEach(resource -> {
                    assertThat(resource.getResourceKey().getResourceType()).as(file).isIn("thing", "policy", "message");
                    assertThat(resource.getEffectedPermissions().getGrantedPermissions()).as(file).isSubsetOf(KNOWN_PERMISSIONS);
                    assertThat(resource.getEffectedPermissions().getRevokedPermissions()).as(file).isSubsetOf(KNOWN_PERMISSIONS);
                });
            }
            assertThat(PoliciesModelFactory.newPolicy(policy.toJson())).as(file + " round trip").isEqualTo(policy);
        });
    }

    @Test
    void dittos38EnforcerLetsEachServiceWriteOnlyItsOwnFeature() {
        Artifacts.all("policies").forEach((file, json) -> {
            Enforcer enforcer = PolicyEnforcers.defaultEvaluator(parse(file, json));

            assertThat(may(enforcer, "nginx:analytics", "thing:/features/predictions", "WRITE")).as(file).isTrue();
            assertThat(may(enforcer, "nginx:analytics", "thing:/features/simulation", "WRITE")).as(file).isFalse();
            assertThat(may(enforcer, "nginx:analytics", "thing:/attributes", "WRITE")).as(file).isFalse();
            assertThat(may(enforcer, "nginx:simulation", "thing:/features/simulation", "WRITE")).as(file).isTrue();
            assertThat(may(enforcer, "nginx:simulation", "thing:/features/predictions", "WRITE")).as(file).isFalse();
            assertThat(may(enforcer, "pre-authenticated:hono-connection", "thing:/features/predictions", "WRITE")).as(file).isFalse();
            assertThat(may(enforcer, "pre-authenticated:hono-connection", "policy:/", "WRITE")).as(file).isFalse();
            assertThat(may(enforcer, "nginx:ditto", "policy:/", "WRITE")).as(file + ": the admin").isTrue();
            assertThat(may(enforcer, "nginx:stranger", "thing:/", "READ")).as(file).isFalse();
        });
    }
}
