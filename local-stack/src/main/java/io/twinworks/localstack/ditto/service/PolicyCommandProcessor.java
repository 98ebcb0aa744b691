package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.PolicyTooLargeException;
import org.eclipse.ditto.policies.model.signals.commands.PolicyCommand;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyCommandToModifyExceptionRegistry;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyConflictException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyModificationInvalidException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyNotAccessibleException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyPreconditionFailedException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyPreconditionNotModifiedException;
import org.eclipse.ditto.policies.model.signals.commands.modify.CreatePolicy;
import org.eclipse.ditto.policies.model.signals.commands.modify.ModifyPolicy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Applies Ditto policy commands (blocking; called on the twin service's worker), enforcing the
 * policy on itself ({@code policy:/...} resources) as Ditto does, and refusing any change that
 * would leave nobody with WRITE on {@code policy:/}.
 */
final class PolicyCommandProcessor {

    private final TwinStore store;
    private final ParsedPolicies parsedPolicies;
    private final Clock clock;
    private final int maxPolicyBytes;

    PolicyCommandProcessor(TwinStore store, ParsedPolicies parsedPolicies, Clock clock, int maxPolicyBytes) {
        this.store = store;
        this.parsedPolicies = parsedPolicies;
        this.clock = clock;
        this.maxPolicyBytes = maxPolicyBytes;
    }

    CommandOutcome process(PolicyCommand<?> command) {
        PolicyId policyId = command.getEntityId();
        DittoHeaders headers = command.getDittoHeaders();
        Optional<StoredPolicy> stored = store.findPolicy(policyId);
        StoredPolicy existing = stored.filter(p -> !p.deleted()).orElse(null);
        if (command instanceof CreatePolicy create) {
            if (existing != null) {
                throw PolicyConflictException.newBuilder(policyId).dittoHeaders(headers).build();
            }
            return create(command, create.getPolicy().toJson(), stored);
        }
        if (command instanceof ModifyPolicy modify && existing == null) {
            return create(command, modify.getPolicy().toJson(), stored);
        }
        if (existing == null) {
            throw PolicyNotAccessibleException.newBuilder(policyId).dittoHeaders(headers).build();
        }
        Access access = parsedPolicies.access(existing, "policy", headers.getAuthorizationContext());
        if (!access.seesEntity()) {
            throw PolicyNotAccessibleException.newBuilder(policyId).dittoHeaders(headers).build();
        }
        JsonPointer path = command.getResourcePath();
        JsonPointer jsonPath = PolicyJsonPaths.jsonPath(command);
        Optional<JsonValue> current = path.isEmpty() ? Optional.of(existing.json()) : existing.json().getValue(jsonPath);
        Optional<EntityTag> tag = path.isEmpty() ? EntityTag.fromEntity(existing.toPolicy())
                : current.flatMap(EntityTag::fromEntity);
        switch (command.getCategory()) {
            case QUERY -> {
                if (!access.canReadPartially(path) || current.isEmpty()) {
                    throw PolicyJsonPaths.notAccessible(command);
                }
                ConditionalHeaders.check(headers, () -> tag, true, POLICY_PRECONDITIONS);
                JsonValue view = access.readableView(path, current.get());
                if (view == null) {
                    throw PolicyJsonPaths.notAccessible(command);
                }
                return CommandOutcome.readOnly(DittoSignals.policyResponse(policyId, Action.RETRIEVE, path, view,
                        HttpStatus.OK, withEntityTag(headers, tag)));
            }
            case MODIFY -> {
                requireWrite(command, access.canWrite(path));
                ConditionalHeaders.check(headers, () -> tag, false, POLICY_PRECONDITIONS);
                JsonValue entity = entityOf(command);
                JsonObject changed = path.isEmpty()
                        ? entity.asObject().setValue("policyId", policyId.toString())
                        : existing.json().setValue(jsonPath, entity);
                boolean created = current.isEmpty();
                return commit(command, existing, changed, created ? Action.CREATE : Action.MODIFY, path, jsonPath,
                        created ? HttpStatus.CREATED : HttpStatus.NO_CONTENT, created ? entity : null);
            }
            case DELETE -> {
                requireWrite(command, access.canWrite(path));
                if (current.isEmpty()) {
                    throw PolicyJsonPaths.notAccessible(command);
                }
                ConditionalHeaders.check(headers, () -> tag, false, POLICY_PRECONDITIONS);
                if (path.isEmpty()) {
                    Instant now = clock.instant();
                    StoredPolicy tombstone = new StoredPolicy(policyId, existing.json(), existing.revision() + 1,
                            existing.created(), now, true);
                    return new CommandOutcome(DittoSignals.policyResponse(policyId, Action.DELETE, path, null,
                            HttpStatus.NO_CONTENT, headers), List.of(new StoreChange.PutPolicy(tombstone)), List.of());
                }
                return commit(command, existing, existing.json().remove(jsonPath), Action.DELETE, path, jsonPath,
                        HttpStatus.NO_CONTENT, null);
            }
            default -> throw PolicyCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
        }
    }

    private CommandOutcome create(PolicyCommand<?> command, JsonObject requested, Optional<StoredPolicy> tombstone) {
        DittoHeaders headers = command.getDittoHeaders();
        ConditionalHeaders.check(headers, Optional::empty, false, POLICY_PRECONDITIONS);
        PolicyId policyId = command.getEntityId();
        JsonObject json = requested.remove("_revision").remove("_created").remove("_modified").remove("_namespace")
                .setValue("policyId", policyId.toString());
        Policy policy = validate(policyId, json, headers);
        Instant now = clock.instant();
        StoredPolicy created = new StoredPolicy(policyId, policy.toJson(),
                tombstone.map(StoredPolicy::revision).orElse(0L) + 1, now, now, false);
        return new CommandOutcome(DittoSignals.policyResponse(policyId, Action.CREATE, JsonPointer.empty(),
                created.json(), HttpStatus.CREATED, withEntityTag(headers, EntityTag.fromEntity(created.toPolicy()))),
                List.of(new StoreChange.PutPolicy(created)), List.of());
    }

    /** @param path the command's resource path (for the response); jsonPath where it lives in the policy JSON */
    private CommandOutcome commit(PolicyCommand<?> command, StoredPolicy existing, JsonObject changed, Action action,
                                  JsonPointer path, JsonPointer jsonPath, HttpStatus status, JsonValue responseValue) {
        DittoHeaders headers = command.getDittoHeaders();
        Policy policy = validate(existing.policyId(), changed, headers);
        Instant now = clock.instant();
        StoredPolicy after = new StoredPolicy(existing.policyId(), policy.toJson(), existing.revision() + 1,
                existing.created(), now, false);
        Optional<EntityTag> tag = path.isEmpty() ? EntityTag.fromEntity(after.toPolicy())
                : after.json().getValue(jsonPath).flatMap(EntityTag::fromEntity);
        // Ditto answers a created sub-resource with "create"-less topics: the response type follows the command
        Action responseAction = action == Action.CREATE ? Action.MODIFY : action;
        return new CommandOutcome(DittoSignals.policyResponse(existing.policyId(), responseAction, path, responseValue,
                status, withEntityTag(headers, tag)), List.of(new StoreChange.PutPolicy(after)), List.of());
    }

    private Policy validate(PolicyId policyId, JsonObject json, DittoHeaders headers) {
        Policy policy = PoliciesModelFactory.newPolicy(json);
        if (!Access.somebodyCanWritePolicy(policy)) {
            throw PolicyModificationInvalidException.newBuilder(policyId)
                    .description("It must contain at least one Subject with permission 'WRITE' on resource 'policy:/'.")
                    .dittoHeaders(headers).build();
        }
        long size = json.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxPolicyBytes) {
            throw PolicyTooLargeException.newBuilder(size, maxPolicyBytes).dittoHeaders(headers).build();
        }
        return policy;
    }

    private static void requireWrite(PolicyCommand<?> command, boolean allowed) {
        if (!allowed) {
            throw PolicyCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
        }
    }

    private static JsonValue entityOf(PolicyCommand<?> command) {
        if (command instanceof WithOptionalEntity withEntity) {
            Optional<JsonValue> entity = withEntity.getEntity(JsonSchemaVersion.V_2);
            if (entity.isPresent()) {
                return entity.get();
            }
        }
        throw PolicyCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
    }

    private static DittoHeaders withEntityTag(DittoHeaders headers, Optional<EntityTag> tag) {
        return tag.<DittoHeaders>map(t -> headers.toBuilder().eTag(t).build()).orElse(headers);
    }

    private static final ConditionalHeaders.Failures POLICY_PRECONDITIONS = new ConditionalHeaders.Failures() {
        @Override
        public DittoRuntimeException preconditionFailed(String header, String expected, String actual,
                                                        DittoHeaders headers) {
            return PolicyPreconditionFailedException.newBuilder(header, expected, actual).dittoHeaders(headers).build();
        }

        @Override
        public DittoRuntimeException notModified(String expectedNotToMatch, String matched, DittoHeaders headers) {
            return PolicyPreconditionNotModifiedException.newBuilder(expectedNotToMatch, matched)
                    .dittoHeaders(headers).build();
        }
    };
}
