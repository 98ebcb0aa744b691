package io.twinworks.localstack.ditto.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.Violation;
import io.twinworks.localstack.ditto.model.FeatureHistoryEntry;
import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyNotAccessibleException;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingTooLargeException;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToAccessExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToModifyExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConflictException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingIdNotExplicitlySettableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotCreatableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionFailedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionNotModifiedException;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThingResponse;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyThing;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingsResponse;
import org.eclipse.ditto.things.model.signals.commands.query.ThingQueryCommand;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies Ditto thing commands to the stored twins (blocking; called on the twin service's worker):
 * policy enforcement, conditional headers, the change itself, validation with Ditto's model,
 * WoT validation against the Thing Model the thing's {@code definition} names (when switched on),
 * revision bump, and the resulting response, store changes and event.
 *
 * <p>The commands address their resource with a JSON pointer into the thing's JSON
 * ({@code /features/x/properties/a}), so one code path serves every resource level; Ditto's
 * registries supply the resource-specific "not found" and "not modifiable" errors.
 */
final class ThingCommandProcessor {

    private static final JsonPointer FEATURES = JsonPointer.of("/features");
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private final TwinStore store;
    private final ParsedPolicies parsedPolicies;
    private final Clock clock;
    private final int maxThingBytes;
    private final ThingPayloadValidator wotValidator;
    private final ParsedThings parsedThings = new ParsedThings();

    /**
     * @param wotValidator validates things against the Thing Model their {@code definition} names
     *                     (Ditto 3.6+ WoT validation), or {@code null} when switched off
     */
    ThingCommandProcessor(TwinStore store, ParsedPolicies parsedPolicies, Clock clock, int maxThingBytes,
                          ThingPayloadValidator wotValidator) {
        this.store = store;
        this.parsedPolicies = parsedPolicies;
        this.clock = clock;
        this.maxThingBytes = maxThingBytes;
        this.wotValidator = wotValidator;
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
            return create(command, create.getThing(), create.getInitialPolicy(), create.getPolicyIdOrPlaceholder(),
                    stored);
        }
        if (command instanceof ModifyThing modify && existing == null) {
            return create(command, modify.getThing(), modify.getInitialPolicy(), modify.getPolicyIdOrPlaceholder(),
                    stored);
        }
        if (existing == null) {
            throw ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        StoredPolicy policy = livePolicy(existing)
                .orElseThrow(() -> ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build());
        Access access = parsedPolicies.access(policy, "thing", headers.getAuthorizationContext());
        if (!access.seesEntity()) {
            throw ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        if (command instanceof MergeThing) {
            // Ditto 2.x files MergeThing under the MODIFY category; its semantics are a merge patch
            return merge(command, existing, policy, access);
        }
        return switch (command.getCategory()) {
            case QUERY -> retrieve(command, stateToRead(command, existing), access);
            case MODIFY -> modify(command, existing, policy, access);
            case MERGE -> merge(command, existing, policy, access);
            case DELETE -> delete(command, existing, policy, access);
            default -> throw ThingCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
        };
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
            Optional<StoredPolicy> policy = livePolicy(thing.get());
            if (policy.isEmpty()) {
                continue;
            }
            Access access = parsedPolicies.access(policy.get(), "thing", headers.getAuthorizationContext());
            // a thing without a recorded state at that point is left out, as one that does not exist
            Optional<StoredThing> state = historical.isEmpty() ? thing : pastState(thing.get(), historical.get());
            if (access.seesEntity() && state.isPresent()) {
                visible.add(access.readableView(JsonPointer.empty(), selectFields(state.get(), fields)));
            }
        }
        JsonArray array = JsonFactory.newArrayBuilder(visible).build();
        return RetrieveThingsResponse.of(array, null, headers);
    }

    private CommandOutcome retrieve(ThingCommand<?> command, StoredThing thing, Access access) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        if (!access.canReadPartially(path)) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        Optional<JsonValue> current = valueAt(thing, path);
        if (current.isEmpty()) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        Optional<EntityTag> tag = entityTag(thing, path, current);
        ConditionalHeaders.check(headers, tag, true, THING_PRECONDITIONS);
        Optional<JsonFieldSelector> fields = command instanceof ThingQueryCommand<?> query
                ? query.getSelectedFields() : Optional.empty();
        JsonValue selected = path.isEmpty() ? selectFields(thing, fields)
                : fields.filter(f -> current.get().isObject()).<JsonValue>map(f -> current.get().asObject().get(f))
                .orElse(current.get());
        JsonValue view = access.readableView(path, selected);
        if (view == null) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        return CommandOutcome.readOnly(DittoSignals.thingResponse(thing.thingId(), Action.RETRIEVE, path, view,
                HttpStatus.OK, withEntityTag(headers, tag)));
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

    private CommandOutcome modify(ThingCommand<?> command, StoredThing thing, StoredPolicy policy, Access access) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        requireWrite(command, access.canWrite(path), access);
        requireParentFeature(command, thing, path);
        Optional<JsonValue> current = valueAt(thing, path);
        ConditionalHeaders.check(headers, entityTag(thing, path, current), false, THING_PRECONDITIONS);
        JsonValue entity = entityOf(command);
        JsonObject changed;
        if (path.isEmpty()) {
            JsonObject replacement = entity.asObject();
            requireSameThingId(thing.thingId(), replacement, headers);
            changed = replacement.setValue("thingId", thing.thingId().toString());
            if (!changed.contains("policyId")) {
                changed = changed.setValue("policyId", thing.json().getValue("policyId").orElse(JsonValue.nullLiteral()));
            }
            // the inline _policy of a PUT only applies when creating, as in Ditto
            changed = changed.remove("_policy").remove("_copyPolicyFrom");
        } else {
            changed = thing.json().setValue(path, entity);
        }
        StoredPolicy policyAfter = requireUsablePolicyChange(thing, changed, policy, headers);
        boolean created = current.isEmpty();
        return commitChange(command, Action.MODIFY, created, thing, changed, policyAfter, path,
                created ? HttpStatus.CREATED : HttpStatus.NO_CONTENT, created ? entity : null, entity);
    }

    private CommandOutcome merge(ThingCommand<?> command, StoredThing thing, StoredPolicy policy, Access access) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        JsonValue patch = entityOf(command);
        // a merge of the whole thing carries the thing's own ID, which changes nothing and needs no grant
        JsonValue enforcedPatch = path.isEmpty() && patch.isObject()
                && patch.asObject().getValue("thingId").equals(Optional.of(JsonValue.of(thing.thingId().toString())))
                ? patch.asObject().remove("thingId") : patch;
        requireWrite(command, access.canWriteMergePatch(path, enforcedPatch), access);
        ConditionalHeaders.check(headers, entityTag(thing, path, valueAt(thing, path)), false, THING_PRECONDITIONS);
        JsonValue merged = JsonMergePatch.of(path, patch).applyOn(thing.json());
        if (!merged.isObject()) {
            throw ThingNotModifiableException.newBuilder(thing.thingId())
                    .message("A merge patch must leave the Thing a JSON object.").dittoHeaders(headers).build();
        }
        JsonObject changed = merged.asObject();
        if (!changed.getValue("thingId").map(JsonValue::asString).orElse("").equals(thing.thingId().toString())) {
            throw ThingIdNotExplicitlySettableException.forPutOrPatchMethod().dittoHeaders(headers).build();
        }
        StoredPolicy policyAfter = requireUsablePolicyChange(thing, changed, policy, headers);
        return commitChange(command, Action.MERGE, false, thing, changed, policyAfter, path, HttpStatus.NO_CONTENT,
                null, patch);
    }

    private CommandOutcome delete(ThingCommand<?> command, StoredThing thing, StoredPolicy policy, Access access) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        requireWrite(command, access.canWrite(path), access);
        Optional<JsonValue> current = valueAt(thing, path);
        if (current.isEmpty()) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        ConditionalHeaders.check(headers, entityTag(thing, path, current), false, THING_PRECONDITIONS);
        Instant now = clock.instant();
        long revision = thing.revision() + 1;
        if (path.isEmpty()) {
            StoredThing tombstone = new StoredThing(thing.thingId(), thing.json(), revision, thing.created(), now, true);
            CommandResponse<?> response = DittoSignals.thingResponse(thing.thingId(), Action.DELETE, path, null,
                    HttpStatus.NO_CONTENT, headers);
            TwinChange change = parsedPolicies.change(DittoSignals.thingEvent(thing.thingId(), Action.DELETE, false, path,
                    null, revision, now, headers), policy, null);
            return new CommandOutcome(response, List.of(new StoreChange.PutThing(tombstone)), List.of(change));
        }
        JsonObject changed = thing.json().remove(path.toString());
        return commitChange(command, Action.DELETE, false, thing, changed, policy, path, HttpStatus.NO_CONTENT,
                null, null);
    }

    private CommandOutcome create(ThingCommand<?> command, Thing requested, Optional<JsonObject> inlinePolicy,
                                  Optional<String> copyPolicyFrom, Optional<StoredThing> tombstone) {
        DittoHeaders headers = command.getDittoHeaders();
        ThingId thingId = command.getEntityId();
        JsonObject body = requested.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial())
                .remove("_revision").remove("_created").remove("_modified").remove("_namespace")
                .remove("_metadata").remove("_policy").remove("_copyPolicyFrom");
        requireSameThingId(thingId, body, headers);
        // a create has no current entity: If-Match fails, If-None-Match: * passes
        ConditionalHeaders.check(headers, Optional.empty(), false, THING_PRECONDITIONS);
        AuthorizationContext subject = headers.getAuthorizationContext();
        Instant now = clock.instant();
        List<StoreChange> changes = new ArrayList<>();
        StoredPolicy policy;
        Optional<PolicyId> requestedPolicyId = requested.getPolicyEntityId();
        if (inlinePolicy.isPresent() || copyPolicyFrom.isPresent() || requestedPolicyId.isEmpty()) {
            PolicyId newPolicyId = requestedPolicyId.orElseGet(() -> PolicyId.of(thingId));
            Optional<StoredPolicy> previous = store.findPolicy(newPolicyId);
            if (previous.filter(p -> !p.deleted()).isPresent()) {
                throw ThingNotCreatableException.newBuilderForPolicyExisting(thingId, newPolicyId)
                        .dittoHeaders(headers).build();
            }
            JsonObject policyJson = inlinePolicy
                    .or(() -> copyPolicyFrom.map(source -> copiedPolicy(source, subject, headers)))
                    .orElseGet(() -> defaultPolicy(subject))
                    .setValue("policyId", newPolicyId.toString());
            Policy parsed = PoliciesModelFactory.newPolicy(policyJson);
            if (!Access.somebodyCanWritePolicy(parsed)) {
                throw ThingNotCreatableException.fromMessage("The Thing's initial Policy grants nobody WRITE on 'policy:/'.",
                        "Add an entry granting WRITE on 'policy:/' to at least one subject.", headers);
            }
            policy = new StoredPolicy(newPolicyId, parsed.toJson(), previous.map(StoredPolicy::revision).orElse(0L) + 1,
                    now, now, false);
            changes.add(new StoreChange.PutPolicy(policy));
        } else {
            policy = store.findPolicy(requestedPolicyId.get()).filter(p -> !p.deleted())
                    .orElseThrow(() -> ThingNotCreatableException.newBuilderForPolicyMissing(thingId,
                            requestedPolicyId.get()).dittoHeaders(headers).build());
            Access access = parsedPolicies.access(policy, "thing", subject);
            if (!access.canWrite(JsonPointer.empty())) {
                throw ThingNotModifiableException.newBuilder(thingId).dittoHeaders(headers).build();
            }
        }
        JsonObject json = body.setValue("thingId", thingId.toString()).setValue("policyId", policy.policyId().toString());
        long revision = tombstone.map(StoredThing::revision).orElse(0L) + 1;
        StoredThing created = new StoredThing(thingId, json, revision, now, now, false);
        Thing createdThing = validate(null, created, headers, JsonPointer.empty());
        changes.add(new StoreChange.PutThing(created));
        changes.addAll(featureHistory(JsonObject.empty(), json, thingId, revision, now));
        DittoHeaders responseHeaders = withEntityTag(headers, EntityTag.fromEntity(createdThing));
        CommandResponse<?> response = DittoSignals.thingResponse(thingId, Action.CREATE, JsonPointer.empty(), json,
                HttpStatus.CREATED, responseHeaders);
        TwinChange change = parsedPolicies.change(DittoSignals.thingEvent(thingId, Action.CREATE, true, JsonPointer.empty(),
                json, revision, now, headers), policy, createdThing);
        return new CommandOutcome(response, changes, List.of(change));
    }

    private JsonObject copiedPolicy(String source, AuthorizationContext subject, DittoHeaders headers) {
        PolicyId sourceId = PolicyId.of(source);
        StoredPolicy copied = store.findPolicy(sourceId).filter(p -> !p.deleted())
                .orElseThrow(() -> PolicyNotAccessibleException.newBuilder(sourceId).dittoHeaders(headers).build());
        if (!parsedPolicies.access(copied, "policy", subject).canReadAll(JsonPointer.empty())) {
            throw PolicyNotAccessibleException.newBuilder(sourceId).dittoHeaders(headers).build();
        }
        return copied.json();
    }

    /**
     * Ditto's default policy for a thing created without one: the creating subjects get READ and
     * WRITE on the thing, the policy and the thing's messages.
     */
    static JsonObject defaultPolicy(AuthorizationContext subject) {
        JsonObject grantAll = JsonFactory.newObjectBuilder()
                .set("grant", JsonFactory.newArrayBuilder().add("READ", "WRITE").build())
                .set("revoke", JsonFactory.newArray())
                .build();
        var subjects = JsonFactory.newObjectBuilder();
        for (AuthorizationSubject authorizationSubject : subject.getAuthorizationSubjects()) {
            subjects.set(JsonFactory.newKey(authorizationSubject.getId()),
                    JsonFactory.newObjectBuilder().set("type", "generated").build());
        }
        JsonObject entry = JsonFactory.newObjectBuilder()
                .set("subjects", subjects.build())
                .set("resources", JsonFactory.newObjectBuilder()
                        .set(JsonFactory.newKey("thing:/"), grantAll)
                        .set(JsonFactory.newKey("policy:/"), grantAll)
                        .set(JsonFactory.newKey("message:/"), grantAll)
                        .build())
                .build();
        return JsonFactory.newObjectBuilder()
                .set("entries", JsonFactory.newObjectBuilder().set("DEFAULT", entry).build())
                .build();
    }

    private CommandOutcome commitChange(ThingCommand<?> command, Action action, boolean created, StoredThing thing,
                                        JsonObject changed, StoredPolicy policy, JsonPointer path, HttpStatus status,
                                        JsonValue responseValue, JsonValue eventValue) {
        DittoHeaders headers = command.getDittoHeaders();
        Instant now = clock.instant();
        long revision = thing.revision() + 1;
        StoredThing after = new StoredThing(thing.thingId(), changed, revision, thing.created(), now, false);
        Thing afterThing = validate(thing, after, headers, path);
        List<StoreChange> changes = new ArrayList<>();
        changes.add(new StoreChange.PutThing(after));
        changes.addAll(featureHistory(thing.json(), changed, thing.thingId(), revision, now));
        Optional<EntityTag> tag = path.isEmpty() ? EntityTag.fromEntity(afterThing) : valueAt(after, path).flatMap(EntityTag::fromEntity);
        DittoHeaders responseHeaders = withEntityTag(headers, tag);
        CommandResponse<?> response;
        ThingEvent<?> event;
        if (action == Action.MERGE) {
            // the protocol adapter resolves merged events by path to the modify-style event types; Ditto emits ThingMerged
            response = MergeThingResponse.of(thing.thingId(), path, responseHeaders);
            event = ThingMerged.of(thing.thingId(), path, eventValue, revision, now, headers, null);
        } else {
            response = DittoSignals.thingResponse(thing.thingId(), action, path, responseValue, status, responseHeaders);
            event = DittoSignals.thingEvent(thing.thingId(), action, created, path, eventValue, revision, now, headers);
        }
        TwinChange change = parsedPolicies.change(event, policy, afterThing);
        return new CommandOutcome(response, changes, List.of(change));
    }

    /** One history entry for every feature whose JSON changed. */
    private static List<StoreChange> featureHistory(JsonObject before, JsonObject after, ThingId thingId,
                                                    long revision, Instant now) {
        JsonObject featuresBefore = before.getValue(FEATURES).filter(JsonValue::isObject).map(JsonValue::asObject)
                .orElse(JsonObject.empty());
        JsonObject featuresAfter = after.getValue(FEATURES).filter(JsonValue::isObject).map(JsonValue::asObject)
                .orElse(JsonObject.empty());
        Set<String> featureIds = new TreeSet<>();
        featuresAfter.getKeys().forEach(key -> featureIds.add(key.toString()));
        List<StoreChange> changes = new ArrayList<>();
        for (String featureId : featureIds) {
            Optional<JsonValue> feature = featuresAfter.getValue(JsonFactory.newKey(featureId));
            if (feature.isPresent() && !feature.equals(featuresBefore.getValue(JsonFactory.newKey(featureId)))) {
                JsonObject properties = feature.get().isObject()
                        ? feature.get().asObject().getValue("properties").filter(JsonValue::isObject)
                        .map(JsonValue::asObject).orElse(JsonObject.empty())
                        : JsonObject.empty();
                changes.add(new StoreChange.AppendFeatureHistory(
                        new FeatureHistoryEntry(thingId, featureId, revision, now, properties)));
            }
        }
        return changes;
    }

    private Optional<StoredPolicy> livePolicy(StoredThing thing) {
        return thing.json().getValue("policyId").filter(JsonValue::isString)
                .map(id -> PolicyId.of(id.asString()))
                .flatMap(store::findPolicy)
                .filter(policy -> !policy.deleted());
    }

    /** A changed policyId must name an existing policy under which the subject may write the thing. */
    private StoredPolicy requireUsablePolicyChange(StoredThing thing, JsonObject changed, StoredPolicy current,
                                                   DittoHeaders headers) {
        Optional<JsonValue> newPolicyId = changed.getValue("policyId");
        if (newPolicyId.equals(thing.json().getValue("policyId"))) {
            return current;
        }
        if (newPolicyId.isEmpty() || !newPolicyId.get().isString()) {
            throw ThingNotModifiableException.newBuilder(thing.thingId())
                    .message("A Thing must keep a policyId.").dittoHeaders(headers).build();
        }
        PolicyId policyId = PolicyId.of(newPolicyId.get().asString());
        StoredPolicy policy = store.findPolicy(policyId).filter(p -> !p.deleted())
                .orElseThrow(() -> PolicyNotAccessibleException.newBuilder(policyId).dittoHeaders(headers).build());
        if (!parsedPolicies.access(policy, "thing", headers.getAuthorizationContext()).canWrite(JsonPointer.empty())) {
            throw PolicyNotAccessibleException.newBuilder(policyId).dittoHeaders(headers).build();
        }
        return policy;
    }

    private static void requireWrite(ThingCommand<?> command, boolean allowed, Access access) {
        if (!allowed) {
            throw access.seesEntity()
                    ? ThingCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command)
                    : ThingNotAccessibleException.newBuilder(command.getEntityId())
                    .dittoHeaders(command.getDittoHeaders()).build();
        }
    }

    /** Below {@code /features/<id>/...} the feature itself must exist (Ditto answers 404 for the feature). */
    private static void requireParentFeature(ThingCommand<?> command, StoredThing thing, JsonPointer path) {
        if (path.getLevelCount() > 2 && path.get(0).map(Object::toString).orElse("").equals("features")) {
            String featureId = path.get(1).orElseThrow().toString();
            if (thing.json().getValue(FEATURES.addLeaf(JsonFactory.newKey(featureId))).isEmpty()) {
                throw FeatureNotAccessibleException.newBuilder(thing.thingId(), featureId)
                        .dittoHeaders(command.getDittoHeaders()).build();
            }
        }
    }

    private static void requireSameThingId(ThingId thingId, JsonObject body, DittoHeaders headers) {
        Optional<JsonValue> bodyId = body.getValue("thingId");
        if (bodyId.isPresent() && !(bodyId.get().isString() && bodyId.get().asString().equals(thingId.toString()))) {
            throw ThingIdNotExplicitlySettableException.forPutMethod().dittoHeaders(headers).build();
        }
    }

    /**
     * Checks a thing about to be stored — Ditto's model (parsing it is the check), the size limit and,
     * when it names a Thing Model, WoT validation — and returns it as Ditto's model, parsed once for
     * the response's entity tag and the published change.
     *
     * <p>A change below {@code /features/<id>} is WoT-validated for that feature only, as Ditto 3.8
     * validates a merge (the changed part): nothing else of the thing changed, so the rest is as valid as
     * it was when it was stored. Every other change (the thing, its attributes, its definition, several
     * features at once) validates the whole thing.
     *
     * @param before      the thing before the change ({@code null} for a new thing)
     * @param changedPath where the command changed the thing (empty: the whole thing, or a new thing)
     */
    private Thing validate(StoredThing before, StoredThing candidate, DittoHeaders headers, JsonPointer changedPath) {
        Thing thing = parsedThings.after(before, candidate, changedPath);
        String text = candidate.json().toString();
        long size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxThingBytes) {
            throw ThingTooLargeException.newBuilder(size, maxThingBytes).dittoHeaders(headers).build();
        }
        Optional<String> definition = wotValidator == null ? Optional.empty()
                : candidate.json().getValue("definition").filter(JsonValue::isString).map(JsonValue::asString);
        if (definition.isPresent()) {
            Optional<String> changedFeature = featureOf(changedPath);
            List<Violation> violations = changedFeature.isPresent()
                    ? wotValidator.validateFeature(definition.get(), changedFeature.get(),
                    candidate.json().getValue(FEATURES.addLeaf(JsonFactory.newKey(changedFeature.get())))
                            .map(feature -> jackson(feature.toString()))
                            .orElse(MissingNode.getInstance()))
                    : wotValidator.validate(jackson(text));
            if (!violations.isEmpty()) {
                throw WotPayloadValidationException.of(violations, headers);
            }
        }
        return thing;
    }

    /** The feature a path lies in ({@code /features/<id>} or below), or empty for any other path. */
    private static Optional<String> featureOf(JsonPointer path) {
        return path.getLevelCount() >= 2 && path.get(0).map(Object::toString).orElse("").equals("features")
                ? path.get(1).map(Object::toString) : Optional.empty();
    }

    private static JsonNode jackson(String json) {
        try {
            return JACKSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Ditto's own JSON always parses; reaching this is a bug, not bad input
            throw new IllegalStateException("thing JSON does not parse: " + e.getMessage(), e);
        }
    }

    private static JsonValue entityOf(ThingCommand<?> command) {
        if (command instanceof WithOptionalEntity withEntity) {
            Optional<JsonValue> entity = withEntity.getEntity(JsonSchemaVersion.V_2);
            if (entity.isPresent()) {
                return entity.get();
            }
        }
        throw ThingCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
    }

    private static Optional<JsonValue> valueAt(StoredThing thing, JsonPointer path) {
        return path.isEmpty() ? Optional.of(thing.json()) : thing.json().getValue(path);
    }

    /** Ditto's entity tags: {@code "rev:N"} for the thing, a hash of the value for a sub-resource. */
    private static Optional<EntityTag> entityTag(StoredThing thing, JsonPointer path, Optional<JsonValue> value) {
        if (path.isEmpty()) {
            return EntityTag.fromEntity(thing.toThing());
        }
        return value.flatMap(EntityTag::fromEntity);
    }

    private static DittoHeaders withEntityTag(DittoHeaders headers, Optional<EntityTag> tag) {
        return tag.<DittoHeaders>map(t -> headers.toBuilder().eTag(t).build()).orElse(headers);
    }

    /** The thing's JSON reduced to the selected fields; special fields ({@code _revision}, ...) only on request. */
    private static JsonObject selectFields(StoredThing thing, Optional<JsonFieldSelector> fields) {
        if (fields.isEmpty()) {
            return thing.json();
        }
        JsonObject all = thing.toThing().toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial());
        return all.get(fields.get());
    }

    private static final ConditionalHeaders.Failures THING_PRECONDITIONS = new ConditionalHeaders.Failures() {
        @Override
        public DittoRuntimeException preconditionFailed(String header, String expected, String actual,
                                                        DittoHeaders headers) {
            return ThingPreconditionFailedException.newBuilder(header, expected, actual).dittoHeaders(headers).build();
        }

        @Override
        public DittoRuntimeException notModified(String expectedNotToMatch, String matched, DittoHeaders headers) {
            return ThingPreconditionNotModifiedException.newBuilder(expectedNotToMatch, matched)
                    .dittoHeaders(headers).build();
        }
    };
}
