package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing as persisted: its regular JSON (what {@code GET /api/2/things/{id}} shows without
 * special fields) plus the bookkeeping Ditto keeps beside it.
 *
 * @param thingId  the thing's ID
 * @param document the thing's regular fields ({@code thingId}, {@code policyId}, {@code attributes}, ...), held in
 *                 parts (see {@link ThingJson}; {@link #json()} is the whole object)
 * @param revision the revision of the last change; it keeps counting after a delete, as Ditto's
 *                 event journal does, so a re-created thing never reuses a revision
 * @param created  when the thing was (last) created
 * @param modified when the thing was last changed
 * @param deleted  {@code true} for a tombstone that only remembers the revision
 */
public record StoredThing(ThingId thingId, ThingJson document, long revision, Instant created, Instant modified,
                          boolean deleted) {

    public StoredThing {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(modified, "modified");
    }

    /** A stored thing of a whole JSON object. */
    public StoredThing(ThingId thingId, JsonObject json, long revision, Instant created, Instant modified, boolean deleted) {
        this(thingId, ThingJson.of(json), revision, created, modified, deleted);
    }

    /** The thing's regular fields as one Ditto JSON object (built from its parts on first use). */
    public JsonObject json() {
        return document.whole();
    }

    /** The thing as Ditto's model, with revision and timestamps set (for special fields and entity tags). */
    public Thing toThing() {
        return ThingsModelFactory.newThingBuilder(json())
                .setRevision(revision)
                .setCreated(created)
                .setModified(modified)
                .build();
    }

}
