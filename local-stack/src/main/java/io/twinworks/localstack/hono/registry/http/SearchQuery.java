package io.twinworks.localstack.hono.registry.http;

import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query parameters of Hono's search operations: {@code pageSize} (0..200, default 30),
 * {@code pageOffset} (default 0), {@code filterJson} ({@code {"field":<JSON pointer>,"op":"eq","value":..}},
 * strings with {@code *}/{@code ?} wildcards; several filters must all match) and
 * {@code sortJson} ({@code {"field":<JSON pointer>,"direction":"asc|desc"}}), applied to the
 * result objects (which include their {@code id}).
 *
 * @param pageSize   page size
 * @param pageOffset offset of the first result
 * @param filters    filters that all must match
 * @param sorts      sort options, in order of precedence
 */
record SearchQuery(int pageSize, int pageOffset, List<Filter> filters, List<Sort> sorts) {

    static final int DEFAULT_PAGE_SIZE = 30;
    static final int MAX_PAGE_SIZE = 200;

    /** One {@code filterJson}. */
    record Filter(JsonPointer field, Object value) {
        boolean matches(JsonObject resource) {
            Object actual = field.queryJson(resource);
            if (actual == null) {
                return false;
            }
            if (value instanceof String pattern && actual instanceof String text) {
                return wildcardRegex(pattern).matcher(text).matches();
            }
            if (value instanceof Number expected && actual instanceof Number number) {
                return Double.compare(expected.doubleValue(), number.doubleValue()) == 0;
            }
            return value.equals(actual);
        }
    }

    /** One {@code sortJson}. */
    record Sort(JsonPointer field, boolean descending) {
        Comparator<JsonObject> comparator() {
            return (a, b) -> {
                Object x = field.queryJson(a);
                Object y = field.queryJson(b);
                if (x == null || y == null) {
                    // Resources lacking the field come last, whatever the direction.
                    return x == null ? (y == null ? 0 : 1) : -1;
                }
                int ascending = compareValues(x, y);
                return descending ? -ascending : ascending;
            };
        }
    }

    /** Parses the parameters; fails with {@link InvalidParameterException} naming the bad one. */
    static SearchQuery from(MultiMap params) {
        int pageSize = intParam(params, "pageSize", DEFAULT_PAGE_SIZE, 0, MAX_PAGE_SIZE);
        int pageOffset = intParam(params, "pageOffset", 0, 0, Integer.MAX_VALUE);
        List<Filter> filters = new ArrayList<>();
        for (String text : params.getAll("filterJson")) {
            JsonObject json = jsonParam("filterJson", text);
            rejectUnknown("filterJson", json, Set.of("field", "op", "value"));
            String op = json.getValue("op") instanceof String s ? s : "eq";
            if (!"eq".equals(op)) {
                throw new InvalidParameterException("filterJson: unsupported 'op' '" + op + "' (only 'eq')");
            }
            Object value = json.getValue("value");
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                throw new InvalidParameterException("filterJson: 'value' must be a string, number or boolean");
            }
            filters.add(new Filter(pointer("filterJson", json), value));
        }
        List<Sort> sorts = new ArrayList<>();
        for (String text : params.getAll("sortJson")) {
            JsonObject json = jsonParam("sortJson", text);
            rejectUnknown("sortJson", json, Set.of("field", "direction"));
            Object direction = json.getValue("direction", "asc");
            if (!"asc".equals(direction) && !"desc".equals(direction)) {
                throw new InvalidParameterException("sortJson: 'direction' must be 'asc' or 'desc'");
            }
            sorts.add(new Sort(pointer("sortJson", json), "desc".equals(direction)));
        }
        return new SearchQuery(pageSize, pageOffset, filters, sorts);
    }

    /** Filters, sorts (by the sort options, then by {@code id}) and counts; returns Hono's {@code {"total":..,"result":[..]}}. */
    JsonObject apply(List<JsonObject> resources) {
        Comparator<JsonObject> order = sorts.stream().map(Sort::comparator)
                .reduce(Comparator::thenComparing)
                .orElse((a, b) -> 0)
                .thenComparing(json -> json.getString("id", ""));
        List<JsonObject> matching = resources.stream()
                .filter(resource -> filters.stream().allMatch(filter -> filter.matches(resource)))
                .sorted(order)
                .toList();
        List<JsonObject> page = matching.stream().skip(pageOffset).limit(pageSize).toList();
        return new JsonObject().put("total", matching.size()).put("result", new JsonArray(new ArrayList<>(page)));
    }

    private static int intParam(MultiMap params, String name, int defaultValue, int min, int max) {
        String text = params.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("'" + name + "' must be an integer within " + min + ".." + max);
        }
    }

    private static JsonObject jsonParam(String name, String text) {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new InvalidParameterException(name + " must be a JSON object");
        }
    }

    private static void rejectUnknown(String name, JsonObject json, Set<String> allowed) {
        for (String member : json.fieldNames()) {
            if (!allowed.contains(member)) {
                throw new InvalidParameterException(name + ": unknown member '" + member + "'");
            }
        }
    }

    private static JsonPointer pointer(String name, JsonObject json) {
        if (!(json.getValue("field") instanceof String field) || field.isEmpty()) {
            throw new InvalidParameterException(name + ": 'field' (a JSON pointer) is mandatory");
        }
        try {
            return JsonPointer.from(field);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(name + ": 'field' is not a JSON pointer: " + field);
        }
    }

    private static Pattern wildcardRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && a.getClass().equals(b.getClass())) {
            return ca.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }
}
