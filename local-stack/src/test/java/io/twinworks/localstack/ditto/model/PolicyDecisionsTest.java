package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Remembered policy decisions answer exactly as Ditto's enforcer, per subject, path and permission. */
class PolicyDecisionsTest {

    private static final String READ = "READ";
    private static final String WRITE = "WRITE";

    private static final Policy POLICY = PoliciesModelFactory.newPolicy("""
            {"policyId":"plant.a:pump-1","entries":{
              "device":{"subjects":{"pre-authenticated:hono-connection":{"type":"connection"}},
                        "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]},
                                     "thing:/features/vibration/properties/locked":{"grant":[],"revoke":["WRITE"]}}},
              "viewer":{"subjects":{"test:viewer":{"type":"user"}},
                        "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}}""");
    private static final AuthorizationContext DEVICE = subject("pre-authenticated:hono-connection");
    private static final AuthorizationContext VIEWER = subject("test:viewer");
    private static final AuthorizationContext STRANGER = subject("test:stranger");
    private static final List<JsonPointer> PATHS = List.of(JsonPointer.empty(), JsonPointer.of("/features"),
            JsonPointer.of("/features/vibration"), JsonPointer.of("/features/vibration/properties/rms"),
            JsonPointer.of("/features/vibration/properties/locked"), JsonPointer.of("/features/predictions"),
            JsonPointer.of("/attributes/site"));

    private final Enforcer enforcer = PolicyEnforcers.defaultEvaluator(POLICY);

    private static AuthorizationContext subject(String id) {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                AuthorizationSubject.newInstance(id));
    }

    @Test
    void everyAnswerAskedTwiceIsTheEnforcersForThatSubjectPathAndPermission() {
        PolicyDecisions decisions = new PolicyDecisions(enforcer);
        for (int round = 0; round < 2; round++) {
            for (AuthorizationContext subject : List.of(DEVICE, VIEWER, STRANGER)) {
                for (JsonPointer path : PATHS) {
                    for (String permission : List.of(READ, WRITE)) {
                        ResourceKey key = ResourceKey.newInstance("thing", path);
                        assertThat(decisions.unrestricted("thing", path, subject, permission))
                                .as("unrestricted %s %s %s", subject.getFirstAuthorizationSubject(), path, permission)
                                .isEqualTo(enforcer.hasUnrestrictedPermissions(key, subject, permission));
                        assertThat(decisions.partial("thing", path, subject, permission))
                                .as("partial %s %s %s", subject.getFirstAuthorizationSubject(), path, permission)
                                .isEqualTo(enforcer.hasPartialPermissions(key, subject, permission));
                    }
                }
            }
        }
    }

    @Test
    void aSubjectDoesNotInheritTheAnswerRememberedForAnother() {
        PolicyDecisions decisions = new PolicyDecisions(enforcer);
        JsonPointer rms = JsonPointer.of("/features/vibration/properties/rms");

        assertThat(decisions.unrestricted("thing", rms, DEVICE, WRITE)).isTrue();
        assertThat(decisions.unrestricted("thing", rms, VIEWER, WRITE)).isFalse();
        assertThat(decisions.unrestricted("thing", rms, STRANGER, WRITE)).isFalse();
        assertThat(decisions.unrestricted("thing", rms, DEVICE, WRITE)).isTrue();
    }

    @Test
    void aRevokedLeafStaysRefusedAfterItsGrantedParentWasRemembered() {
        PolicyDecisions decisions = new PolicyDecisions(enforcer);

        assertThat(decisions.partial("thing", JsonPointer.of("/features/vibration"), DEVICE, WRITE)).isTrue();
        assertThat(decisions.unrestricted("thing", JsonPointer.of("/features/vibration"), DEVICE, WRITE))
                .isFalse();
        assertThat(decisions.unrestricted("thing", JsonPointer.of("/features/vibration/properties/locked"), DEVICE,
                WRITE)).isFalse();
    }

    @Test
    void theSameQuestionOnAnotherResourceTypeIsAnsweredForThatType() {
        PolicyDecisions decisions = new PolicyDecisions(enforcer);

        assertThat(decisions.partial("thing", JsonPointer.empty(), VIEWER, READ)).isTrue();
        assertThat(decisions.partial("policy", JsonPointer.empty(), VIEWER, READ)).isFalse();
    }

    @Test
    void beyondItsBoundItStartsOverAndStillAnswersCorrectly() {
        PolicyDecisions decisions = new PolicyDecisions(enforcer);
        for (int i = 0; i < PolicyDecisions.MAX_DECISIONS + 100; i++) {
            JsonPointer path = JsonPointer.of("/features/vibration/properties/p" + i);
            assertThat(decisions.unrestricted("thing", path, DEVICE, WRITE)).isTrue();
        }
        assertThat(decisions.unrestricted("thing", JsonPointer.of("/features/vibration/properties/locked"), DEVICE,
                WRITE)).isFalse();
        assertThat(decisions.unrestricted("thing", JsonPointer.of("/features/predictions"), DEVICE, WRITE))
                .isFalse();
    }
}
