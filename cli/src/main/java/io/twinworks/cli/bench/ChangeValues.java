package io.twinworks.cli.bench;

import org.eclipse.ditto.client.changes.ThingChange;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;

import java.util.Optional;

/** Reading a value of the changed thing out of a twin change as ditto-client delivers it. */
final class ChangeValues {

    private ChangeValues() {
    }

    /**
     * The value the change carries at {@code pointer} of the thing, or empty. For a thing-level
     * registration ditto-client hands a merge over as a partial thing from the root; otherwise the
     * value sits at the change's path, and only a change at or above {@code pointer} carries it.
     */
    static Optional<JsonValue> at(ThingChange change, JsonPointer pointer) {
        return change.getThing()
                .flatMap(thing -> thing.toJson().getValue(pointer))
                .or(() -> change.getValue().flatMap(value -> below(change.getPath(), value, pointer)));
    }

    /** The part of {@code value} (found at {@code path}) that lies at {@code pointer}. */
    static Optional<JsonValue> below(JsonPointer path, JsonValue value, JsonPointer pointer) {
        String at = path.isEmpty() ? "" : path.toString();
        String target = pointer.toString();
        if (!target.startsWith(at) || (!at.isEmpty() && target.length() > at.length() && target.charAt(at.length()) != '/')) {
            return Optional.empty();
        }
        String rest = target.substring(at.length());
        if (rest.isEmpty()) {
            return Optional.of(value);
        }
        return value.isObject() ? value.asObject().getValue(JsonPointer.of(rest)) : Optional.empty();
    }
}
