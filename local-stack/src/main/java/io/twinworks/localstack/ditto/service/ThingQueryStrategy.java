package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToAccessExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingsResponse;
import org.eclipse.ditto.things.model.signals.commands.query.ThingQueryCommand;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The strategy of thing queries (retrieve a thing or any resource of it, retrieve several things), of the
 * current state or — with Ditto 3.2+'s historical headers — of a recorded past one.
 */
final class ThingQueryStrategy {

    private final TwinStore store;
    private final ThingEnforcement enforcement;
    private final Clock clock;

    ThingQueryStrategy(TwinStore store, ThingEnforcement enforcement, Clock clock) {
        this.store = store;
        this.enforcement = enforcement;
        this.clock = clock;
    }

    /** Retrieves the resource a query addresses, as far as {@code access} lets the subject read it. */
    CommandOutcome retrieve(ThingCommand<?> command, StoredThing current, Access access) {
        StoredThing thing = stateToRead(command, current);
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        if (!access.canReadPartially(path)) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        Optional<JsonValue> value = ThingResources.valueAt(thing, path);
        if (value.isEmpty()) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        Optional<EntityTag> tag = ThingResources.entityTag(thing, path, value);
        ConditionalHeaders.check(headers, () -> tag, true, ThingResources.PRECONDITIONS);
        Optional<JsonFieldSelector> fields = command instanceof ThingQueryCommand<?> query
                ? query.getSelectedFields() : Optional.empty();
        JsonValue selected = path.isEmpty() ? ThingResources.selectFields(thing, fields)
                : fields.filter(f -> value.get().isObject()).<JsonValue>map(f -> value.get().asObject().get(f))
                .orElse(value.get());
        JsonValue view = access.readableView(path, selected);
        if (view == null) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        return CommandOutcome.readOnly(DittoSignals.thingResponse(thing.thingId(), Action.RETRIEVE, path, view,
                HttpStatus.OK, ThingResources.withEntityTag(headers, tag)));
    }

    /** Retrieves several things, leaving out those that do not exist or that the subject may not see (as Ditto). */
    CommandResponse<?> retrieveThings(RetrieveThings command) {
        DittoHeaders headers = command.getDittoHeaders();
        Optional<JsonFieldSelector> fields = command.getSelectedFields();
        Optional<HistoricalRead> historical = HistoricalRead.of(headers);
        List<JsonValue> visible = new ArrayList<>();
        for (ThingId thingId : command.getEntityIds()) {
            Optional<StoredThing> thing = store.findThing(thingId).filter(t -> !t.deleted());
            if (thing.isEmpty()) {
                continue;
            }
            Optional<Access> access = enforcement.access(thing.get(), headers.getAuthorizationContext());
            if (access.isEmpty()) {
                continue;
            }
            // a thing without a recorded state at that point is left out, as one that does not exist
            Optional<StoredThing> state = historical.isEmpty() ? thing : pastState(thing.get(), historical.get());
            if (access.get().seesEntity() && state.isPresent()) {
                visible.add(access.get().readableView(JsonPointer.empty(),
                        ThingResources.selectFields(state.get(), fields)));
            }
        }
        JsonArray array = JsonFactory.newArrayBuilder(visible).build();
        return RetrieveThingsResponse.of(array, null, headers);
    }

    /**
     * The thing as a query asks for it: its current state, or — with Ditto 3.2+'s {@code at-historical-revision} /
     * {@code at-historical-timestamp} headers — a recorded past state (404 {@code things:thing.history.notfound} when
     * that is not recorded). The caller has checked the current policy lets the subject see the thing; that policy,
     * not the one of the past state, decides what it may read of it, as in Ditto.
     */
    private StoredThing stateToRead(ThingCommand<?> command, StoredThing current) {
        DittoHeaders headers = command.getDittoHeaders();
        Optional<HistoricalRead> historical = HistoricalRead.of(headers);
        if (historical.isEmpty()) {
            return current;
        }
        return pastState(current, historical.get())
                .orElseThrow(() -> historical.get().notAccessible(current.thingId(), headers));
    }

    /** The recorded state at that point, or empty (never existed then, deleted then, no longer kept, in the future). */
    private Optional<StoredThing> pastState(StoredThing current, HistoricalRead at) {
        // Ditto denies a revision or time in the future outright (Ditto 3.4.4, eclipse-ditto/ditto#1844)
        if ((at.revision() != null && at.revision() > current.revision())
                || (at.timestamp() != null && at.timestamp().isAfter(clock.instant()))) {
            return Optional.empty();
        }
        // the current state answers for itself (also for things written before the store kept whole-thing history)
        if ((at.revision() == null || at.revision() == current.revision())
                && (at.timestamp() == null || current.modified().isBefore(at.timestamp()))) {
            return Optional.of(current);
        }
        return store.thingAt(current.thingId(), at.revision(), at.timestamp()).filter(state -> !state.deleted());
    }
}
