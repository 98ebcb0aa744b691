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

    private static final String READ = "READ";
    private static final Permissions READ_PERMISSIONS = PoliciesModelFactory.newPermissions(READ);

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

    /**
     * What the session with {@code subject} and {@code subscription} receives of the event. A session that may
     * read the whole change sends the event's shared message ({@link OutgoingEvent}); only a session restricted
     * by the policy builds a message of its own.
     */
    static Result project(OutgoingEvent outgoing, AuthorizationContext subject, StreamSubscription subscription) {
        TwinChange published = outgoing.change();
        ThingEvent<?> event = published.event();
        if (!subscription.matchesNamespace(event.getEntityId().getNamespace())) {
            return Result.skipped(Outcome.OTHER_NAMESPACE);
        }
        // remembered per policy revision and subject: asking the enforcer's trie per event and session was a
        // sixth of the fan-out's CPU (JFR)
        boolean wholeEvent = published.decisions().unrestricted(PoliciesResourceType.THING, event.getResourcePath(),
                subject, READ);
        ThingEvent<?> readable = wholeEvent ? event : readablePart(event, published, subject);
        if (readable == null) {
            return Result.skipped(Outcome.NOT_READABLE);
        }
        JsonObject extra = extraFields(published, subject, subscription);
        if (subscription.filter() != null && !matchesFilter(readable, extra, subscription)) {
            return Result.skipped(Outcome.FILTERED_OUT);
        }
        if (!wholeEvent) {
            return new Result(Outcome.DELIVERED, ProtocolJson.toText(outgoingMessage(readable), extra));
        }
        String frame = extra.isEmpty() ? outgoing.frame() : outgoing.frameWith(extra);
        return new Result(Outcome.DELIVERED, frame);
    }

    /**
     * An event as the Ditto Protocol message subscribers get: with its {@link #outgoingHeaders}, translated to
     * external headers by Ditto's adapter itself ({@code AbstractAdapter.toAdaptable} does that for thing events,
     * so unlike {@link ProtocolJson#toAdaptable} there is no second translation building the same headers again).
     */
    static Adaptable outgoingMessage(ThingEvent<?> event) {
        DittoHeaders headers = event.getDittoHeaders();
        DittoHeaders outgoing = outgoingHeaders(headers);
        return ProtocolJson.ADAPTER.toAdaptable(outgoing == headers ? event : event.setDittoHeaders(outgoing));
    }

    /** The part of an event the subject may read, for a subject without READ on the whole changed path. */
    private static ThingEvent<?> readablePart(ThingEvent<?> event, TwinChange published, AuthorizationContext subject) {
        JsonPointer path = event.getResourcePath();
        if (!published.decisions().partial(PoliciesResourceType.THING, path, subject, READ)) {
            return null;
        }
        Adaptable adaptable = ProtocolJson.ADAPTER.toAdaptable(event);
        Payload payload = adaptable.getPayload();
        JsonValue value = payload.getValue().orElse(null);
        if (value == null || !value.isObject()) {
            // a value-less event (a delete) or a scalar: partial READ does not cover it
            return null;
        }
        JsonObject view = published.enforcer().buildJsonView(PoliciesResourceType.thingResource(path), value.asObject(),
                subject, READ_PERMISSIONS);
        if (view.isEmpty()) {
            return null;
        }
        Adaptable reduced = ProtocolFactory.newAdaptableBuilder(adaptable)
                .withPayload(ProtocolFactory.toPayloadBuilder(payload).withValue(withThingIdKept(path, value.asObject(), view))
                        .build())
                .build();
        return (ThingEvent<?>) ProtocolJson.ADAPTER.fromAdaptable(reduced).setDittoHeaders(event.getDittoHeaders());
    }

    /**
     * A partial reader's view of a whole-thing event keeps the thing's ID, as Ditto's partial-access
     * filter does since eclipse-ditto/ditto#2465 (the topic names the thing anyway): without it the view is no thing an event
     * can be built of, and the session's fan-out failed.
     */
    static JsonObject withThingIdKept(JsonPointer path, JsonObject value, JsonObject view) {
        if (!path.isEmpty() || view.contains(Thing.JsonFields.ID.getPointer())) {
            return view;
        }
        return value.getValue(Thing.JsonFields.ID)
                .map(id -> JsonObject.newBuilder().set(Thing.JsonFields.ID, id).setAll(view).build())
                .orElse(view);
    }

    private static JsonObject extraFields(TwinChange published, AuthorizationContext subject,
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
        return published.enforcer().buildJsonView(PoliciesResourceType.thingResource(JsonPointer.empty()), selected,
                subject, READ_PERMISSIONS);
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
     * The headers an event carries to subscribers: the command's correlation ID and custom acknowledgement
     * requests (the built-in ones are fulfilled by Ditto itself, not by subscribers); {@code response-required}
     * is {@code false} and comes last, since nobody answers an event with a response (an event whose headers
     * lack it adds it at the end: Ditto's {@code AbstractEvent}).
     */
    private static DittoHeaders outgoingHeaders(DittoHeaders eventHeaders) {
        if (!eventHeaders.containsKey(DittoHeaderDefinition.REQUESTED_ACKS.getKey())
                && endsWithResponseNotRequired(eventHeaders)) {
            // already what the rebuild below gives: copying the headers and rebuilding the event with them cost
            // a fifth of the fan-out's CPU per event (JFR), and every event the twin service publishes looks so
            return eventHeaders;
        }
        Set<AcknowledgementRequest> custom = customAcknowledgementRequests(eventHeaders);
        DittoHeadersBuilder<?, ?> builder = eventHeaders.toBuilder()
                .removeHeader(DittoHeaderDefinition.RESPONSE_REQUIRED.getKey())
                .removeHeader(DittoHeaderDefinition.REQUESTED_ACKS.getKey());
        if (!custom.isEmpty()) {
            builder.acknowledgementRequests(custom);
        }
        return builder.responseRequired(false).build();
    }

    private static boolean endsWithResponseNotRequired(DittoHeaders headers) {
        String last = null;
        for (String key : headers.keySet()) {
            last = key;
        }
        return DittoHeaderDefinition.RESPONSE_REQUIRED.getKey().equals(last) && "false".equals(headers.get(last));
    }

    /** The acknowledgement requests of a signal that subscribers (not the twin service) fulfil. */
    static Set<AcknowledgementRequest> customAcknowledgementRequests(DittoHeaders headers) {
        return headers.getAcknowledgementRequests().stream()
                .filter(request -> !DittoAcknowledgementLabel.contains(request.getLabel()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
