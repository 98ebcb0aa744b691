package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToModifyExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingIdNotExplicitlySettableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionFailedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionNotModifiedException;

import java.util.Optional;

/**
 * A thing's resources as the thing command strategies address them: a JSON pointer into the thing's JSON
 * ({@code /features/x/properties/a}), so one code path serves every resource level; their entity tags, the
 * conditional-header failures of things, and the checks every strategy shares.
 */
final class ThingResources {

    static final JsonPointer FEATURES = JsonPointer.of("/features");

    /** Ditto's 412/304 for thing resources. */
    static final ConditionalHeaders.Failures PRECONDITIONS = new ConditionalHeaders.Failures() {
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

    private ThingResources() {
    }

    /** The thing's value at the path; a feature's part is read from the feature alone (the whole thing is not built). */
    static Optional<JsonValue> valueAt(StoredThing thing, JsonPointer path) {
        if (path.isEmpty()) {
            return Optional.of(thing.json());
        }
        Optional<String> featureId = featureOf(path);
        if (featureId.isPresent() && thing.document().hasFeatureParts()) {
            Optional<JsonValue> feature = thing.document().feature(featureId.get());
            return path.getLevelCount() == 2 || feature.isEmpty() ? feature
                    : feature.filter(JsonValue::isObject).flatMap(f -> f.asObject().getValue(path.getSubPointer(2).orElseThrow()));
        }
        return thing.json().getValue(path);
    }

    /** Ditto's entity tags: {@code "rev:N"} for the thing, a hash of the value for a sub-resource. */
    static Optional<EntityTag> entityTag(StoredThing thing, JsonPointer path, Optional<JsonValue> value) {
        if (path.isEmpty()) {
            return EntityTag.fromEntity(thing.toThing());
        }
        return value.flatMap(EntityTag::fromEntity);
    }

    static DittoHeaders withEntityTag(DittoHeaders headers, Optional<EntityTag> tag) {
        return tag.<DittoHeaders>map(t -> headers.toBuilder().eTag(t).build()).orElse(headers);
    }

    /** The thing's JSON reduced to the selected fields; special fields ({@code _revision}, ...) only on request. */
    static JsonObject selectFields(StoredThing thing, Optional<JsonFieldSelector> fields) {
        if (fields.isEmpty()) {
            return thing.json();
        }
        JsonObject all = thing.toThing().toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial());
        return all.get(fields.get());
    }

    /** The feature a path lies in ({@code /features/<id>} or below), or empty for any other path. */
    static Optional<String> featureOf(JsonPointer path) {
        return path.getLevelCount() >= 2 && path.get(0).map(Object::toString).orElse("").equals("features")
                ? path.get(1).map(Object::toString) : Optional.empty();
    }

    /** The command's entity; a modifying command without one is refused as Ditto refuses it. */
    static JsonValue entityOf(ThingCommand<?> command) {
        if (command instanceof WithOptionalEntity withEntity) {
            Optional<JsonValue> entity = withEntity.getEntity(JsonSchemaVersion.V_2);
            if (entity.isPresent()) {
                return entity.get();
            }
        }
        throw ThingCommandToModifyExceptionRegistry.getInstance().exceptionFrom(command);
    }

    /** A body may repeat the thing's ID but not name another one. */
    static void requireSameThingId(ThingId thingId, JsonObject body, DittoHeaders headers) {
        Optional<JsonValue> bodyId = body.getValue("thingId");
        if (bodyId.isPresent() && !(bodyId.get().isString() && bodyId.get().asString().equals(thingId.toString()))) {
            throw ThingIdNotExplicitlySettableException.forPutMethod().dittoHeaders(headers).build();
        }
    }
}
