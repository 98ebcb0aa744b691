package io.twinworks.localstack.ditto.sse;

import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.search.ThingVisibility;
import io.twinworks.localstack.ditto.model.PolicyDecisions;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

import java.util.Optional;

/**
 * What one SSE client receives of one twin change, as Ditto 2.4's gateway builds it for
 * {@code /api/2/things} server-sent events:
 * <ol>
 *   <li>the event as a thing JSON holding only the changed part (and {@code thingId});</li>
 *   <li>reduced to what the subject may READ under the thing's policy (nothing readable: no event);</li>
 *   <li>merged with the {@code extraFields} of the thing after the change, reduced to what it may READ;</li>
 *   <li>the RQL {@code filter} is evaluated on that merged thing (Ditto evaluates it on the event's
 *       thing plus extra fields, not on the whole twin);</li>
 *   <li>{@code fields} projects it; an empty result sends nothing; the {@code /things/<id>/<path>}
 *       variant sends the value at the path.</li>
 * </ol>
 */
final class SseEventProjection {

    private SseEventProjection() {
    }

    /**
     * The SSE {@code data} for the client, or empty when it gets nothing of this change. READ is decided with
     * the change's remembered policy decisions (once per policy revision and subject, not per event); the changed
     * part is the change's, shared by every stream ({@link SseChange}).
     */
    static Optional<JsonValue> project(SseChange shared, AuthorizationContext subject, SseSubscription subscription) {
        TwinChange change = shared.change();
        PolicyDecisions decisions = change.decisions();
        ThingEvent<?> event = change.event();
        if (!subscription.watches(event.getEntityId())) {
            return Optional.empty();
        }
        Optional<JsonObject> changedPart = shared.changedPart();
        if (changedPart.isEmpty()) {
            return Optional.empty();
        }
        String thingId = event.getEntityId().toString();
        JsonObject readable = ThingVisibility.readableView(decisions, subject, changedPart.get())
                .map(view -> view.remove(Thing.JsonFields.ID.getPointer()))
                .orElse(JsonObject.empty());
        boolean deletionSeenByReader = event instanceof ThingDeleted
                && ThingVisibility.readableView(decisions, subject, JsonObject.empty()).isPresent();
        if (readable.isEmpty() && !deletionSeenByReader) {
            return Optional.empty();
        }
        JsonObject merged = readable.setValue(Thing.JsonFields.ID.getPointer(), thingId);
        if (subscription.extraFields() != null && change.thingAfter() != null) {
            JsonObject extra = ThingVisibility.readableView(decisions, subject,
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
        if (subscription.resourcePath().isEmpty()) {
            return Optional.of(projected);
        }
        return projected.getValue(subscription.resourcePath());
    }
}
