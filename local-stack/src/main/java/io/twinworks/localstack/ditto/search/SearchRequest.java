package io.twinworks.localstack.ditto.search;

import org.eclipse.ditto.json.JsonFieldSelector;

import java.util.Objects;
import java.util.Set;

/**
 * One search as the HTTP API received it.
 *
 * @param filter     the RQL filter, or {@code null} for all things
 * @param namespaces the namespaces to search in; empty for all
 * @param fields     the fields of each item, or {@code null} for the regular thing JSON
 * @param options    sort and paging
 */
public record SearchRequest(String filter, Set<String> namespaces, JsonFieldSelector fields, SearchOptions options) {

    public SearchRequest {
        namespaces = Set.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
        Objects.requireNonNull(options, "options");
    }
}
