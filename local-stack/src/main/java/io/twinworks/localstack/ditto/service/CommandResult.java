package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The result of one command of {@link TwinService#handleInOrder}: Ditto's response, or the failure.
 *
 * <p>A merge's response is built when somebody first asks for it (then kept): most of them come from devices
 * through the Hono connection, where nobody waits for them, and building one (its entity tag hashes the
 * changed resource, its headers are a copy of the command's) cost a tenth of the twin service's thread per
 * merge. Whether it is asked for or not, the change itself is durable. Thread-safe.
 */
public final class CommandResult {

    private final Supplier<? extends CommandResponse<?>> responseSource;
    private final RuntimeException failure;
    private volatile CommandResponse<?> response;

    private CommandResult(Supplier<? extends CommandResponse<?>> responseSource, RuntimeException failure) {
        this.responseSource = responseSource;
        this.failure = failure;
    }

    /** A command that succeeded (its change is durable), with its response or how to build it. */
    static CommandResult succeeded(Supplier<? extends CommandResponse<?>> response) {
        return new CommandResult(Objects.requireNonNull(response, "response"), null);
    }

    static CommandResult failed(RuntimeException failure) {
        return new CommandResult(null, Objects.requireNonNull(failure, "failure"));
    }

    /** The response signal when the command succeeded (its change is durable), else {@code null}. */
    public CommandResponse<?> response() {
        if (responseSource == null) {
            return null;
        }
        CommandResponse<?> known = response;
        if (known == null) {
            // built from immutable values: two threads racing here build equal responses and either may be kept
            known = Objects.requireNonNull(responseSource.get(), "response");
            response = known;
        }
        return known;
    }

    /** Why the command failed, else {@code null}. */
    public RuntimeException failure() {
        return failure;
    }

    /**
     * Whether the command was refused for good by Ditto's rules (policy, validation, not found, conflict:
     * a {@code DittoRuntimeException} with a 4xx status): trying it again cannot succeed.
     */
    public boolean refused() {
        return failure instanceof DittoRuntimeException ditto && ditto.getHttpStatus().isClientError();
    }

    @Override
    public String toString() {
        return failure == null ? "CommandResult[succeeded]" : "CommandResult[failure=" + failure + "]";
    }
}
