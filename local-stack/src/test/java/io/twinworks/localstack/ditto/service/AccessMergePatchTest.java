package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A merge patch may be written exactly when Ditto's enforcer grants unrestricted WRITE on each of its leaves,
 * whether or not the subject may write everything below the patch's path.
 */
class AccessMergePatchTest {

    private static final Policy POLICY = PoliciesModelFactory.newPolicy("""
            {"policyId":"plant.a:pump-1","entries":{
              "device":{"subjects":{"pre-authenticated:hono-connection":{"type":"connection"}},
                        "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]},
                                     "thing:/features/vibration/properties/locked":{"grant":[],"revoke":["WRITE"]},
                                     "thing:/features/motor/properties":{"grant":["WRITE"],"revoke":[]}}},
              "owner":{"subjects":{"test:owner":{"type":"user"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "limited":{"subjects":{"test:limited":{"type":"user"}},
                         "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                      "thing:/attributes/secret":{"grant":[],"revoke":["WRITE"]},
                                      "thing:/features/vibration/properties/rms":{"grant":[],"revoke":["WRITE"]}}},
              "viewer":{"subjects":{"test:viewer":{"type":"user"}},
                        "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}}""");
    private static final List<AuthorizationContext> SUBJECTS = List.of(subject("pre-authenticated:hono-connection"),
            subject("test:owner"), subject("test:limited"), subject("test:viewer"), subject("test:stranger"));
    private static final String[] KEYS = {"features", "vibration", "motor", "properties", "rms", "locked", "attributes",
            "secret", "x"};

    private final Enforcer enforcer = PolicyEnforcers.defaultEvaluator(POLICY);
    private final PolicyDecisions decisions = new PolicyDecisions(enforcer);

    private static AuthorizationContext subject(String id) {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                AuthorizationSubject.newInstance(id));
    }

    /** The general rule, asked of Ditto's enforcer directly: unrestricted WRITE on every leaf of the patch. */
    private boolean everyLeafWritable(AuthorizationContext subject, JsonPointer path, JsonValue patch) {
        List<JsonPointer> leaves = new ArrayList<>();
        leavesOf(path, patch, leaves);
        return leaves.stream().allMatch(leaf ->
                enforcer.hasUnrestrictedPermissions(ResourceKey.newInstance("thing", leaf), subject, Access.WRITE));
    }

    private static void leavesOf(JsonPointer path, JsonValue value, List<JsonPointer> leaves) {
        if (value.isObject() && !value.asObject().isEmpty()) {
            value.asObject().forEach(field -> leavesOf(path.addLeaf(field.getKey()), field.getValue(), leaves));
        } else {
            leaves.add(path);
        }
    }

    private void assertAsEnforcer(JsonPointer path, JsonValue patch) {
        for (AuthorizationContext subject : SUBJECTS) {
            Access access = new Access(enforcer, decisions, "thing", subject);
            assertThat(access.canWriteMergePatch(path, patch))
                    .as("%s writes %s at %s", subject.getFirstAuthorizationSubject(), patch, path)
                    .isEqualTo(everyLeafWritable(subject, path, patch));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // refused: a revoked leaf below a granted path, or no grant at the path at all
            "/features/vibration/properties | {\"rms\":1,\"locked\":true}",
            "/features/vibration | {\"properties\":{\"locked\":null}}",
            "/features | {\"vibration\":{\"properties\":{\"rms\":1}},\"motor\":{\"definition\":[\"x\"]}}",
            "/attributes | {\"secret\":1,\"site\":\"a\"}",
            "/ | {\"attributes\":{\"site\":\"a\"}}",
            // granted: every leaf below a subtree the subject may write, or only granted leaves below a revoke
            "/features/vibration/properties | {\"rms\":1,\"seq\":2}",
            "/features | {\"vibration\":{\"properties\":{\"rms\":1}},\"motor\":{\"properties\":{\"rpm\":3}}}",
            "/features/motor/properties | {}",
            "/features/motor/properties | null",
            "/features/vibration/properties/rms | 5"})
    void aPatchIsWritableExactlyWhenEveryLeafIs(String path, String patch) {
        assertAsEnforcer(JsonPointer.of(path), JsonFactory.readFrom(patch));
    }

    @Test
    void theOwnerWritesAnyPatchAndTheViewerNone() {
        JsonPointer path = JsonPointer.of("/features/vibration/properties");
        JsonValue patch = JsonObject.of("{\"rms\":1,\"locked\":null}");

        assertThat(new Access(enforcer, decisions, "thing", SUBJECTS.get(1)).canWriteMergePatch(path, patch)).isTrue();
        assertThat(new Access(enforcer, decisions, "thing", SUBJECTS.get(3)).canWriteMergePatch(path, patch)).isFalse();
        assertThat(new Access(enforcer, decisions, "thing", SUBJECTS.get(2)).canWriteMergePatch(path, patch)).isFalse();
    }

    @Test
    void manyRandomPatchesAreDecidedAsTheEnforcerDecidesTheirLeaves() {
        Random random = new Random(16);
        for (int i = 0; i < 3_000; i++) {
            JsonPointer path = JsonPointer.empty();
            int levels = random.nextInt(5);
            for (int level = 0; level < levels; level++) {
                path = path.addLeaf(JsonKey.of(KEYS[random.nextInt(KEYS.length)]));
            }
            assertAsEnforcer(path, randomPatch(random, 3));
        }
    }

    private static JsonValue randomPatch(Random random, int depth) {
        if (depth == 0 || random.nextInt(3) == 0) {
            return random.nextBoolean() ? JsonValue.of(random.nextInt(10)) : JsonValue.nullLiteral();
        }
        JsonObjectBuilder builder = JsonObject.newBuilder();
        int fields = random.nextInt(4);
        for (int i = 0; i < fields; i++) {
            builder.set(JsonKey.of(KEYS[random.nextInt(KEYS.length)]), randomPatch(random, depth - 1));
        }
        return builder.build();
    }
}
