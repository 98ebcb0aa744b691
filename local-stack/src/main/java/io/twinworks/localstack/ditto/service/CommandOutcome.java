package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.TwinChange;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;

import java.util.List;
import java.util.function.Supplier;

/**
 * What processing one command yields: the response for the caller (or how to build it when asked: see
 * {@link CommandResult}), the store changes to commit (before the response is released) and the changes to
 * publish (after the commit).
 */
record CommandOutcome(Supplier<? extends CommandResponse<?>> response, List<StoreChange> storeChanges,
                      List<TwinChange> published) {

    /** With a response built already. */
    CommandOutcome(CommandResponse<?> response, List<StoreChange> storeChanges, List<TwinChange> published) {
        this(() -> response, storeChanges, published);
    }

    static CommandOutcome readOnly(CommandResponse<?> response) {
        return new CommandOutcome(response, List.of(), List.of());
    }
}
