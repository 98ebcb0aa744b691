package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.model.ThingJson;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import io.twinworks.localstack.ditto.service.ThingEnforcement.Enforced;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToAccessExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingIdNotExplicitlySettableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotModifiableException;

import java.util.Optional;

/**
 * The strategies of commands that change an existing thing — modify (PUT), merge (PATCH) and delete — at any
 * resource level: each checks the write against the enforced policy and the conditional headers, computes the
 * thing after the change and hands it to {@link ThingEvents}.
 */
final class ThingModifyStrategies {

    /** A pointer, not a key: Ditto turns a key into a new pointer at every lookup. */
    private static final JsonPointer THING_ID = JsonPointer.of("/thingId");

    private final ThingEnforcement enforcement;
    private final ThingEvents events;

    ThingModifyStrategies(ThingEnforcement enforcement, ThingEvents events) {
        this.enforcement = enforcement;
        this.events = events;
    }

    CommandOutcome modify(ThingCommand<?> command, StoredThing thing, Enforced enforced) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        ThingEnforcement.requireWrite(command, enforced.access().canWrite(path), enforced.access());
        requireParentFeature(command, thing, path);
        Optional<JsonValue> current = ThingResources.valueAt(thing, path);
        ConditionalHeaders.check(headers, () -> ThingResources.entityTag(thing, path, current), false,
                ThingResources.PRECONDITIONS);
        JsonValue entity = ThingResources.entityOf(command);
        JsonObject changed;
        if (path.isEmpty()) {
            JsonObject replacement = entity.asObject();
            ThingResources.requireSameThingId(thing.thingId(), replacement, headers);
            changed = replacement.setValue("thingId", thing.thingId().toString());
            if (!changed.contains("policyId")) {
                changed = changed.setValue("policyId", thing.json().getValue("policyId").orElse(JsonValue.nullLiteral()));
            }
            // the inline _policy of a PUT only applies when creating, as in Ditto
            changed = changed.remove("_policy").remove("_copyPolicyFrom");
        } else {
            changed = thing.json().setValue(path, entity);
        }
        ThingJson changedParts = ThingJson.of(changed);
        StoredPolicy policyAfter = enforcement.requireUsablePolicyChange(thing, changedParts, enforced.policy(), headers);
        boolean created = current.isEmpty();
        return events.changed(Action.MODIFY, created, thing, changedParts, policyAfter, path,
                created ? HttpStatus.CREATED : HttpStatus.NO_CONTENT, created ? entity : null, entity, headers);
    }

    CommandOutcome merge(ThingCommand<?> command, StoredThing thing, Enforced enforced) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        JsonValue patch = ThingResources.entityOf(command);
        // a merge of the whole thing carries the thing's own ID, which changes nothing and needs no grant
        JsonValue enforcedPatch = path.isEmpty() && patch.isObject()
                && patch.asObject().getValue(THING_ID).equals(Optional.of(JsonValue.of(thing.thingId().toString())))
                ? patch.asObject().remove(THING_ID) : patch;
        ThingEnforcement.requireWrite(command, enforced.access().canWriteMergePatch(path, enforcedPatch),
                enforced.access());
        ConditionalHeaders.check(headers,
                () -> ThingResources.entityTag(thing, path, ThingResources.valueAt(thing, path)),
                false, ThingResources.PRECONDITIONS);
        ThingJson changed = ThingMergePatches.applyAt(thing.document(), path, patch).orElseThrow(() ->
                ThingNotModifiableException.newBuilder(thing.thingId())
                        .message("A merge patch must leave the Thing a JSON object.").dittoHeaders(headers).build());
        if (!changed.topLevel("thingId").filter(JsonValue::isString).map(JsonValue::asString).orElse("")
                .equals(thing.thingId().toString())) {
            throw ThingIdNotExplicitlySettableException.forPutOrPatchMethod().dittoHeaders(headers).build();
        }
        StoredPolicy policyAfter = enforcement.requireUsablePolicyChange(thing, changed, enforced.policy(), headers);
        return events.changed(Action.MERGE, false, thing, changed, policyAfter, path, HttpStatus.NO_CONTENT,
                null, patch, headers);
    }

    CommandOutcome delete(ThingCommand<?> command, StoredThing thing, Enforced enforced) {
        DittoHeaders headers = command.getDittoHeaders();
        JsonPointer path = command.getResourcePath();
        ThingEnforcement.requireWrite(command, enforced.access().canWrite(path), enforced.access());
        Optional<JsonValue> current = ThingResources.valueAt(thing, path);
        if (current.isEmpty()) {
            throw ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command);
        }
        ConditionalHeaders.check(headers, () -> ThingResources.entityTag(thing, path, current), false,
                ThingResources.PRECONDITIONS);
        if (path.isEmpty()) {
            return events.deleted(thing, enforced.policy(), headers);
        }
        JsonObject changed = thing.json().remove(path.toString());
        return events.changed(Action.DELETE, false, thing, ThingJson.of(changed), enforced.policy(), path, HttpStatus.NO_CONTENT,
                null, null, headers);
    }

    /** Below {@code /features/<id>/...} the feature itself must exist (Ditto answers 404 for the feature). */
    private static void requireParentFeature(ThingCommand<?> command, StoredThing thing, JsonPointer path) {
        if (path.getLevelCount() > 2 && path.get(0).map(Object::toString).orElse("").equals("features")) {
            String featureId = path.get(1).orElseThrow().toString();
            if (thing.json().getValue(ThingResources.FEATURES.addLeaf(JsonFactory.newKey(featureId))).isEmpty()) {
                throw FeatureNotAccessibleException.newBuilder(thing.thingId(), featureId)
                        .dittoHeaders(command.getDittoHeaders()).build();
            }
        }
    }
}
