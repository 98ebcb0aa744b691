package io.twinworks.localstack.ditto.sse;

import io.twinworks.localstack.ditto.model.FeatureHistoryEntry;
import io.twinworks.localstack.ditto.model.ThingHistory;
import io.twinworks.localstack.ditto.search.ThingVisibility;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of a historical SSE stream (Ditto 3.2+: {@code GET /api/2/things/<id>} with
 * {@code from-historical-revision} etc.), built from the local stack's per-feature history: one event per
 * recorded revision, normalized to thing JSON as Ditto normalizes its persisted events — the features that
 * revision changed (their properties after the change), {@code thingId}, and {@code _revision} /
 * {@code _modified} when {@code fields} asks for them. Each is reduced to what the reader may READ, then the
 * RQL {@code filter} and {@code fields} apply as on the live stream.
 *
 * <p>What the local history holds is feature properties only: attribute and definition changes are not in it.
 */
final class HistoricalEvents {

    private HistoricalEvents() {
    }

    static List<JsonValue> project(ThingId thingId, ThingHistory history, Enforcer enforcer,
                                   AuthorizationContext subject, SseSubscription subscription) {
        Map<Long, List<FeatureHistoryEntry>> byRevision = new LinkedHashMap<>();
        for (FeatureHistoryEntry entry : history.entries()) {
            byRevision.computeIfAbsent(entry.revision(), revision -> new ArrayList<>()).add(entry);
        }
        List<JsonValue> events = new ArrayList<>();
        for (List<FeatureHistoryEntry> entries : byRevision.values()) {
            JsonObjectBuilder features = JsonFactory.newObjectBuilder();
            for (FeatureHistoryEntry entry : entries) {
                features.set(entry.featureId(), JsonFactory.newObjectBuilder().set("properties", entry.properties()).build());
            }
            JsonObject changed = JsonFactory.newObjectBuilder()
                    .set(Thing.JsonFields.ID.getPointer(), thingId.toString())
                    .set("features", features.build())
                    .build();
            JsonObject readable = ThingVisibility.readableView(enforcer, subject, changed)
                    .map(view -> view.remove(Thing.JsonFields.ID.getPointer()))
                    .orElse(JsonObject.empty());
            if (readable.isEmpty()) {
                continue;
            }
            FeatureHistoryEntry first = entries.get(0);
            Thing thing = ThingsModelFactory.newThing(readable.setValue(Thing.JsonFields.ID.getPointer(), thingId.toString()))
                    .toBuilder().setRevision(first.revision()).setModified(first.timestamp()).build();
            if (subscription.filter() != null && !ThingPredicateVisitor.apply(subscription.filter()).test(thing)) {
                continue;
            }
            JsonObject projected = subscription.fields() == null
                    ? thing.toJson(JsonSchemaVersion.V_2)
                    : thing.toJson(JsonSchemaVersion.V_2, subscription.fields());
            if (projected.isEmpty()) {
                continue;
            }
            if (subscription.resourcePath().isEmpty()) {
                events.add(projected);
            } else {
                projected.getValue(subscription.resourcePath()).ifPresent(events::add);
            }
        }
        return events;
    }

    /** Whether the reader may see the thing at all (else it "does not exist" for them, as in Ditto). */
    static boolean seesThing(Enforcer enforcer, AuthorizationContext subject) {
        return ThingVisibility.readableView(enforcer, subject, JsonObject.empty()).isPresent();
    }
}
