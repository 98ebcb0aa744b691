package io.twinworks.localstack.ditto.search;

import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.exceptions.InvalidRqlExpressionException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonCollectors;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.rql.query.criteria.Criteria;
import org.eclipse.ditto.rql.query.filter.QueryFilterCriteriaFactory;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Ditto's thing search ({@code /api/2/search/things}) over the local twin store: a full scan, which is
 * fine at a development stack's scale, on a worker thread of its own.
 *
 * <p>As in Ditto, a subject finds only things it may READ, and the filter and sort see only the parts it
 * may READ (a filter on an attribute hidden from it never matches). Filters are parsed with Ditto's RQL
 * parser and evaluated with Ditto's {@link ThingPredicateVisitor}. Results are sorted by the {@code sort}
 * option with {@code +thingId} as the final tie-breaker, in MongoDB's order of types (missing and
 * {@code null} first, then numbers, strings, objects, arrays, booleans), as Ditto's search index sorts.
 * A cursor marks the sort position after the last item of its page, so that the next page neither
 * repeats nor skips things when others are created or deleted in between.
 */
public final class ThingSearch implements AutoCloseable {

    private static final QueryFilterCriteriaFactory FILTERS =
            QueryFilterCriteriaFactory.modelBased(RqlPredicateParser.getInstance());

    private final TwinStore store;
    private final WorkerExecutor worker;

    /**
     * @param vertx the Vert.x instance whose worker thread runs the scans
     * @param store the open twin store (owned by the caller)
     */
    public ThingSearch(Vertx vertx, TwinStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.worker = Objects.requireNonNull(vertx, "vertx").createSharedWorkerExecutor("ditto-thing-search", 1);
    }

    /**
     * Parses an RQL filter with Ditto's parser.
     *
     * @throws InvalidRqlExpressionException (400 {@code rql.expression.invalid}) when it is not valid RQL
     */
    public static Criteria parseFilter(String filter, DittoHeaders headers) {
        try {
            return FILTERS.filterCriteria(filter, headers);
        } catch (InvalidRqlExpressionException e) {
            throw e;
        } catch (DittoRuntimeException e) {
            throw InvalidRqlExpressionException.newBuilder().message(e.getMessage()).dittoHeaders(headers).build();
        } catch (RuntimeException e) {
            throw InvalidRqlExpressionException.newBuilder().message(String.valueOf(e.getMessage()))
                    .dittoHeaders(headers).build();
        }
    }

    /** One page of the things the subject may read that match the request. */
    public Future<SearchResult> search(SearchRequest request, AuthorizationContext subject, DittoHeaders headers) {
        Objects.requireNonNull(request, "request");
        return worker.executeBlocking(() -> page(request, subject, headers), false);
    }

    /** How many things the subject may read match the filter (Ditto's {@code /search/things/count}). */
    public Future<Long> count(String filter, Set<String> namespaces, AuthorizationContext subject,
                              DittoHeaders headers) {
        return worker.executeBlocking(() -> (long) matches(filter, namespaces, subject, headers).size(), false);
    }

    private SearchResult page(SearchRequest request, AuthorizationContext subject, DittoHeaders headers) {
        SearchOptions options = request.options();
        List<SortKey> sort = options.sort();
        JsonArray after = null;
        if (options.cursor() != null) {
            Cursor cursor = Cursor.decode(options.cursor(), headers);
            if (!Objects.equals(cursor.filter(), request.filter())
                    || !cursor.namespaces().equals(new TreeSet<>(request.namespaces()))
                    || (!sort.isEmpty() && !cursor.sort().equals(sort.toString()))) {
                throw SearchOptions.invalid("The cursor belongs to a search with another filter, sort or namespaces.",
                        headers);
            }
            sort = cursor.sortKeys(headers);
            after = cursor.after();
        }
        List<SortKey> order = withThingIdTieBreaker(sort);
        Comparator<JsonArray> byKeys = keyComparator(order);
        List<Match> found = matches(request.filter(), request.namespaces(), subject, headers);
        List<Match> sorted = found.stream()
                .map(match -> match.withKeys(order))
                .sorted(Comparator.comparing(Match::keys, byKeys))
                .toList();
        if (after != null) {
            JsonArray afterKeys = after;
            sorted = sorted.stream().filter(match -> byKeys.compare(match.keys(), afterKeys) > 0).toList();
        }
        if (options.limitCount() != null) {
            int offset = options.limitOffset();
            int count = options.limitCount();
            List<Match> pageItems = sorted.stream().skip(offset).limit(count).toList();
            long next = offset + count < sorted.size() ? offset + count : -1;
            return new SearchResult(items(pageItems, request), null, next);
        }
        int size = options.size() == null ? SearchOptions.DEFAULT_SIZE : options.size();
        List<Match> pageItems = sorted.stream().limit(size).toList();
        String nextCursor = sorted.size() > size
                ? new Cursor(request.filter(), new TreeSet<>(request.namespaces()), sort.toString(),
                pageItems.get(pageItems.size() - 1).keys()).encode()
                : null;
        return new SearchResult(items(pageItems, request), nextCursor, null);
    }

    private static List<JsonObject> items(List<Match> matches, SearchRequest request) {
        return matches.stream()
                .map(match -> request.fields() == null
                        ? match.visible().toJson(JsonSchemaVersion.V_2)
                        : match.visible().toJson(JsonSchemaVersion.V_2, request.fields()))
                .toList();
    }

    /** The things the subject may read (as it sees them) matching the filter and namespaces. */
    private List<Match> matches(String filter, Set<String> namespaces, AuthorizationContext subject,
                                DittoHeaders headers) {
        Predicate<Thing> predicate = filter == null ? thing -> true
                : ThingPredicateVisitor.apply(parseFilter(filter, headers));
        Map<PolicyId, Optional<Enforcer>> enforcers = new HashMap<>();
        List<Match> result = new ArrayList<>();
        for (StoredThing stored : store.allThings()) {
            if (!namespaces.isEmpty() && !namespaces.contains(stored.thingId().getNamespace())) {
                continue;
            }
            Optional<Enforcer> enforcer = policyIdOf(stored)
                    .flatMap(policyId -> enforcers.computeIfAbsent(policyId, this::enforcerOf));
            if (enforcer.isEmpty()) {
                continue;   // without a policy nobody may read the thing
            }
            Optional<Thing> visible = ThingVisibility.readableView(enforcer.get(), subject, stored.json())
                    .map(view -> ThingsModelFactory.newThingBuilder(view)
                            .setRevision(stored.revision())
                            .setCreated(stored.created())
                            .setModified(stored.modified())
                            .build());
            if (visible.isPresent() && predicate.test(visible.get())) {
                result.add(new Match(stored, visible.get(), null));
            }
        }
        return result;
    }

    private static Optional<PolicyId> policyIdOf(StoredThing stored) {
        return stored.json().getValue(Thing.JsonFields.POLICY_ID).map(PolicyId::of);
    }

    private Optional<Enforcer> enforcerOf(PolicyId policyId) {
        return store.findPolicy(policyId)
                .filter(policy -> !policy.deleted())
                .map(StoredPolicy::toPolicy)
                .map(PolicyEnforcers::defaultEvaluator);
    }

    private static List<SortKey> withThingIdTieBreaker(List<SortKey> sort) {
        List<SortKey> order = new ArrayList<>(sort.isEmpty() ? List.of(SortKey.BY_THING_ID) : sort);
        if (!order.get(order.size() - 1).field().equals(SortKey.BY_THING_ID.field())) {
            order.add(SortKey.BY_THING_ID);
        }
        return order;
    }

    private static Comparator<JsonArray> keyComparator(List<SortKey> order) {
        return (left, right) -> {
            for (int i = 0; i < order.size(); i++) {
                int compared = compareValues(left.get(i).orElse(null), right.get(i).orElse(null));
                if (compared != 0) {
                    return order.get(i).ascending() ? compared : -compared;
                }
            }
            return 0;
        };
    }

    /** MongoDB's order of BSON types, which Ditto's search index sorts by. */
    private static int typeRank(JsonValue value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isNumber()) {
            return 1;
        }
        if (value.isString()) {
            return 2;
        }
        if (value.isObject()) {
            return 3;
        }
        if (value.isArray()) {
            return 4;
        }
        return 5;
    }

    static int compareValues(JsonValue left, JsonValue right) {
        int byType = Integer.compare(typeRank(left), typeRank(right));
        if (byType != 0) {
            return byType;
        }
        return switch (typeRank(left)) {
            case 0 -> 0;
            case 1 -> Double.compare(left.asDouble(), right.asDouble());
            case 2 -> left.asString().compareTo(right.asString());
            case 5 -> Boolean.compare(left.asBoolean(), right.asBoolean());
            default -> left.toString().compareTo(right.toString());
        };
    }

    /** Releases the worker thread; the store stays open. */
    @Override
    public void close() {
        worker.close();
    }

    /** A matching thing as the subject sees it, with its sort key values once computed. */
    private record Match(StoredThing stored, Thing visible, JsonArray keys) {

        Match withKeys(List<SortKey> order) {
            JsonObject sortable = visible.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial())
                    .setValue(Thing.JsonFields.ID.getPointer(), stored.thingId().toString());
            JsonArray values = order.stream()
                    .map(key -> sortable.getValue(key.field()).orElse(JsonFactory.nullLiteral()))
                    .collect(JsonCollectors.valuesToArray());
            return new Match(stored, visible, values);
        }
    }

    /**
     * The position after the last item of a page, bound to the search it came from.
     *
     * @param filter     the search's filter ({@code null}: none)
     * @param namespaces the search's namespaces
     * @param sort       the search's sort option as written ({@code []} for the default)
     * @param after      the sort key values of the last item
     */
    private record Cursor(String filter, TreeSet<String> namespaces, String sort, JsonArray after) {

        String encode() {
            JsonObject json = JsonFactory.newObjectBuilder()
                    .set("filter", filter == null ? JsonFactory.nullLiteral() : JsonFactory.newValue(filter))
                    .set("namespaces", namespaces.stream().map(JsonFactory::newValue).collect(JsonCollectors.valuesToArray()))
                    .set("sort", sort)
                    .set("after", after)
                    .build();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String encoded, DittoHeaders headers) {
            try {
                JsonObject json = JsonFactory.newObject(new String(Base64.getUrlDecoder().decode(encoded),
                        StandardCharsets.UTF_8));
                JsonValue filter = json.getValue("filter").orElseThrow();
                TreeSet<String> namespaces = new TreeSet<>();
                json.getValue("namespaces").orElseThrow().asArray().forEach(value -> namespaces.add(value.asString()));
                return new Cursor(filter.isNull() ? null : filter.asString(), namespaces,
                        json.getValue("sort").orElseThrow().asString(), json.getValue("after").orElseThrow().asArray());
            } catch (RuntimeException e) {
                throw SearchOptions.invalid("The cursor is not a cursor of this search API.", headers);
            }
        }

        List<SortKey> sortKeys(DittoHeaders headers) {
            String inner = sort.substring(1, sort.length() - 1).trim();
            return inner.isEmpty() ? List.of() : SearchOptions.parse("sort(" + inner + ")", headers).sort();
        }
    }
}
