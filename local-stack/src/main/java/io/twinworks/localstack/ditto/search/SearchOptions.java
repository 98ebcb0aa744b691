package io.twinworks.localstack.ditto.search;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed {@code option} parameter of Ditto's search API:
 * {@code sort(+attributes/x,-_modified)}, {@code size(n)}, {@code cursor(id)} and the deprecated
 * {@code limit(offset,count)}, comma-separated.
 *
 * @param sort        the sort keys, empty when not given
 * @param size        the page size, or {@code null} when not given
 * @param cursor      the cursor of a previous page, or {@code null}
 * @param limitOffset the offset of {@code limit(offset,count)}, or {@code null} when not given
 * @param limitCount  the count of {@code limit(offset,count)}, or {@code null} when not given
 */
public record SearchOptions(List<SortKey> sort, Integer size, String cursor, Integer limitOffset, Integer limitCount) {

    /** Ditto's default page size. */
    public static final int DEFAULT_SIZE = 25;
    /** Ditto's largest page size. */
    public static final int MAX_SIZE = 200;

    public SearchOptions {
        sort = List.copyOf(sort);
    }

    /** No options: default sort and size. */
    public static SearchOptions none() {
        return new SearchOptions(List.of(), null, null, null, null);
    }

    /**
     * Parses the {@code option} parameter.
     *
     * @throws InvalidOptionException (400 {@code thing-search:option.invalid}) when it is malformed
     */
    public static SearchOptions parse(String options, DittoHeaders headers) {
        if (options == null || options.isBlank()) {
            return none();
        }
        List<SortKey> sort = List.of();
        Integer size = null;
        String cursor = null;
        Integer limitOffset = null;
        Integer limitCount = null;
        for (String option : splitTopLevel(options, headers)) {
            int open = option.indexOf('(');
            if (open <= 0 || !option.endsWith(")")) {
                throw invalid("'" + option + "' is not an option of the form name(arguments).", headers);
            }
            String name = option.substring(0, open).trim();
            String arguments = option.substring(open + 1, option.length() - 1).trim();
            switch (name) {
                case "sort" -> sort = parseSort(arguments, headers);
                case "size" -> size = parseCount(arguments, "size", headers);
                case "cursor" -> {
                    if (arguments.isEmpty()) {
                        throw invalid("cursor() needs the cursor of a previous result.", headers);
                    }
                    cursor = arguments;
                }
                case "limit" -> {
                    String[] parts = arguments.split(",");
                    if (parts.length != 2) {
                        throw invalid("limit needs an offset and a count: limit(<offset>,<count>).", headers);
                    }
                    limitOffset = parseInt(parts[0], "limit offset", headers);
                    limitCount = parseCount(parts[1], "limit count", headers);
                    if (limitOffset < 0) {
                        throw invalid("The limit offset must not be negative.", headers);
                    }
                }
                default -> throw invalid("Unknown option '" + name + "'; known: sort, size, cursor, limit.", headers);
            }
        }
        if (limitCount != null && (size != null || cursor != null)) {
            throw invalid("limit cannot be combined with size or cursor.", headers);
        }
        return new SearchOptions(sort, size, cursor, limitOffset, limitCount);
    }

    private static List<SortKey> parseSort(String arguments, DittoHeaders headers) {
        List<SortKey> keys = new ArrayList<>();
        for (String entry : arguments.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.length() < 2 || (trimmed.charAt(0) != '+' && trimmed.charAt(0) != '-')) {
                throw invalid("Sort entry '" + trimmed + "' must be +<field> or -<field>.", headers);
            }
            String field = trimmed.substring(1).trim();
            keys.add(new SortKey(JsonPointer.of(field.startsWith("/") ? field : "/" + field), trimmed.charAt(0) == '+'));
        }
        return keys;
    }

    private static int parseCount(String value, String what, DittoHeaders headers) {
        int count = parseInt(value, what, headers);
        if (count < 1 || count > MAX_SIZE) {
            throw invalid("The " + what + " must be between 1 and " + MAX_SIZE + ".", headers);
        }
        return count;
    }

    private static int parseInt(String value, String what, DittoHeaders headers) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid("The " + what + " '" + value.trim() + "' is not a number.", headers);
        }
    }

    /** Splits at commas outside parentheses. */
    private static List<String> splitTopLevel(String options, DittoHeaders headers) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw invalid("Unbalanced parentheses in '" + options + "'.", headers);
                }
            } else if (c == ',' && depth == 0) {
                parts.add(options.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw invalid("Unbalanced parentheses in '" + options + "'.", headers);
        }
        parts.add(options.substring(start).trim());
        return parts.stream().filter(part -> !part.isEmpty()).toList();
    }

    static InvalidOptionException invalid(String message, DittoHeaders headers) {
        return InvalidOptionException.newBuilder().message(message).dittoHeaders(headers).build();
    }
}
