package io.twinworks.localstack.ditto.ws;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.placeholders.TimePlaceholder;
import org.eclipse.ditto.protocol.placeholders.ResourcePlaceholder;
import org.eclipse.ditto.protocol.placeholders.TopicPathPlaceholder;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.rql.query.criteria.Criteria;
import org.eclipse.ditto.rql.query.filter.QueryFilterCriteriaFactory;
import org.eclipse.ditto.things.model.ThingFieldSelector;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One {@code START-SEND-*} subscription of a session: which namespaces, which RQL filter and which
 * extra fields, as in Ditto's gateway streaming session.
 *
 * @param namespaces  the namespaces to deliver (empty: all)
 * @param filter      the parsed RQL filter ({@code null}: everything passes)
 * @param extraFields the thing fields to add as {@code extra} and to evaluate the filter on ({@code null}: none)
 */
record StreamSubscription(List<String> namespaces, Criteria filter, ThingFieldSelector extraFields) {

    /**
     * Ditto's filter criteria factory with the placeholders Ditto's WebSocket offers in filters
     * ({@code topic:...}, {@code resource:...}, {@code time:...}); {@code entity:id} lives in a Ditto
     * service module that is not published, so it is not available here.
     */
    private static final QueryFilterCriteriaFactory CRITERIA_FACTORY = QueryFilterCriteriaFactory.modelBased(
            RqlPredicateParser.getInstance(),
            TopicPathPlaceholder.getInstance(),
            ResourcePlaceholder.getInstance(),
            TimePlaceholder.getInstance());

    StreamSubscription {
        namespaces = List.copyOf(namespaces);
    }

    /** A subscription without namespaces, filter or extra fields. */
    static StreamSubscription everything() {
        return new StreamSubscription(List.of(), null, null);
    }

    /**
     * The subscription a control message asks for.
     *
     * @throws org.eclipse.ditto.base.model.exceptions.DittoRuntimeException (400, e.g.
     *         {@code rql.expression.invalid}) when the filter or the extra fields are invalid
     */
    static StreamSubscription of(ControlMessage control, DittoHeaders headers) {
        List<String> namespaces = control.parameter("namespaces")
                .map(value -> Arrays.stream(value.split(",")).map(String::strip).filter(ns -> !ns.isEmpty()).toList())
                .orElse(List.of());
        Criteria filter = control.parameter("filter")
                .map(rql -> CRITERIA_FACTORY.filterCriteria(rql, headers))
                .orElse(null);
        ThingFieldSelector extraFields = control.parameter("extraFields")
                .map(ThingFieldSelector::fromString)
                .orElse(null);
        return new StreamSubscription(namespaces, filter, extraFields);
    }

    /** Whether a signal of the namespace is delivered. */
    boolean matchesNamespace(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    Optional<Criteria> optionalFilter() {
        return Optional.ofNullable(filter);
    }

    Optional<ThingFieldSelector> optionalExtraFields() {
        return Optional.ofNullable(extraFields);
    }
}
