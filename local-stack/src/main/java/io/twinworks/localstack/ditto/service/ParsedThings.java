package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Things as Ditto's model, kept per thing ID for as long as the stored thing is the same object, so a
 * change below {@code /features/<id>} builds only that feature into the previous model instead of parsing
 * and checking the whole thing again (a quarter of the twin service's CPU under ingest). Building the
 * model is Ditto's check of what is stored; the parts not rebuilt passed it when they were stored.
 *
 * <p>An entry belongs to one {@link StoredThing} instance: a change that is rolled back leaves an entry
 * nobody asks for again (the store hands out the committed instance, which misses), so there is nothing
 * to invalidate by hand. Bounded (least recently used entries dropped first); used on the twin service's
 * command thread only.
 */
final class ParsedThings {

    /** Things kept parsed, as many as the store keeps in memory. */
    static final int MAX_ENTRIES = io.twinworks.localstack.ditto.store.TwinStore.CACHED_ENTITIES;

    private static final JsonPointer FEATURES = JsonPointer.of("/features");

    private final Map<ThingId, Parsed> byId = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ThingId, Parsed> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Parsed(StoredThing source, Thing thing) {
    }

    /**
     * The thing after a change as Ditto's model (with revision and timestamps), checked by Ditto's
     * builders: only the changed feature when the change lies below {@code /features/<id>}, the model
     * of the thing before it is known and the feature is still there; the whole thing otherwise.
     *
     * @param before      the thing before the change (null for a new thing)
     * @param after       the thing after the change
     * @param changedPath where the change happened (empty: anywhere)
     * @throws org.eclipse.ditto.base.model.exceptions.DittoRuntimeException when Ditto's model refuses it
     */
    Thing after(StoredThing before, StoredThing after, JsonPointer changedPath) {
        Thing thing = incrementally(before, after, changedPath).orElseGet(after::toThing);
        byId.put(after.thingId(), new Parsed(after, thing));
        return thing;
    }

    private Optional<Thing> incrementally(StoredThing before, StoredThing after, JsonPointer changedPath) {
        if (before == null || changedPath.getLevelCount() < 2
                || !changedPath.get(0).map(JsonKey::toString).orElse("").equals("features")) {
            return Optional.empty();
        }
        Parsed known = byId.get(before.thingId());
        if (known == null || known.source() != before) {
            return Optional.empty();
        }
        JsonKey featureId = changedPath.get(1).orElseThrow();
        Optional<JsonValue> feature = after.json().getValue(FEATURES.addLeaf(featureId));
        if (feature.isEmpty() || !feature.get().isObject()) {
            // removed or not an object: the whole thing decides (and names the error as Ditto does)
            return Optional.empty();
        }
        Feature changed = ThingsModelFactory.newFeatureBuilder(feature.get().asObject())
                .useId(featureId.toString())
                .build();
        return Optional.of(known.thing().setFeature(changed).toBuilder()
                .setRevision(after.revision())
                .setModified(after.modified())
                .build());
    }
}
