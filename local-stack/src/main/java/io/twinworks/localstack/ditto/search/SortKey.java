package io.twinworks.localstack.ditto.search;

import org.eclipse.ditto.json.JsonPointer;

import java.util.Objects;

/**
 * One entry of Ditto's {@code sort(...)} search option.
 *
 * @param field     the thing field, e.g. {@code /attributes/x}, {@code /_modified}, {@code /thingId}
 * @param ascending {@code +} (ascending) or {@code -} (descending)
 */
public record SortKey(JsonPointer field, boolean ascending) {

    /** Ditto's default order: {@code sort(+thingId)}. */
    public static final SortKey BY_THING_ID = new SortKey(JsonPointer.of("/thingId"), true);

    public SortKey {
        Objects.requireNonNull(field, "field");
    }

    /** As written in an RQL option: {@code +attributes/x}. */
    @Override
    public String toString() {
        return (ascending ? "+" : "-") + field.toString().substring(1);
    }
}
