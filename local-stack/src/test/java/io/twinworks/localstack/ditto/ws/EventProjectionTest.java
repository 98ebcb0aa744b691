package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.ThingModelOnDemand;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.model.PolicyDecisions;
import io.twinworks.localstack.ditto.model.StoredPolicies;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.AttributeModified;
import org.eclipse.ditto.things.model.signals.events.FeatureDeleted;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.eclipse.ditto.things.model.signals.events.ThingModified;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event fan-out's shared path (one message per event for every session that may read it whole, READ decided
 * once per policy and subject) against the general path, Ditto's API step by step per session with the
 * enforcer asked directly: the same outcome and the same frame, byte for byte, for every session.
 */
class EventProjectionTest {

    private static final ThingId THING = ThingId.of("plant.a:pump-7");
    private static final Instant CREATED = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant MODIFIED = Instant.parse("2026-12-07T03:00:00.123Z");
    private static final AuthorizationContext OWNER = subject("nginx:ditto");
    /** READ on the whole thing except {@code /features/secret} (revoked). */
    private static final AuthorizationContext OPERATOR = subject("nginx:operator");
    /** READ on {@code /features/vibration} only. */
    private static final AuthorizationContext SENSOR = subject("nginx:sensor");
    private static final AuthorizationContext STRANGER = subject("nginx:stranger");
    private static final List<AuthorizationContext> SUBJECTS = List.of(OWNER, OPERATOR, SENSOR, STRANGER);

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

    // ------------------------------------------------------------------ refusals and restricted sessions first

    @Test
    void aSubjectWithoutReadGetsNothingAlthoughOtherSessionsBuiltTheSharedFrame() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, vibrationMerged(plainHeaders())));

        assertThat(EventProjection.project(shared, OWNER, StreamSubscription.everything()).outcome())
                .isEqualTo(EventProjection.Outcome.DELIVERED);
        EventProjection.Result stranger = EventProjection.project(shared, STRANGER, StreamSubscription.everything());

        assertThat(stranger.outcome()).isEqualTo(EventProjection.Outcome.NOT_READABLE);
        assertThat(stranger.frame()).isNull();
    }

    @Test
    void aSessionRestrictedByARevokeGetsItsOwnViewNeverTheSharedFrame() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, featuresMerged(plainHeaders())));
        String ownerFrame = EventProjection.project(shared, OWNER, StreamSubscription.everything()).frame();

        EventProjection.Result operator = EventProjection.project(shared, OPERATOR, StreamSubscription.everything());

        assertThat(ownerFrame).contains("\"secret\"");
        assertThat(operator.outcome()).isEqualTo(EventProjection.Outcome.DELIVERED);
        assertThat(operator.frame()).isNotEqualTo(ownerFrame).doesNotContain("secret").contains("\"vibration\"")
                .isEqualTo(GeneralEventPath.project(change(POLICY, featuresMerged(plainHeaders())), OPERATOR,
                        StreamSubscription.everything()).frame());
        // the restricted session did not leave its view in the shared message either
        assertThat(EventProjection.project(shared, OWNER, StreamSubscription.everything()).frame())
                .isSameAs(ownerFrame);
    }

    @Test
    void aPartialReaderOfAWholeThingEventGetsItsReadablePartWithTheThingsId() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY,
                ThingModified.of(ThingsModelFactory.newThing(THING_JSON), 8, MODIFIED, plainHeaders(), null)));

        EventProjection.Result sensor = EventProjection.project(shared, SENSOR, StreamSubscription.everything());

        assertThat(sensor.outcome()).isEqualTo(EventProjection.Outcome.DELIVERED);
        JsonObject value = JsonObject.of(sensor.frame()).getValue("value").orElseThrow().asObject();
        assertThat(value).isEqualTo(JsonObject.of("""
                {"thingId":"plant.a:pump-7","features":{"vibration":{"properties":{"rms":0.42,"peak":[1,2.5,null]}}}}"""));
    }

    @Test
    void aPartialReaderOfAWholeThingMergeWithNothingReadableGetsNothingNotABareThingId() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, rootMerged(plainHeaders())));

        assertThat(EventProjection.project(shared, SENSOR, StreamSubscription.everything()).outcome())
                .isEqualTo(EventProjection.Outcome.NOT_READABLE);
    }

    @Test
    void anEventOfAPathWhoseReadIsRevokedIsNotDeliveredWhileTheOwnerGetsIt() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, secretKeyModified(plainHeaders())));

        assertThat(EventProjection.project(shared, OPERATOR, StreamSubscription.everything()).outcome())
                .isEqualTo(EventProjection.Outcome.NOT_READABLE);
        assertThat(EventProjection.project(shared, SENSOR, StreamSubscription.everything()).outcome())
                .isEqualTo(EventProjection.Outcome.NOT_READABLE);
        assertThat(EventProjection.project(shared, OWNER, StreamSubscription.everything()).outcome())
                .isEqualTo(EventProjection.Outcome.DELIVERED);
    }

    @Test
    void aRevokeInANewPolicyRevisionIsHonouredForTheNextEventAtOnce() {
        PolicyDecisions before = new PolicyDecisions(PolicyEnforcers.defaultEvaluator(POLICY));
        Policy revoked = policy(2, POLICY.toJson().toString().replace(
                "\"thing:/features/secret\"", "\"thing:/features/vibration\""));
        PolicyDecisions after = new PolicyDecisions(PolicyEnforcers.defaultEvaluator(revoked));
        StreamSubscription everything = StreamSubscription.everything();

        EventProjection.Result first = EventProjection.project(
                new OutgoingEvent(change(POLICY, before, vibrationMerged(plainHeaders()))), OPERATOR, everything);
        EventProjection.Result second = EventProjection.project(
                new OutgoingEvent(change(revoked, after, vibrationMerged(plainHeaders()))), OPERATOR, everything);
        EventProjection.Result third = EventProjection.project(
                new OutgoingEvent(change(revoked, after, secretKeyModified(plainHeaders()))), OPERATOR, everything);

        assertThat(first.outcome()).isEqualTo(EventProjection.Outcome.DELIVERED);
        assertThat(second.outcome()).as("READ on /features/vibration revoked in revision 2")
                .isEqualTo(EventProjection.Outcome.NOT_READABLE);
        assertThat(third.outcome()).as("READ on /features/secret no longer revoked in revision 2")
                .isEqualTo(EventProjection.Outcome.DELIVERED);
    }

    @Test
    void aGrantInANewPolicyRevisionIsHonouredForTheNextEventAtOnce() {
        Policy granted = policy(2, POLICY.toJson().toString().replace(
                "\"thing:/features/vibration\":{\"grant\":[\"READ\",\"WRITE\"]", "\"thing:/\":{\"grant\":[\"READ\"]"));
        StreamSubscription everything = StreamSubscription.everything();

        EventProjection.Result before = EventProjection.project(
                new OutgoingEvent(change(POLICY, attributeModified(plainHeaders()))), SENSOR, everything);
        EventProjection.Result after = EventProjection.project(
                new OutgoingEvent(change(granted, attributeModified(plainHeaders()))), SENSOR, everything);

        assertThat(before.outcome()).isEqualTo(EventProjection.Outcome.NOT_READABLE);
        assertThat(after.outcome()).isEqualTo(EventProjection.Outcome.DELIVERED);
        assertThat(after.frame()).isEqualTo(GeneralEventPath.project(change(granted, attributeModified(plainHeaders())),
                SENSOR, everything).frame());
    }

    @Test
    void extraFieldsAreReducedPerSessionWhileTheMessageIsShared() {
        StreamSubscription withSecret = subscription(null, "attributes/site,features/secret");
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, vibrationMerged(plainHeaders())));

        String owner = EventProjection.project(shared, OWNER, withSecret).frame();
        String operator = EventProjection.project(shared, OPERATOR, withSecret).frame();

        assertThat(owner).contains("\"extra\"").contains("k-1");
        assertThat(operator).contains("\"extra\"").doesNotContain("k-1");
        assertThat(shared.frame()).doesNotContain("\"extra\"");
    }

    @Test
    void internalHeadersAndTheSendersAcknowledgementRequestsNeverReachASubscriber() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, vibrationMerged(acknowledgedHeaders())));

        JsonObject headers = JsonObject.of(EventProjection.project(shared, OWNER, StreamSubscription.everything())
                .frame()).getValue("headers").orElseThrow().asObject();

        assertThat(headers.getValue(DittoHeaderDefinition.RESPONSE_REQUIRED.getKey())).contains(JsonValue.of(false));
        assertThat(headers.contains(DittoHeaderDefinition.ORIGIN.getKey())).isFalse();
        assertThat(headers.contains(DittoHeaderDefinition.AUTHORIZATION_CONTEXT.getKey())).isFalse();
        assertThat(headers.getValue(DittoHeaderDefinition.REQUESTED_ACKS.getKey()).orElseThrow().toString())
                .contains("custom-ack").doesNotContain(DittoAcknowledgementLabel.TWIN_PERSISTED.toString());
        assertThat(headers.getValue("correlation-id")).contains(JsonValue.of("corr-acked"));
    }

    // ------------------------------------------------------------------ the shared path is the general path

    @Test
    void everySessionGetsWhatTheGeneralPathBuildsByteForByte() {
        List<StreamSubscription> subscriptions = List.of(
                StreamSubscription.everything(),
                new StreamSubscription(List.of("plant.b"), null, null),
                new StreamSubscription(List.of("plant.b", "plant.a"), null, null),
                subscription(null, "attributes"),
                subscription(null, "attributes/site,features/secret/properties,features/temperature"),
                subscription("eq(attributes/site,\"a\")", null),
                subscription("eq(attributes/site,\"a\")", "attributes/site"),
                subscription("gt(features/vibration/properties/rms,0.1)", null),
                subscription("eq(topic:action,\"merged\")", "features/secret"),
                subscription("like(resource:path,\"/features*\")", null),
                subscription("exists(features/secret)", "features"));
        List<ThingEvent<?>> events = new ArrayList<>();
        for (DittoHeaders headers : List.of(plainHeaders(), acknowledgedHeaders(), builtInAcksOnlyHeaders(),
                customOnlyHeaders(), responseNotRequiredInTheMiddle())) {
            events.add(vibrationMerged(headers));
            events.add(featuresMerged(headers));
            events.add(rootMerged(headers));
            events.add(secretKeyModified(headers));
            events.add(rmsModified(headers));
            events.add(attributeModified(headers));
            events.add(ThingModified.of(ThingsModelFactory.newThing(THING_JSON), 8, MODIFIED, headers, null));
            events.add(FeatureDeleted.of(THING, "secret", 9, MODIFIED, headers, null));
            events.add(ThingDeleted.of(THING, 10, MODIFIED, headers, null));
        }
        Random random = new Random(16);
        int compared = 0;
        for (ThingEvent<?> event : events) {
            TwinChange change = change(POLICY, event);
            OutgoingEvent shared = new OutgoingEvent(change);
            // sessions come in any order: whoever builds the shared message first must not change what others get
            List<AuthorizationContext> subjects = new ArrayList<>(SUBJECTS);
            Collections.shuffle(subjects, random);
            for (AuthorizationContext subject : subjects) {
                for (StreamSubscription subscription : subscriptions) {
                    Object expected = resultOrFailure(() -> GeneralEventPath.project(change, subject, subscription));
                    Object actual = resultOrFailure(() -> EventProjection.project(shared, subject, subscription));
                    String what = event.getType() + " " + event.getDittoHeaders() + " for "
                            + subject.getAuthorizationSubjectIds() + " with " + subscription;
                    assertThat(actual).as(what).isEqualTo(expected);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(9 * 5 * 4 * 11);
    }

    @Test
    void sessionsThatMayReadTheWholeEventShareOneFrame() {
        OutgoingEvent shared = new OutgoingEvent(change(POLICY, vibrationMerged(acknowledgedHeaders())));

        String owner = EventProjection.project(shared, OWNER, StreamSubscription.everything()).frame();
        String operator = EventProjection.project(shared, OPERATOR, StreamSubscription.everything()).frame();
        String sensor = EventProjection.project(shared, SENSOR, subscription("exists(features/vibration)", null))
                .frame();

        assertThat(operator).isSameAs(owner);
        assertThat(sensor).isSameAs(owner);
    }

    @Test
    void sessionsOnSeveralEventLoopsRacingOnAFreshEventAllGetTheGeneralPathsFrames() throws Exception {
        ExecutorService loops = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                TwinChange change = change(POLICY, round % 2 == 0 ? featuresMerged(acknowledgedHeaders())
                        : vibrationMerged(plainHeaders()));
                OutgoingEvent shared = new OutgoingEvent(change);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<EventProjection.Result>> results = new ArrayList<>();
                for (AuthorizationContext subject : List.of(OWNER, OPERATOR, SENSOR, OWNER)) {
                    results.add(loops.submit(() -> {
                        start.await();
                        return EventProjection.project(shared, subject, StreamSubscription.everything());
                    }));
                }
                start.countDown();
                List<AuthorizationContext> subjects = List.of(OWNER, OPERATOR, SENSOR, OWNER);
                for (int i = 0; i < subjects.size(); i++) {
                    assertThat(results.get(i).get(10, TimeUnit.SECONDS))
                            .isEqualTo(GeneralEventPath.project(change, subjects.get(i), StreamSubscription.everything()));
                }
            }
        } finally {
            loops.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ fixtures

    /**
     * The result, or the failure as text: should a projection fail, both paths must fail alike.
     */
    private static Object resultOrFailure(Supplier<EventProjection.Result> projection) {
        try {
            return projection.get();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static AuthorizationContext subject(String id) {
        return AuthorizationModelFactory.newAuthContext(DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP,
                AuthorizationSubject.newInstance(id));
    }

    private static Policy policy(long revision, String json) {
        return PoliciesModelFactory.newPolicyBuilder(PoliciesModelFactory.newPolicy(json)).setRevision(revision).build();
    }

    private static StreamSubscription subscription(String rql, String extraFields) {
        String parameters = (rql == null ? "" : "filter=" + URLEncoder.encode(rql, StandardCharsets.UTF_8))
                + (rql != null && extraFields != null ? "&" : "")
                + (extraFields == null ? "" : "extraFields=" + extraFields);
        ControlMessage control = ControlMessage.parse("START-SEND-EVENTS" + (parameters.isEmpty() ? "" : "?" + parameters))
                .orElseThrow();
        return StreamSubscription.of(control, DittoHeaders.empty());
    }

    private static TwinChange change(Policy policy, ThingEvent<?> event) {
        return change(policy, new PolicyDecisions(PolicyEnforcers.defaultEvaluator(policy)), event);
    }

    private static TwinChange change(Policy policy, PolicyDecisions decisions, ThingEvent<?> event) {
        ThingModelOnDemand after = event instanceof ThingDeleted ? null
                : ThingModelOnDemand.of(new StoredThing(THING, THING_JSON, event.getRevision(), CREATED, MODIFIED,
                        false));
        return new TwinChange(event, StoredPolicies.of(policy), after, decisions);
    }

    private static DittoHeaders plainHeaders() {
        return DittoHeaders.newBuilder().correlationId("corr-plain").build();
    }

    /** What a device's command leaves on its event: internal headers, response-required and mixed ack requests. */
    private static DittoHeaders acknowledgedHeaders() {
        return internal(DittoHeaders.newBuilder().correlationId("corr-acked")
                .responseRequired(true)
                .acknowledgementRequest(AcknowledgementRequest.of(DittoAcknowledgementLabel.TWIN_PERSISTED),
                        AcknowledgementRequest.parseAcknowledgementRequest("custom-ack"),
                        AcknowledgementRequest.parseAcknowledgementRequest("other:ack-2"))
                .putHeader("x-custom", "Wert mit ümlaut")
                .contentType("application/json"));
    }

    private static DittoHeaders builtInAcksOnlyHeaders() {
        return internal(DittoHeaders.newBuilder().correlationId("corr-built-in").responseRequired(false)
                .acknowledgementRequest(AcknowledgementRequest.of(DittoAcknowledgementLabel.TWIN_PERSISTED)));
    }

    private static DittoHeaders customOnlyHeaders() {
        return DittoHeaders.newBuilder().correlationId("corr-custom")
                .acknowledgementRequest(AcknowledgementRequest.parseAcknowledgementRequest("custom-ack"))
                .build();
    }

    /** {@code response-required} not last: the headers subscribers get have it moved to the end, as Ditto's do. */
    private static DittoHeaders responseNotRequiredInTheMiddle() {
        return DittoHeaders.newBuilder().correlationId("corr-middle").responseRequired(false).putHeader("x-after", "1")
                .build();
    }

    private static DittoHeaders internal(DittoHeadersBuilder<?, ?> builder) {
        return builder.authorizationContext(OWNER).origin("session-1").schemaVersion(JsonSchemaVersion.V_2).build();
    }

    private static ThingMerged vibrationMerged(DittoHeaders headers) {
        return ThingMerged.of(THING, JsonPointer.of("/features/vibration/properties"),
                JsonObject.of("{\"rms\":0.42,\"peak\":null}"), 5, MODIFIED, headers, null);
    }

    private static ThingMerged featuresMerged(DittoHeaders headers) {
        return ThingMerged.of(THING, JsonPointer.of("/features"), JsonObject.of(
                "{\"vibration\":{\"properties\":{\"rms\":0.5}},\"secret\":{\"properties\":{\"key\":\"k-2\"}}}"),
                6, MODIFIED, headers, null);
    }

    private static ThingMerged rootMerged(DittoHeaders headers) {
        return ThingMerged.of(THING, JsonPointer.empty(), JsonObject.of(
                "{\"attributes\":{\"count\":4},\"features\":{\"secret\":{\"properties\":{\"nested\":{\"a\":null}}}}}"),
                6, MODIFIED, headers, null);
    }

    private static FeaturePropertyModified secretKeyModified(DittoHeaders headers) {
        return FeaturePropertyModified.of(THING, "secret", JsonPointer.of("key"), JsonValue.of("k-3"), 7, MODIFIED,
                headers, null);
    }

    private static FeaturePropertyModified rmsModified(DittoHeaders headers) {
        return FeaturePropertyModified.of(THING, "vibration", JsonPointer.of("rms"), JsonValue.of(0.07), 7, MODIFIED,
                headers, null);
    }

    private static AttributeModified attributeModified(DittoHeaders headers) {
        return AttributeModified.of(THING, JsonPointer.of("note"), JsonValue.of("ünïcödé \"x\" \u0002 😀"), 7,
                MODIFIED, headers, null);
    }
}
