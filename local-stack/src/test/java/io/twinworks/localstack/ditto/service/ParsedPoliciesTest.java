package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One enforcer per distinct entry set: policies of equal entries decide alike whatever their IDs, a changed
 * policy never keeps the enforcer of its old entries, and every answer is the one of Ditto's enforcer built
 * from the policy itself.
 */
class ParsedPoliciesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final String READ = "READ";
    private static final String WRITE = "WRITE";
    private static final AuthorizationContext DEVICE = subject("pre-authenticated:hono-connection");
    private static final AuthorizationContext VIEWER = subject("test:viewer");
    private static final AuthorizationContext STRANGER = subject("test:stranger");
    private static final JsonPointer RMS = JsonPointer.of("/features/vibration/properties/rms");

    /** The device may write its vibration feature; a viewer reads everything. */
    private static final String DEVICE_WRITES = """
            {"device":{"subjects":{"pre-authenticated:hono-connection":{"type":"connection"}},
                       "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]}}},
             "viewer":{"subjects":{"test:viewer":{"type":"user"}},
                       "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}""";
    /** The same, with the device's WRITE on the vibration feature revoked. */
    private static final String DEVICE_REVOKED = """
            {"device":{"subjects":{"pre-authenticated:hono-connection":{"type":"connection"}},
                       "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]},
                                    "thing:/features/vibration/properties":{"grant":[],"revoke":["WRITE"]}}},
             "viewer":{"subjects":{"test:viewer":{"type":"user"}},
                       "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}""";

    private final ParsedPolicies parsed = new ParsedPolicies();

    @Test
    void aChangedPolicyDoesNotKeepTheSharedEnforcerOfItsOldEntries() {
        StoredPolicy pump1 = stored("plant.a:pump-1", DEVICE_WRITES, 1);
        StoredPolicy pump2 = stored("plant.a:pump-2", DEVICE_WRITES, 1);
        assertThat(canWrite(pump1, DEVICE, RMS)).isTrue();
        assertThat(canWrite(pump2, DEVICE, RMS)).isTrue();

        StoredPolicy pump1Revoked = stored("plant.a:pump-1", DEVICE_REVOKED, 2);

        assertThat(canWrite(pump1Revoked, DEVICE, RMS)).as("pump-1 after its revoke").isFalse();
        assertThat(parsed.decisions(pump1Revoked)).isNotSameAs(parsed.decisions(pump2));
        assertThat(canWrite(pump2, DEVICE, RMS)).as("pump-2 keeps its (old) entries").isTrue();
    }

    @Test
    void aPolicyChangedBackToEntriesItHadBeforeDecidesByThemAgain() {
        assertThat(canWrite(stored("plant.a:pump-1", DEVICE_WRITES, 1), DEVICE, RMS)).isTrue();
        assertThat(canWrite(stored("plant.a:pump-1", DEVICE_REVOKED, 2), DEVICE, RMS)).isFalse();

        assertThat(canWrite(stored("plant.a:pump-1", DEVICE_WRITES, 3), DEVICE, RMS)).isTrue();
    }

    @Test
    void anOlderStoredRevisionIsNotAnsweredFromTheNewerOnesEntry() {
        // a staged change rolled back: the store hands out the previous revision again
        StoredPolicy committed = stored("plant.a:pump-1", DEVICE_WRITES, 1);
        StoredPolicy staged = stored("plant.a:pump-1", DEVICE_REVOKED, 2);
        assertThat(canWrite(committed, DEVICE, RMS)).isTrue();
        assertThat(canWrite(staged, DEVICE, RMS)).isFalse();

        assertThat(canWrite(committed, DEVICE, RMS)).isTrue();
    }

    @Test
    void aPolicyThatDittoCannotParseIsRefusedAndRemembersNothing() {
        StoredPolicy broken = new StoredPolicy(PolicyId.of("plant.a:pump-1"),
                JsonFactory.newObject("{\"policyId\":\"plant.a:pump-1\",\"entries\":{\"device\":{\"subjects\":{},"
                        + "\"resources\":{\"no-type-here\":{\"grant\":[\"READ\"],\"revoke\":[]}}}}}"),
                1, T0, T0, false);

        assertThatThrownBy(() -> parsed.decisions(broken)).isInstanceOf(DittoRuntimeException.class);
        assertThatThrownBy(() -> parsed.decisions(broken)).as("not cached as usable")
                .isInstanceOf(DittoRuntimeException.class);
        assertThat(canWrite(stored("plant.a:pump-1", DEVICE_WRITES, 2), DEVICE, RMS)).isTrue();
    }

    @Test
    void aPolicyDittoRefusesIsRefusedEvenWhenItsEntriesHaveAnEnforcerAlready() {
        assertThat(canWrite(stored("plant.a:pump-1", DEVICE_WRITES, 1), DEVICE, RMS)).isTrue();
        StoredPolicy badId = new StoredPolicy(PolicyId.of("plant.a:pump-2"), JsonObject.newBuilder()
                .set("policyId", "no-namespace")
                .set("entries", JsonFactory.newObject(DEVICE_WRITES))
                .build(), 1, T0, T0, false);

        assertThatThrownBy(() -> parsed.decisions(badId)).isInstanceOf(DittoRuntimeException.class);
    }

    @Test
    void policiesWithDifferentEntriesDoNotShareAnEnforcer() {
        StoredPolicy writes = stored("plant.a:pump-1", DEVICE_WRITES, 1);
        StoredPolicy revoked = stored("plant.a:pump-2", DEVICE_REVOKED, 1);

        assertThat(parsed.decisions(writes)).isNotSameAs(parsed.decisions(revoked));
        assertThat(canWrite(writes, DEVICE, RMS)).isTrue();
        assertThat(canWrite(revoked, DEVICE, RMS)).isFalse();
    }

    @Test
    void twoPoliciesWithEqualEntriesButDifferentIdsShareOneEnforcerAndDecideAlike() {
        StoredPolicy pump1 = stored("plant.a:pump-1", DEVICE_WRITES, 1);
        StoredPolicy pump2 = stored("plant.b:pump-2", DEVICE_WRITES, 7);

        assertThat(parsed.decisions(pump2)).isSameAs(parsed.decisions(pump1));
        for (AuthorizationContext subject : List.of(DEVICE, VIEWER, STRANGER)) {
            for (JsonPointer path : List.of(JsonPointer.empty(), RMS, JsonPointer.of("/features/predictions"),
                    JsonPointer.of("/attributes/site"))) {
                for (String permission : List.of(READ, WRITE)) {
                    assertThat(answers(pump2, subject, path, permission))
                            .as("%s %s %s", subject.getFirstAuthorizationSubject(), path, permission)
                            .isEqualTo(answers(pump1, subject, path, permission))
                            .isEqualTo(dittoAnswers(pump2, subject, path, permission));
                }
            }
        }
    }

    @Test
    void entriesInAnotherOrderAreTheSameEntriesAndDecideAlike() {
        JsonObject entries = JsonFactory.newObject(DEVICE_REVOKED);
        JsonObject reversed = JsonObject.empty();
        List<String> labels = new ArrayList<>();
        entries.getKeys().forEach(key -> labels.add(key.toString()));
        for (int i = labels.size() - 1; i >= 0; i--) {
            reversed = reversed.setValue(labels.get(i), entries.getValue(labels.get(i)).orElseThrow());
        }
        StoredPolicy pump1 = stored("plant.a:pump-1", entries.toString(), 1);
        StoredPolicy pump2 = stored("plant.a:pump-2", reversed.toString(), 1);

        assertThat(canWrite(pump2, DEVICE, RMS)).isEqualTo(canWrite(pump1, DEVICE, RMS)).isFalse();
        assertThat(answers(pump2, VIEWER, RMS, READ)).isEqualTo(dittoAnswers(pump2, VIEWER, RMS, READ));
    }

    @Test
    void aPublishedChangeCarriesThePolicyAsStoredAndItsSharedDecisions() {
        StoredPolicy pump2 = stored("plant.a:pump-2", DEVICE_WRITES, 4);
        PolicyDecisions shared = parsed.decisions(stored("plant.a:pump-1", DEVICE_WRITES, 1));
        ThingMerged event = ThingMerged.of(ThingId.of("plant.a:pump-2"), RMS, JsonValue.of(0.3), 9, T0,
                DittoHeaders.empty(), null);

        TwinChange change = parsed.change(event, pump2, null);

        assertThat(change.decisions()).isSameAs(shared);
        assertThat(change.policy()).isEqualTo(pump2.toPolicy());
        assertThat(change.policy().getEntityId()).hasValue(PolicyId.of("plant.a:pump-2"));
        assertThat(change.policy().getRevision()).hasValueSatisfying(revision -> assertThat(revision.toLong())
                .isEqualTo(4));
    }

    /**
     * Seeded random fleets: policies drawn from a few entry sets (grants and revokes on random paths for random
     * subjects), changed at random, asked random questions; every answer is the one of Ditto's enforcer built from
     * that very policy.
     */
    @Test
    void everyAnswerIsDittosForThatPolicyOverSeededRandomFleetsAndChanges() {
        List<AuthorizationContext> subjects = List.of(DEVICE, VIEWER, STRANGER, subject("test:operator"));
        List<String> paths = List.of("/", "/features", "/features/vibration", "/features/vibration/properties",
                "/features/vibration/properties/rms", "/features/predictions", "/attributes", "/attributes/site",
                "/features/vibration/desiredProperties", "/policyId");
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            ParsedPolicies policies = new ParsedPolicies();
            List<String> entrySets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                entrySets.add(randomEntries(random, subjects, paths));
            }
            Map<String, StoredPolicy> fleet = new HashMap<>();
            for (int step = 0; step < 300; step++) {
                String id = "plant.a:pump-" + random.nextInt(12);
                StoredPolicy current = fleet.get(id);
                if (current == null || random.nextInt(10) == 0) {
                    long revision = current == null ? 1 : current.revision() + 1;
                    current = stored(id, entrySets.get(random.nextInt(entrySets.size())), revision);
                    fleet.put(id, current);
                }
                AuthorizationContext subject = subjects.get(random.nextInt(subjects.size()));
                JsonPointer path = JsonPointer.of(paths.get(random.nextInt(paths.size())));
                String permission = random.nextBoolean() ? READ : WRITE;
                Enforcer ditto = PolicyEnforcers.defaultEvaluator(current.toPolicy());
                ResourceKey key = ResourceKey.newInstance("thing", path);
                PolicyDecisions decisions = policies.decisions(current);
                assertThat(decisions.unrestricted("thing", path, subject, permission))
                        .as("seed %d step %d unrestricted %s %s %s", seed, step, id, path, permission)
                        .isEqualTo(ditto.hasUnrestrictedPermissions(key, subject, permission));
                assertThat(decisions.partial("thing", path, subject, permission))
                        .as("seed %d step %d partial %s %s %s", seed, step, id, path, permission)
                        .isEqualTo(ditto.hasPartialPermissions(key, subject, permission));
            }
        }
    }

    private static String randomEntries(Random random, List<AuthorizationContext> subjects, List<String> paths) {
        StringBuilder entries = new StringBuilder("{");
        int count = 1 + random.nextInt(3);
        for (int e = 0; e < count; e++) {
            String subjectId = subjects.get(random.nextInt(subjects.size())).getFirstAuthorizationSubject()
                    .orElseThrow().getId();
            entries.append(e == 0 ? "" : ",").append("\"label-").append(e).append("\":{\"subjects\":{\"")
                    .append(subjectId).append("\":{\"type\":\"test\"}},\"resources\":{");
            int resourceCount = 1 + random.nextInt(4);
            for (int r = 0; r < resourceCount; r++) {
                // a path drawn twice in one entry: the JSON keeps the last, as Ditto reads it
                entries.append(r == 0 ? "" : ",").append("\"thing:").append(paths.get(random.nextInt(paths.size())))
                        .append("\":{\"grant\":").append(permissions(random)).append(",\"revoke\":")
                        .append(permissions(random)).append('}');
            }
            entries.append("}}");
        }
        return entries.append('}').toString();
    }

    private static String permissions(Random random) {
        List<String> chosen = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            chosen.add("\"" + READ + "\"");
        }
        if (random.nextInt(3) == 0) {
            chosen.add("\"" + WRITE + "\"");
        }
        return "[" + String.join(",", chosen) + "]";
    }

    private boolean canWrite(StoredPolicy policy, AuthorizationContext subject, JsonPointer path) {
        return parsed.access(policy, "thing", subject).canWrite(path);
    }

    private List<Boolean> answers(StoredPolicy policy, AuthorizationContext subject, JsonPointer path,
                                  String permission) {
        PolicyDecisions decisions = parsed.decisions(policy);
        return List.of(decisions.unrestricted("thing", path, subject, permission),
                decisions.partial("thing", path, subject, permission));
    }

    private static List<Boolean> dittoAnswers(StoredPolicy policy, AuthorizationContext subject, JsonPointer path,
                                              String permission) {
        Enforcer ditto = PolicyEnforcers.defaultEvaluator(policy.toPolicy());
        ResourceKey key = ResourceKey.newInstance("thing", path);
        return List.of(ditto.hasUnrestrictedPermissions(key, subject, permission),
                ditto.hasPartialPermissions(key, subject, permission));
    }

    private static StoredPolicy stored(String id, String entries, long revision) {
        JsonObject json = JsonObject.newBuilder()
                .set("policyId", id)
                .set("entries", JsonFactory.newObject(entries))
                .build();
        return new StoredPolicy(PolicyId.of(id), json, revision, T0, T0.plusSeconds(revision), false);
    }

    private static AuthorizationContext subject(String id) {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                AuthorizationSubject.newInstance(id));
    }
}
