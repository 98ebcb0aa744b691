package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A direct check of the commonest WoT data schemas — a number or integer within {@code minimum}/{@code maximum}, a
 * string within {@code minLength}/{@code maxLength} (or a {@code date-time} as devices stamp readings), a boolean, an
 * object of any fields, no assertion at all — that
 * only ever answers "valid for certain": whatever it is not sure of (a value on a bound, of another type, a string
 * with surrogate pairs, a violation of any kind) goes to the JSON Schema validator, which decides and words the
 * violation. So a value it passes is one the validator passes, and every violation is still the validator's own.
 *
 * <p>Why: a device's readings are valid nearly always, and the validator's general machinery (an execution
 * context, a path, a message set per value) cost more per reading than the rest of its WoT check.
 */
final class CertainlyValid {

    private static final Set<String> NUMBER_BOUNDS = Set.of("minimum", "maximum");
    private static final Set<String> LENGTH_BOUNDS = Set.of("minLength", "maxLength");
    private static final String FORMAT = "format";
    private static final String DATE_TIME = "date-time";
    /** {@code 2026-12-07T06:00:00.123Z}: the shortest and longest date-times {@link #isPlainUtcDateTime} takes. */
    private static final int SHORTEST_DATE_TIME = 20;
    private static final int LONGEST_DATE_TIME = 30;

    private enum Kind { NONE, NUMBER, INTEGER, STRING, BOOLEAN, OBJECT }

    private final Kind kind;
    /** Bounds (inclusive) as doubles: only a value strictly between them is certainly within them (see {@link #number}). */
    private final double minimum;
    private final double maximum;
    private final int minLength;
    private final int maxLength;
    private final boolean dateTime;

    private CertainlyValid(Kind kind, double minimum, double maximum, int minLength, int maxLength) {
        this(kind, minimum, maximum, minLength, maxLength, false);
    }

    private CertainlyValid(Kind kind, double minimum, double maximum, int minLength, int maxLength, boolean dateTime) {
        this.kind = kind;
        this.minimum = minimum;
        this.maximum = maximum;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.dateTime = dateTime;
    }

    /**
     * The direct check of a JSON Schema made by {@link PropertySchemas#toJsonSchema}, or {@code null} when it
     * asserts anything beyond the forms named above (then the validator checks every value).
     */
    static CertainlyValid of(JsonNode schema) {
        if (!schema.isObject()) {
            return null;
        }
        if (schema.isEmpty()) {
            return new CertainlyValid(Kind.NONE, 0, 0, 0, 0);
        }
        JsonNode type = schema.get("type");
        if (type == null || !type.isTextual()) {
            return null;
        }
        return switch (type.textValue()) {
            case "number" -> numberCheck(schema, Kind.NUMBER);
            case "integer" -> numberCheck(schema, Kind.INTEGER);
            case "string" -> stringCheck(schema);
            case "boolean" -> schema.size() == 1 ? new CertainlyValid(Kind.BOOLEAN, 0, 0, 0, 0) : null;
            case "object" -> schema.size() == 1 ? new CertainlyValid(Kind.OBJECT, 0, 0, 0, 0) : null;
            default -> null;
        };
    }

    private static CertainlyValid numberCheck(JsonNode schema, Kind kind) {
        double minimum = Double.NEGATIVE_INFINITY;
        double maximum = Double.POSITIVE_INFINITY;
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("type")) {
                continue;
            }
            if (!NUMBER_BOUNDS.contains(field.getKey()) || !isPlainNumber(field.getValue())) {
                return null;
            }
            if (field.getKey().equals("minimum")) {
                minimum = field.getValue().doubleValue();
            } else {
                maximum = field.getValue().doubleValue();
            }
        }
        return new CertainlyValid(kind, minimum, maximum, 0, 0);
    }

    private static CertainlyValid stringCheck(JsonNode schema) {
        int minLength = 0;
        int maxLength = Integer.MAX_VALUE;
        boolean dateTime = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("type")) {
                continue;
            }
            if (field.getKey().equals(FORMAT)) {
                if (!field.getValue().isTextual() || !field.getValue().textValue().equals(DATE_TIME)) {
                    return null;
                }
                dateTime = true;
                continue;
            }
            if (!LENGTH_BOUNDS.contains(field.getKey()) || !(field.getValue() instanceof IntNode length)
                    || length.intValue() < 0) {
                return null;
            }
            if (field.getKey().equals("minLength")) {
                minLength = length.intValue();
            } else {
                maxLength = length.intValue();
            }
        }
        return new CertainlyValid(Kind.STRING, 0, 0, minLength, maxLength, dateTime);
    }

    /** A number as JSON text parses to it (int, long, double), not a big integer or decimal, and finite. */
    private static boolean isPlainNumber(JsonNode node) {
        return node instanceof IntNode || node instanceof LongNode
                || node instanceof DoubleNode && Double.isFinite(node.doubleValue());
    }

    /** Whether the value is valid for certain; {@code false} means "ask the validator", not "invalid". */
    boolean passes(JsonNode value) {
        return switch (kind) {
            case NONE -> true;
            case NUMBER -> isPlainNumber(value) && number(value.doubleValue());
            case INTEGER -> (value instanceof IntNode || value instanceof LongNode) && number(value.doubleValue());
            case STRING -> value.isTextual() && length(value.textValue())
                    && (!dateTime || isPlainUtcDateTime(value.textValue()));
            case BOOLEAN -> value.isBoolean();
            case OBJECT -> value.isObject();
        };
    }

    /**
     * Strictly between the bounds as doubles: rounding to double never reverses an order, so a value whose double is
     * strictly below the bound's double is strictly below the bound itself, however the validator compares (longs,
     * decimals or doubles). A value on a bound, or one rounding onto it, goes to the validator.
     */
    private boolean number(double value) {
        return value > minimum && value < maximum;
    }

    /** Within the lengths, for a string without surrogate pairs (where counting characters and code points agree). */
    private boolean length(String text) {
        int length = text.length();
        if (length < minLength || length > maxLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A date-time every RFC 3339 reading accepts, in its plainest form: {@code yyyy-MM-ddTHH:mm:ss}, an optional
     * fraction of 1 to 9 digits, {@code Z}; a year from 1970 to 2999, a day that exists in its month, no leap second.
     * Anything else (an offset, lower-case letters, a leap second, other years) goes to the validator.
     */
    static boolean isPlainUtcDateTime(String text) {
        int length = text.length();
        if (length < SHORTEST_DATE_TIME || length > LONGEST_DATE_TIME || length == SHORTEST_DATE_TIME + 1
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return false;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 1970 || year > 2999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        if (length > SHORTEST_DATE_TIME) {
            // ".d" to ".ddddddddd" before the Z
            return text.charAt(19) == '.' && number(text, 20, length - 21) >= 0;
        }
        return true;
    }

    /** The decimal number of {@code count} ASCII digits at {@code offset}, or -1 when one of them is no digit. */
    private static int number(String text, int offset, int count) {
        int value = 0;
        for (int i = offset; i < offset + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
