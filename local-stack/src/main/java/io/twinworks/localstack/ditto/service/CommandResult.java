package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;

/**
 * The result of one command of {@link TwinService#handleInOrder}: Ditto's response, or the failure.
 *
 * @param response the response signal when the command succeeded (its change is durable), else {@code null}
 * @param failure  why the command failed, else {@code null}
 */
public record CommandResult(CommandResponse<?> response, RuntimeException failure) {

    public CommandResult {
        if ((response == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of response and failure");
        }
    }

    static CommandResult succeeded(CommandResponse<?> response) {
        return new CommandResult(response, null);
    }

    static CommandResult failed(RuntimeException failure) {
        return new CommandResult(null, failure);
    }

    /**
     * Whether the command was refused for good by Ditto's rules (policy, validation, not found, conflict:
     * a {@code DittoRuntimeException} with a 4xx status): trying it again cannot succeed.
     */
    public boolean refused() {
        return failure instanceof DittoRuntimeException ditto && ditto.getHttpStatus().isClientError();
    }
}
