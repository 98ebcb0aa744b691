package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.Label;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.signals.commands.PolicyCommand;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyCommandToAccessExceptionRegistry;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.ResourceNotAccessibleException;
import org.eclipse.ditto.policies.model.signals.commands.modify.DeleteResource;
import org.eclipse.ditto.policies.model.signals.commands.modify.ModifyResource;
import org.eclipse.ditto.policies.model.signals.commands.query.RetrieveResource;

import java.util.Optional;

/**
 * Where a policy command's target lives in the policy JSON, and its "not found" error.
 *
 * <p>A resource key such as {@code thing:/} or {@code thing:/features/x} is ONE key of the
 * {@code resources} object, but Ditto's {@code getResourcePath()} renders it into a slash-separated
 * pointer ({@code /entries/L/resources/thing:/features/x}), which read back as a pointer addresses
 * nested objects that do not exist ({@code thing:} → {@code features} → {@code x}), and loses the
 * trailing slash of {@code thing:/}. Ditto 2.4's access-exception registry also maps
 * {@code RetrieveResource} to a cast that fails, so its "not found" is built here.
 */
final class PolicyJsonPaths {

    private PolicyJsonPaths() {
    }

    /** The pointer to the command's target inside the policy JSON, with a resource key as one JSON key. */
    static JsonPointer jsonPath(PolicyCommand<?> command) {
        return resourceOf(command)
                .map(target -> JsonPointer.empty().addLeaf(JsonKey.of("entries")).addLeaf(JsonKey.of(target.label()))
                        .addLeaf(JsonKey.of("resources")).addLeaf(JsonKey.of(target.key().toString())))
                .orElseGet(command::getResourcePath);
    }

    /** Ditto's error for a target the requester cannot see or that does not exist. */
    static DittoRuntimeException notAccessible(PolicyCommand<?> command) {
        return resourceOf(command)
                .<DittoRuntimeException>map(target -> ResourceNotAccessibleException.newBuilder(command.getEntityId(),
                        target.label(), target.key().toString()).dittoHeaders(command.getDittoHeaders()).build())
                .orElseGet(() -> PolicyCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command));
    }

    private record ResourceTarget(Label label, ResourceKey key) {
    }

    private static Optional<ResourceTarget> resourceOf(PolicyCommand<?> command) {
        if (command instanceof RetrieveResource retrieve) {
            return Optional.of(new ResourceTarget(retrieve.getLabel(), retrieve.getResourceKey()));
        }
        if (command instanceof ModifyResource modify) {
            return Optional.of(new ResourceTarget(modify.getLabel(), modify.getResource().getResourceKey()));
        }
        if (command instanceof DeleteResource delete) {
            return Optional.of(new ResourceTarget(delete.getLabel(), delete.getResourceKey()));
        }
        return Optional.empty();
    }
}
