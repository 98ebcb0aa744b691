package io.twinworks.localstack.ditto.sse;

import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.rql.query.criteria.Criteria;
import org.eclipse.ditto.things.model.ThingId;

import java.util.Objects;
import java.util.Set;

/**
 * What one SSE client asked for on {@code /api/2/things} (or {@code /api/2/things/<id>/<path>}).
 *
 * @param thingIds     {@code ids}: the things to watch; empty for all visible things
 * @param namespaces   {@code namespaces}: the namespaces to watch; empty for all
 * @param fields       {@code fields}: the projection of each event's thing JSON, or {@code null}
 * @param extraFields  {@code extraFields}: fields of the thing after the change merged into each event, or {@code null}
 * @param filter       {@code filter}: the RQL filter the event's thing (with extra fields) must match, or {@code null}
 * @param resourcePath the path below the thing of the {@code /things/<id>/<path>} variant (its value is sent);
 *                     empty for the whole thing JSON
 */
public record SseSubscription(Set<ThingId> thingIds, Set<String> namespaces, JsonFieldSelector fields,
                              JsonFieldSelector extraFields, Criteria filter, JsonPointer resourcePath) {

    public SseSubscription {
        thingIds = Set.copyOf(Objects.requireNonNull(thingIds, "thingIds"));
        namespaces = Set.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
        Objects.requireNonNull(resourcePath, "resourcePath");
    }

    /** Whether events of this thing are wanted at all (by ID and namespace). */
    public boolean watches(ThingId thingId) {
        return (thingIds.isEmpty() || thingIds.contains(thingId))
                && (namespaces.isEmpty() || namespaces.contains(thingId.getNamespace()));
    }
}
