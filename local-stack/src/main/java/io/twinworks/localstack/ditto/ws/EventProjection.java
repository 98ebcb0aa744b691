package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.TwinChange;

import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.Signal;
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
 * What one session receives of one twin event, decided as Ditto's gateway does:
 * <ol>
 *   <li>namespace: the event's namespace must be one of the subscribed ones (if any);</li>
 *   <li>authorization on the event's policy: unrestricted READ on the changed path delivers the event
 *       as is; with READ on only parts below it, the event's value is reduced to the readable parts
 *       (an event with nothing readable left is not delivered);</li>
 *   <li>{@code extraFields}: taken from the thing after the change, reduced to what the subject may read;</li>
 *   <li>RQL filter: evaluated like Ditto 2.4's {@code StreamingSession}, on the thing the (readable)
 *       event describes merged with the extra fields (not on the whole twin), with the
 *       {@code topic:}/{@code resource:}/{@code time:} placeholders.</li>
 * </ol>
 */
final class EventProjection {

    private static final Permissions READ = PoliciesModelFactory.newPermissions("READ");

    /** Why an event was not delivered (or that it was). */
    enum Outcome { DELIVERED, OTHER_NAMESPACE, NOT_READABLE, FILTERED_OUT }

    /**
     * The result for one session.
     *
     * @param outcome what happened
     * @param frame   the Ditto Protocol text frame to send ({@code null} unless delivered)
     */
    record Result(Outcome outcome, String frame) {
        static Result skipped(Outcome outcome) {
            return new Result(outcome, null);
        }
    }

    private EventProjection() {
    }

    static Result project(TwinChange published, AuthorizationContext subject, StreamSubscription subscription) {
        ThingEvent<?> event = published.event();
        if (!subscription.matchesNamespace(event.getEntityId().getNamespace())) {
            return Result.skipped(Outcome.OTHER_NAMESPACE);
        }
        Enforcer enforcer = published.enforcer();
        ThingEvent<?> readable = readablePart(event, enforcer, subject);
        if (readable == null) {
            return Result.skipped(Outcome.NOT_READABLE);
        }
        JsonObject extra = extraFields(published, enforcer, subject, subscription);
        if (subscription.filter() != null && !matchesFilter(readable, extra, subscription)) {
            return Result.skipped(Outcome.FILTERED_OUT);
        }
        Adaptable adaptable = ProtocolJson.toAdaptable(readable.setDittoHeaders(outgoingHeaders(readable.getDittoHeaders())));
        return new Result(Outcome.DELIVERED, ProtocolJson.toText(adaptable, extra));
    }

    private static ThingEvent<?> readablePart(ThingEvent<?> event, Enforcer enforcer, AuthorizationContext subject) {
        JsonPointer path = event.getResourcePath();
        ResourceKey key = PoliciesResourceType.thingResource(path);
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
            // a value-less event (a delete) or a scalar: partial READ does not cover it
            return null;
        }
        JsonObject view = enforcer.buildJsonView(key, value.asObject(), subject, READ);
        if (view.isEmpty()) {
            return null;
        }
        Adaptable reduced = ProtocolFactory.newAdaptableBuilder(adaptable)
                .withPayload(ProtocolFactory.toPayloadBuilder(payload).withValue(view).build())
                .build();
        return (ThingEvent<?>) ProtocolJson.ADAPTER.fromAdaptable(reduced).setDittoHeaders(event.getDittoHeaders());
    }

    private static JsonObject extraFields(TwinChange published, Enforcer enforcer, AuthorizationContext subject,
                                          StreamSubscription subscription) {
        if (subscription.extraFields() == null) {
            // before asking for the thing's model: it is built on demand, and only extraFields need it
            return JsonObject.empty();
        }
        Thing after = published.thingAfter();
        if (after == null) {
            return JsonObject.empty();
        }
        JsonObject selected = after.toJson(JsonSchemaVersion.V_2, subscription.extraFields());
        return enforcer.buildJsonView(PoliciesResourceType.thingResource(JsonPointer.empty()), selected, subject, READ);
    }

    private static boolean matchesFilter(ThingEvent<?> event, JsonObject extra, StreamSubscription subscription) {
        Thing thing = ThingEventToThingConverter.mergeThingWithExtraFields(event, subscription.extraFields(), extra)
                .orElseGet(() -> ThingsModelFactory.newThingBuilder().build());
        Signal<?> signal = event;
        return ThingPredicateVisitor.apply(subscription.filter(),
                        PlaceholderFactory.newPlaceholderResolver(TopicPathPlaceholder.getInstance(),
                                ProtocolJson.ADAPTER.toTopicPath(signal)),
                        PlaceholderFactory.newPlaceholderResolver(ResourcePlaceholder.getInstance(), event),
                        PlaceholderFactory.newPlaceholderResolver(TimePlaceholder.getInstance(), new Object()))
                .test(thing);
    }

    /**
     * The headers an event carries to subscribers: the command's correlation ID and custom
     * acknowledgement requests (the built-in ones are fulfilled by Ditto itself, not by subscribers);
     * no {@code response-required}, since nobody answers an event with a response.
     */
    private static DittoHeaders outgoingHeaders(DittoHeaders eventHeaders) {
        if (!eventHeaders.containsKey(DittoHeaderDefinition.RESPONSE_REQUIRED.getKey())
                && !eventHeaders.containsKey(DittoHeaderDefinition.REQUESTED_ACKS.getKey())) {
            // nothing to strip: building a copy costs a header-definition map per event and session (JFR)
            return eventHeaders;
        }
        Set<AcknowledgementRequest> custom = customAcknowledgementRequests(eventHeaders);
        DittoHeadersBuilder<?, ?> builder = eventHeaders.toBuilder()
                .removeHeader(DittoHeaderDefinition.RESPONSE_REQUIRED.getKey())
                .removeHeader(DittoHeaderDefinition.REQUESTED_ACKS.getKey());
        if (!custom.isEmpty()) {
            builder.acknowledgementRequests(custom);
        }
        return builder.build();
    }

    /** The acknowledgement requests of a signal that subscribers (not the twin service) fulfil. */
    static Set<AcknowledgementRequest> customAcknowledgementRequests(DittoHeaders headers) {
        return headers.getAcknowledgementRequests().stream()
                .filter(request -> !DittoAcknowledgementLabel.contains(request.getLabel()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
