package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.placeholders.PlaceholderFactory;
import org.eclipse.ditto.placeholders.TimePlaceholder;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.Payload;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.placeholders.ResourcePlaceholder;
import org.eclipse.ditto.protocol.placeholders.TopicPathPlaceholder;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingEventToThingConverter;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The general path, as the fan-out worked before it shared anything: per session, the enforcer asked
 * directly, the readable event rebuilt with the outgoing headers, turned into a Ditto Protocol message with
 * external headers ({@link ProtocolJson#toAdaptable}) and serialized. The oracle of the shared path
 * ({@link EventProjectionTest}) and of the frames written without the adapter ({@link EventFramesTest}).
 */
final class GeneralEventPath {

    private static final Permissions READ = PoliciesModelFactory.newPermissions("READ");

    private GeneralEventPath() {
    }

    static EventProjection.Result project(TwinChange published, AuthorizationContext subject,
                                          StreamSubscription subscription) {
        ThingEvent<?> event = published.event();
        if (!subscription.matchesNamespace(event.getEntityId().getNamespace())) {
            return EventProjection.Result.skipped(EventProjection.Outcome.OTHER_NAMESPACE);
        }
        Enforcer enforcer = PolicyEnforcers.defaultEvaluator(published.policy());
        ThingEvent<?> readable = readablePart(event, enforcer, subject);
        if (readable == null) {
            return EventProjection.Result.skipped(EventProjection.Outcome.NOT_READABLE);
        }
        JsonObject extra = JsonObject.empty();
        if (subscription.extraFields() != null && published.thingAfter() != null) {
            extra = enforcer.buildJsonView(PoliciesResourceType.thingResource(JsonPointer.empty()),
                    published.thingAfter().toJson(JsonSchemaVersion.V_2, subscription.extraFields()), subject,
                    READ);
        }
        if (subscription.filter() != null) {
            Thing thing = ThingEventToThingConverter.mergeThingWithExtraFields(readable,
                            subscription.extraFields(), extra)
                    .orElseGet(() -> ThingsModelFactory.newThingBuilder().build());
            boolean matches = ThingPredicateVisitor.apply(subscription.filter(),
                            PlaceholderFactory.newPlaceholderResolver(TopicPathPlaceholder.getInstance(),
                                    ProtocolJson.ADAPTER.toTopicPath(readable)),
                            PlaceholderFactory.newPlaceholderResolver(ResourcePlaceholder.getInstance(), readable),
                            PlaceholderFactory.newPlaceholderResolver(TimePlaceholder.getInstance(), new Object()))
                    .test(thing);
            if (!matches) {
                return EventProjection.Result.skipped(EventProjection.Outcome.FILTERED_OUT);
            }
        }
        return new EventProjection.Result(EventProjection.Outcome.DELIVERED, frame(readable, extra));
    }

    /**
     * The frame of an event a session may read whole: rebuilt with the outgoing headers, turned into a Ditto
     * Protocol message by Ditto's adapter with external headers and serialized by Ditto's JSON, with {@code extra}
     * fields when non-empty.
     */
    static String frame(ThingEvent<?> event, JsonObject extra) {
        Adaptable adaptable = ProtocolJson.toAdaptable(event.setDittoHeaders(outgoingHeaders(event.getDittoHeaders())));
        return ProtocolJson.toText(adaptable, extra);
    }

    private static ThingEvent<?> readablePart(ThingEvent<?> event, Enforcer enforcer,
                                              AuthorizationContext subject) {
        ResourceKey key = PoliciesResourceType.thingResource(event.getResourcePath());
        if (enforcer.hasUnrestrictedPermissions(key, subject, READ)) {
            return event;
        }
        if (!enforcer.hasPartialPermissions(key, subject, READ)) {
            return null;
        }
        Adaptable adaptable = ProtocolJson.ADAPTER.toAdaptable(event);
        Payload payload = adaptable.getPayload();
        JsonValue value = payload.getValue().orElse(null);
        if (value == null || !value.isObject()) {
            return null;
        }
        JsonObject view = enforcer.buildJsonView(key, value.asObject(), subject, READ);
        if (view.isEmpty()) {
            return null;
        }
        Adaptable reduced = ProtocolFactory.newAdaptableBuilder(adaptable)
                .withPayload(ProtocolFactory.toPayloadBuilder(payload)
                        .withValue(EventProjection.withThingIdKept(event.getResourcePath(), value.asObject(), view))
                        .build())
                .build();
        return (ThingEvent<?>) ProtocolJson.ADAPTER.fromAdaptable(reduced).setDittoHeaders(event.getDittoHeaders());
    }

    private static DittoHeaders outgoingHeaders(DittoHeaders headers) {
        Set<AcknowledgementRequest> custom = headers.getAcknowledgementRequests().stream()
                .filter(request -> !DittoAcknowledgementLabel.contains(request.getLabel()))
                .collect(Collectors.toUnmodifiableSet());
        DittoHeadersBuilder<?, ?> builder = headers.toBuilder()
                .removeHeader(DittoHeaderDefinition.RESPONSE_REQUIRED.getKey())
                .removeHeader(DittoHeaderDefinition.REQUESTED_ACKS.getKey());
        if (!custom.isEmpty()) {
            builder.acknowledgementRequests(custom);
        }
        return builder.build();
    }
}
