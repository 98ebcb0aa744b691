package io.twinworks.localstack.ditto.sse;

import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.ThingModelOnDemand;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.search.ThingSearch;
import io.twinworks.localstack.ditto.search.ThingVisibility;
import io.twinworks.localstack.ditto.model.PolicyDecisions;
import io.twinworks.localstack.ditto.model.StoredPolicies;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.AttributeModified;
import org.eclipse.ditto.things.model.signals.events.FeatureDeleted;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingEventToThingConverter;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.eclipse.ditto.things.model.signals.events.ThingModified;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SSE data with READ decided by the change's remembered policy decisions against the general path, the enforcer
 * asked per event: the same data, byte for byte, for every client.
 */
class SseEventProjectionTest {

    private static final ThingId THING = ThingId.of("plant.a:pump-7");
    private static final Instant MODIFIED = Instant.parse("2026-12-07T03:00:00.123Z");
    private static final AuthorizationContext OWNER = subject("nginx:ditto");
    /** READ on the whole thing except {@code /features/secret} (revoked). */
    private static final AuthorizationContext OPERATOR = subject("nginx:operator");
    /** READ on {@code /features/vibration} only. */
    private static final AuthorizationContext SENSOR = subject("nginx:sensor");
    private static final AuthorizationContext STRANGER = subject("nginx:stranger");

    private static final JsonObject THING_JSON = JsonObject.of("""
            {"thingId":"plant.a:pump-7","policyId":"plant.a:pump-7",
             "attributes":{"site":"a","note":"ünïcödé \\"quoted\\" \\u0001 / \\\\ 😀","count":3},
             "features":{"vibration":{"properties":{"rms":0.42,"peak":[1,2.5,null]}},
                         "secret":{"properties":{"key":"k-1","nested":{"a":true}}},
                         "temperature":{"properties":{"value":-12.5e3}}}}""");

    private static final Policy POLICY = policy(1, """
            {"policyId":"plant.a:pump-7","entries":{
              "owner":{"subjects":{"nginx:ditto":{"type":"basic"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "operator":{"subjects":{"nginx:operator":{"type":"basic"}},
                          "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                       "thing:/features/secret":{"grant":[],"revoke":["READ"]}}},
              "sensor":{"subjects":{"nginx:sensor":{"type":"basic"}},
                        "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]}}}}}""");

    @Test
    void aSubjectWithoutReadGetsNoData() {
        assertThat(SseEventProjection.project(shared(change(POLICY, attributeModified())), STRANGER, everything())).isEmpty();
        assertThat(SseEventProjection.project(shared(change(POLICY, ThingDeleted.of(THING, 9, MODIFIED,
                DittoHeaders.empty(), null))), STRANGER, everything())).isEmpty();
    }

    @Test
    void aRevokedPathIsCutOutOfTheDataOfAWholeThingEvent() {
        Optional<JsonValue> operator = SseEventProjection.project(shared(change(POLICY, thingModified())), OPERATOR,
                everything());

        assertThat(operator).isPresent();
        assertThat(operator.get().toString()).doesNotContain("secret").contains("vibration");
    }

    @Test
    void aRevokeInANewPolicyRevisionIsHonouredForTheNextEventAtOnce() {
        Policy revoked = policy(2, POLICY.toJson().toString().replace(
                "\"thing:/features/secret\"", "\"thing:/\":{\"grant\":[],\"revoke\":[\"READ\"]},\"thing:/x\""));

        assertThat(SseEventProjection.project(shared(change(POLICY, attributeModified())), OPERATOR, everything()))
                .isPresent();
        assertThat(SseEventProjection.project(shared(change(revoked, attributeModified())), OPERATOR, everything()))
                .isEmpty();
    }

    @Test
    void aWholeThingReaderStillGetsDittosViewWithItsNumberEncoding() {
        PolicyDecisions decisions = new PolicyDecisions(PolicyEnforcers.defaultEvaluator(POLICY));

        assertThat(ThingVisibility.readableView(decisions, OWNER, THING_JSON).orElseThrow().toString())
                .contains("\"value\":-12500.0").doesNotContain("-12.5e3");
    }

    @Test
    void everyClientGetsWhatTheGeneralPathSendsByteForByte() {
        List<SseSubscription> subscriptions = List.of(
                everything(),
                new SseSubscription(Set.of(ThingId.of("plant.a:other")), Set.of(), null, null, null,
                        JsonPointer.empty()),
                new SseSubscription(Set.of(), Set.of("plant.a"), selector("attributes,features/secret"), null, null,
                        JsonPointer.empty()),
                new SseSubscription(Set.of(), Set.of(), null, selector("attributes/site"),
                        ThingSearch.parseFilter("eq(attributes/site,\"a\")", DittoHeaders.empty()),
                        JsonPointer.empty()),
                new SseSubscription(Set.of(), Set.of(), selector("features"), selector("features/secret"),
                        ThingSearch.parseFilter("exists(features/secret)", DittoHeaders.empty()),
                        JsonPointer.empty()),
                new SseSubscription(Set.of(THING), Set.of(), selector("features/vibration/properties"), null, null,
                        JsonPointer.of("/features/vibration/properties")),
                new SseSubscription(Set.of(), Set.of(), null, selector("attributes,features"),
                        ThingSearch.parseFilter("gt(features/vibration/properties/rms,0.1)", DittoHeaders.empty()),
                        JsonPointer.empty()));
        List<ThingEvent<?>> events = List.of(
                ThingMerged.of(THING, JsonPointer.of("/features/vibration/properties"),
                        JsonObject.of("{\"rms\":0.42,\"peak\":null}"), 5, MODIFIED, DittoHeaders.empty(), null),
                ThingMerged.of(THING, JsonPointer.of("/features"), JsonObject.of(
                                "{\"vibration\":{\"properties\":{\"rms\":0.5}},\"secret\":{\"properties\":{\"key\":2}}}"),
                        6, MODIFIED, DittoHeaders.empty(), null),
                ThingMerged.of(THING, JsonPointer.empty(), JsonObject.of(
                                "{\"attributes\":{\"count\":4},\"features\":{\"secret\":{\"properties\":{\"a\":null}}}}"),
                        6, MODIFIED, DittoHeaders.empty(), null),
                FeaturePropertyModified.of(THING, "secret", JsonPointer.of("key"), JsonValue.of("k-3"), 7, MODIFIED,
                        DittoHeaders.empty(), null),
                FeaturePropertyModified.of(THING, "vibration", JsonPointer.of("rms"), JsonValue.of(0.07), 7,
                        MODIFIED, DittoHeaders.empty(), null),
                attributeModified(),
                thingModified(),
                FeatureDeleted.of(THING, "secret", 9, MODIFIED, DittoHeaders.empty(), null),
                ThingDeleted.of(THING, 10, MODIFIED, DittoHeaders.empty(), null));
        int compared = 0;
        Random random = new Random(16);
        for (ThingEvent<?> event : events) {
            TwinChange change = change(POLICY, event);
            // one shared change for every client, in any order: whoever builds its parts first must not change what
            // others get
            SseChange shared = new SseChange(change);
            List<AuthorizationContext> subjects = new ArrayList<>(List.of(OWNER, OPERATOR, SENSOR, STRANGER));
            Collections.shuffle(subjects, random);
            for (AuthorizationContext subject : subjects) {
                for (SseSubscription subscription : subscriptions) {
                    Optional<String> expected = GeneralPath.project(change, change.enforcer(), subject, subscription)
                            .map(JsonValue::toString);
                    Optional<String> actual = SseEventProjection.project(shared, subject, subscription)
                            .map(JsonValue::toString);
                    assertThat(actual).as(event.getType() + " for " + subject.getAuthorizationSubjectIds() + " with "
                            + subscription).isEqualTo(expected);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(9 * 4 * 7);
    }

    // ------------------------------------------------------------------ fixtures

    private static SseChange shared(TwinChange change) {
        return new SseChange(change);
    }

    private static AuthorizationContext subject(String id) {
        return AuthorizationModelFactory.newAuthContext(DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP,
                AuthorizationSubject.newInstance(id));
    }

    private static Policy policy(long revision, String json) {
        return PoliciesModelFactory.newPolicyBuilder(PoliciesModelFactory.newPolicy(json)).setRevision(revision).build();
    }

    private static SseSubscription everything() {
        return new SseSubscription(Set.of(), Set.of(), null, null, null, JsonPointer.empty());
    }

    private static JsonFieldSelector selector(String fields) {
        return JsonFactory.newFieldSelector(fields, JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build());
    }

    private static TwinChange change(Policy policy, ThingEvent<?> event) {
        ThingModelOnDemand after = event instanceof ThingDeleted ? null
                : ThingModelOnDemand.of(new StoredThing(THING, THING_JSON, event.getRevision(),
                        Instant.parse("2026-12-01T00:00:00Z"), MODIFIED, false));
        return new TwinChange(event, StoredPolicies.of(policy), after, new PolicyDecisions(PolicyEnforcers.defaultEvaluator(policy)));
    }

    private static AttributeModified attributeModified() {
        return AttributeModified.of(THING, JsonPointer.of("note"), JsonValue.of("ünïcödé \"x\" \u0002 😀"), 7,
                MODIFIED, DittoHeaders.empty(), null);
    }

    private static ThingModified thingModified() {
        return ThingModified.of(ThingsModelFactory.newThing(THING_JSON), 8, MODIFIED, DittoHeaders.empty(), null);
    }

    /** The general path: SSE data as built before decisions were remembered, the enforcer asked per event. */
    private static final class GeneralPath {

        static Optional<JsonValue> project(TwinChange change, Enforcer enforcer, AuthorizationContext subject,
                                           SseSubscription subscription) {
            ThingEvent<?> event = change.event();
            if (!subscription.watches(event.getEntityId())) {
                return Optional.empty();
            }
            Optional<Thing> changedPart = ThingEventToThingConverter.thingEventToThing(event);
            if (changedPart.isEmpty()) {
                return Optional.empty();
            }
            JsonObject readable = ThingVisibility.readableView(enforcer, subject,
                            changedPart.get().toJson(JsonSchemaVersion.V_2))
                    .map(view -> view.remove(Thing.JsonFields.ID.getPointer()))
                    .orElse(JsonObject.empty());
            boolean deletionSeenByReader = event instanceof ThingDeleted
                    && ThingVisibility.readableView(enforcer, subject, JsonObject.empty()).isPresent();
            if (readable.isEmpty() && !deletionSeenByReader) {
                return Optional.empty();
            }
            JsonObject merged = readable.setValue(Thing.JsonFields.ID.getPointer(), event.getEntityId().toString());
            if (subscription.extraFields() != null && change.thingAfter() != null) {
                JsonObject extra = ThingVisibility.readableView(enforcer, subject,
                                change.thingAfter().toJson(JsonSchemaVersion.V_2, subscription.extraFields()))
                        .orElse(JsonObject.empty());
                merged = JsonFactory.mergeJsonValues(merged, extra).asObject();
            }
            Thing thing = ThingsModelFactory.newThing(merged);
            if (subscription.filter() != null && !ThingPredicateVisitor.apply(subscription.filter()).test(thing)) {
                return Optional.empty();
            }
            JsonObject projected = subscription.fields() == null
                    ? thing.toJson(JsonSchemaVersion.V_2)
                    : thing.toJson(JsonSchemaVersion.V_2, subscription.fields());
            if (projected.isEmpty()) {
                return Optional.empty();
            }
            return subscription.resourcePath().isEmpty() ? Optional.of(projected)
                    : projected.getValue(subscription.resourcePath());
        }
    }
}
