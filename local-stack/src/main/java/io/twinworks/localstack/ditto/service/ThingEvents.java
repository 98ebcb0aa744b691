package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.ThingJson;
import io.twinworks.localstack.ditto.model.ThingModelOnDemand;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThingResponse;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What an accepted thing change becomes, as Ditto's event strategies and persistence build it: the next
 * revision of the thing (validated), its feature history entries, the command's response with the new entity
 * tag, and the event published under the thing's policy.
 */
final class ThingEvents {

    private final Clock clock;
    private final ParsedPolicies parsedPolicies;
    private final ThingValidation validation;

    ThingEvents(Clock clock, ParsedPolicies parsedPolicies, ThingValidation validation) {
        this.clock = clock;
        this.parsedPolicies = parsedPolicies;
        this.validation = validation;
    }

    /**
     * A modify, merge or partial delete of an existing thing: {@code changed} becomes revision + 1.
     *
     * @param responseValue the response's entity (a created sub-resource), or {@code null}
     * @param eventValue    the event's value (the new value, the merge patch), or {@code null} for a delete
     */
    CommandOutcome changed(Action action, boolean created, StoredThing thing, ThingJson changed, StoredPolicy policy,
                           JsonPointer path, HttpStatus status, JsonValue responseValue, JsonValue eventValue,
                           DittoHeaders headers) {
        Instant now = clock.instant();
        long revision = thing.revision() + 1;
        StoredThing after = new StoredThing(thing.thingId(), changed, revision, thing.created(), now, false);
        ThingModelOnDemand afterThing = validation.validate(thing, after, headers, path,
                action == Action.MERGE ? eventValue : null);
        List<StoreChange> changes = new ArrayList<>();
        changes.add(action == Action.MERGE ? new StoreChange.MergeThing(after, path, eventValue)
                : new StoreChange.PutThing(after));
        Supplier<CommandResponse<?>> response;
        ThingEvent<?> event;
        if (action == Action.MERGE) {
            // the protocol adapter resolves merged events by path to the modify-style event types; Ditto emits ThingMerged
            DittoHeaders eventHeaders = SettledHeaders.forEvent(headers);
            event = ThingMerged.of(thing.thingId(), path, eventValue, revision, now, eventHeaders, null);
            // built when asked for (see CommandResult): devices' merges are answered to nobody
            response = () -> MergeThingResponse.of(thing.thingId(), path,
                    SettledHeaders.forResponse(eventHeaders, entityTag(after, afterThing, path)));
        } else {
            SettledHeaders settled = SettledHeaders.of(headers, entityTag(after, afterThing, path));
            CommandResponse<?> built = DittoSignals.thingResponse(thing.thingId(), action, path, responseValue, status,
                    settled.response());
            response = () -> built;
            event = DittoSignals.thingEvent(thing.thingId(), action, created, path, eventValue, revision, now,
                    settled.event());
        }
        TwinChange change = parsedPolicies.change(event, policy, afterThing);
        return new CommandOutcome(response, changes, List.of(change));
    }

    /** The entity tag of the changed resource after the change: the thing's revision, or a sub-resource's hash. */
    private static Optional<EntityTag> entityTag(StoredThing after, ThingModelOnDemand afterThing, JsonPointer path) {
        return path.isEmpty() ? EntityTag.fromEntity(afterThing.get())
                : ThingResources.valueAt(after, path).flatMap(EntityTag::fromEntity);
    }

    /** The whole thing deleted: a tombstone at revision + 1 (its history stays readable until it is dropped). */
    CommandOutcome deleted(StoredThing thing, StoredPolicy policy, DittoHeaders headers) {
        Instant now = clock.instant();
        long revision = thing.revision() + 1;
        StoredThing tombstone = new StoredThing(thing.thingId(), thing.json(), revision, thing.created(), now, true);
        CommandResponse<?> response = DittoSignals.thingResponse(thing.thingId(), Action.DELETE, JsonPointer.empty(),
                null, HttpStatus.NO_CONTENT, headers);
        TwinChange change = parsedPolicies.change(DittoSignals.thingEvent(thing.thingId(), Action.DELETE, false,
                JsonPointer.empty(), null, revision, now, headers), policy, null);
        return new CommandOutcome(response, List.of(new StoreChange.PutThing(tombstone)), List.of(change));
    }

    /**
     * A new thing: {@code json} at the revision after {@code tombstone}'s (1 for a thing that never existed).
     *
     * @param policyChanges the store changes of a policy created with it (none when it uses an existing one)
     * @param now           the creation time (the same as the new policy's)
     */
    CommandOutcome created(ThingId thingId, JsonObject json, Optional<StoredThing> tombstone, StoredPolicy policy,
                           List<StoreChange> policyChanges, Instant now, DittoHeaders headers) {
        long revision = tombstone.map(StoredThing::revision).orElse(0L) + 1;
        StoredThing created = new StoredThing(thingId, json, revision, now, now, false);
        ThingModelOnDemand createdThing = validation.validate(null, created, headers, JsonPointer.empty(), null);
        List<StoreChange> changes = new ArrayList<>(policyChanges);
        changes.add(new StoreChange.PutThing(created));
        DittoHeaders responseHeaders = ThingResources.withEntityTag(headers, EntityTag.fromEntity(createdThing.get()));
        CommandResponse<?> response = DittoSignals.thingResponse(thingId, Action.CREATE, JsonPointer.empty(), json,
                HttpStatus.CREATED, responseHeaders);
        TwinChange change = parsedPolicies.change(DittoSignals.thingEvent(thingId, Action.CREATE, true,
                JsonPointer.empty(), json, revision, now, headers), policy, createdThing);
        return new CommandOutcome(response, changes, List.of(change));
    }
}
