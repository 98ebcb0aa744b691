package io.twinworks.policies;

import io.twinworks.definitions.ThingModelCatalog;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The matrix decided by Ditto's own policy evaluation ({@link PolicyEnforcers#defaultEvaluator}). */
class PolicyMatrixEnforcerTest {

    static final Map<PolicyRole, List<String>> SUBJECTS = Map.of(
            PolicyRole.DEVICE, List.of("nginx:device"), PolicyRole.ANALYTICS, List.of("nginx:analytics"),
            PolicyRole.SIMULATION, List.of("nginx:simulation"), PolicyRole.OPERATOR, List.of("nginx:operator"),
            PolicyRole.ADMIN, List.of("nginx:admin"));

    static JsonObject pumpPolicy() {
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        return PolicyTemplates.fromClasspath(catalog).policyFor(catalog.require("centrifugal-pump"), new PolicySubjects(SUBJECTS));
    }

    static boolean enforcerAllows(Enforcer enforcer, PolicyMatrix.Cell cell, PolicyRole role) {
        AuthorizationContext context = AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                AuthorizationSubject.newInstance(SUBJECTS.get(role).get(0)));
        return enforcer.hasUnrestrictedPermissions(ResourceKey.newInstance(cell.type(), JsonPointer.of(cell.path())),
                context, Permissions.newInstance(cell.permission()));
    }

    @Test
    void dittosPolicyEnforcerDecidesTheIntendedMatrix() {
        Policy policy = PoliciesModelFactory.newPolicy(pumpPolicy().setValue("policyId", "plant.a:pump-1"));
        Enforcer enforcer = PolicyEnforcers.defaultEvaluator(policy);
        String table = PolicyMatrix.table(PolicyMatrix.PUMP, (cell, role) -> enforcerAllows(enforcer, cell, role));
        System.out.println("Policy matrix (Ditto PolicyEnforcers, centrifugal pump):\n" + table);
        List<String> wrong = new ArrayList<>();
        for (PolicyMatrix.Cell cell : PolicyMatrix.PUMP) {
            for (PolicyRole role : PolicyRole.values()) {
                if (enforcerAllows(enforcer, cell, role) != cell.allowed().contains(role)) {
                    wrong.add(role + " " + cell.label() + " should be " + (cell.allowed().contains(role) ? "allowed" : "denied"));
                }
            }
        }
        assertThat(wrong).as(table).isEmpty();
    }
}
