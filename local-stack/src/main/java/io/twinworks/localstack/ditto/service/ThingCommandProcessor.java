package io.twinworks.localstack.ditto.service;

import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.service.ThingEnforcement.Enforced;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToModifyExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConflictException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;

import java.time.Clock;
import java.util.Optional;

/**
 * Applies Ditto thing commands to the stored twins (blocking; called on the twin service's worker), split
 * along Ditto's own seams:
 * <ul>
 *   <li>{@link ThingEnforcement}: the thing's policy and what the subject may see and write;</li>
 *   <li>the per-command strategies: {@link ThingCreateStrategy}, {@link ThingQueryStrategy},
 *       {@link ThingModifyStrategies} (modify, merge, delete), over the resources of {@link ThingResources};</li>
 *   <li>{@link ThingEvents}: the accepted change as the next revision (checked by {@link ThingValidation}),
 *       its feature history, response and event.</li>
 * </ul>
 * This class only routes a command: to the create strategy (a new thing), or through enforcement to the
 * strategy of its category.
 */
final class ThingCommandProcessor {

    private final TwinStore store;
    private final ThingEnforcement enforcement;
    private final ThingCreateStrategy creation;
    private final ThingQueryStrategy queries;
    private final ThingModifyStrategies modifications;

    /**
     * @param wotValidator validates things against the Thing Model their {@code definition} names
     *                     (Ditto 3.6+ WoT validation), or {@code null} when switched off
     */
    ThingCommandProcessor(TwinStore store, ParsedPolicies parsedPolicies, Clock clock, int maxThingBytes,
                          ThingPayloadValidator wotValidator) {
        this.store = store;
        this.enforcement = new ThingEnforcement(store, parsedPolicies);
        ThingEvents events = new ThingEvents(clock, parsedPolicies, new ThingValidation(maxThingBytes, wotValidator));
        this.creation = new ThingCreateStrategy(store, enforcement, events, clock);
        this.queries = new ThingQueryStrategy(store, enforcement, clock);
        this.modifications = new ThingModifyStrategies(enforcement, events);
    }

    CommandOutcome process(ThingCommand<?> command) {
        ThingId thingId = command.getEntityId();
        DittoHeaders headers = command.getDittoHeaders();
        Optional<StoredThing> stored = store.findThing(thingId);
        StoredThing existing = stored.filter(thing -> !thing.deleted()).orElse(null);
        if (command instanceof CreateThing create) {
            if (existing != null) {
                throw ThingConflictException.newBuilder(thingId).dittoHeaders(headers).build();
            }
            return creation.create(command, create.getThing(), create.getInitialPolicy(),
                    create.getPolicyIdOrPlaceholder(), stored);
        }
        if (command instanceof ModifyThing modify && existing == null) {
            return creation.create(command, modify.getThing(), modify.getInitialPolicy(),
                    modify.getPolicyIdOrPlaceholder(), stored);
        }
        if (existing == null) {
            throw ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        Enforced enforced = enforcement.enforce(thingId, existing, headers);
        if (command instanceof MergeThing) {
            // Ditto 2.x files MergeThing under the MODIFY category; its semantics are a merge patch
            return modifications.merge(command, existing, enforced);
        }
        return switch (command.getCategory()) {
            case QUERY -> queries.retrieve(command, existing, enforced.access());
            case MODIFY -> modifications.modify(command, existing, enforced);
            case MERGE -> modifications.merge(command, existing, enforced);
            case DELETE -> modifications.delete(command, existing, enforced);
            default -> throw ThingCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
        };
    }

    /** Retrieves several things, leaving out those that do not exist or that the subject may not see (as Ditto). */
    CommandResponse<?> retrieveThings(RetrieveThings command) {
        return queries.retrieveThings(command);
    }
}
