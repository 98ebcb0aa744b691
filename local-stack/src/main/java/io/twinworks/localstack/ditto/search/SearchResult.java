package io.twinworks.localstack.ditto.search;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonCollectors;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;

import java.util.List;

/**
 * One page of search results in Ditto's shape: {@code {"items":[...],"cursor":"..."}} (cursor only when
 * more results follow), or with the deprecated {@code limit} option {@code {"items":[...],"nextPageOffset":n}}
 * ({@code -1} on the last page).
 *
 * @param items          the things as the caller may read them, with the selected fields
 * @param cursor         the cursor of the next page, or {@code null}
 * @param nextPageOffset the offset of the next page for {@code limit} paging, or {@code null} without it
 */
public record SearchResult(List<JsonObject> items, String cursor, Long nextPageOffset) {

    public SearchResult {
        items = List.copyOf(items);
    }

    /** The response body. */
    public JsonObject toJson() {
        JsonArray array = items.stream().collect(JsonCollectors.valuesToArray());
        JsonObjectBuilder builder = JsonFactory.newObjectBuilder().set("items", array);
        if (nextPageOffset != null) {
            builder.set("nextPageOffset", nextPageOffset);
        }
        if (cursor != null) {
            builder.set("cursor", cursor);
        }
        return builder.build();
    }
}
