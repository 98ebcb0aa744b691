package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;

import java.util.List;

/**
 * What processing one command yields: the response for the caller, the store changes to commit
 * (before the response is released) and the changes to publish (after the commit).
 */
record CommandOutcome(CommandResponse<?> response, List<StoreChange> storeChanges, List<TwinChange> published) {

    static CommandOutcome readOnly(CommandResponse<?> response) {
        return new CommandOutcome(response, List.of(), List.of());
    }
}
