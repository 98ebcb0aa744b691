package io.twinworks.adapters.codec;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Where one decoded field goes in the twin, and how its raw value is converted: a number is
 * multiplied by {@code scale} and shifted by {@code offset} (unit conversion, register scaling);
 * with scale 1 and offset 0 it is kept exactly as sent (integers stay integers).
 *
 * @param feature  the feature ID
 * @param property the property name
 * @param type     {@code NUMBER} (default), {@code STRING} or {@code BOOLEAN}
 * @param scale    factor applied to numbers
 * @param offset   added to numbers after scaling
 */
public record FieldTarget(String feature, String property, Type type, double scale, double offset) {

    /** The value type written to the twin. */
    public enum Type { NUMBER, STRING, BOOLEAN }

    public FieldTarget {
        if (feature == null || feature.isBlank() || feature.contains("/")) {
            throw new IllegalArgumentException("invalid feature ID '" + feature + "'");
        }
        if (property == null || property.isBlank() || property.contains("/")) {
            throw new IllegalArgumentException("invalid property name '" + property + "'");
        }
        Objects.requireNonNull(type, "type");
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("scale and offset must be finite numbers");
        }
    }

    /** A number written as sent. */
    public static FieldTarget number(String feature, String property) {
        return new FieldTarget(feature, property, Type.NUMBER, 1, 0);
    }

    /**
     * Parses {@code feature/property}, e.g. {@code temperature/value}, as a number target.
     *
     * @throws IllegalArgumentException when it is not of that form
     */
    public static FieldTarget parse(String path) {
        String[] parts = path == null ? new String[0] : path.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + path + "' is not feature/property");
        }
        return number(parts[0], parts[1]);
    }

    /** Converts a raw text value. */
    public Object convert(String raw) throws FrameException {
        String text = raw == null ? "" : raw.trim();
        return switch (type) {
            case STRING -> text;
            case BOOLEAN -> switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "on" -> true;
                case "false", "0", "off" -> false;
                default -> throw new FrameException("bad_value", "'" + text + "' is not a boolean for " + this.path());
            };
            case NUMBER -> convertNumber(parseNumber(text));
        };
    }

    /** Converts a value already typed (JSON). */
    public Object convert(Object value) throws FrameException {
        if (value instanceof Number number && type == Type.NUMBER) {
            return convertNumber(number);
        }
        if (value instanceof Boolean bool && type == Type.BOOLEAN) {
            return bool;
        }
        if (value instanceof String text) {
            return convert(text);
        }
        if (type == Type.STRING && (value instanceof Number || value instanceof Boolean)) {
            return String.valueOf(value);
        }
        throw new FrameException("bad_value", "value " + value + " does not fit " + type + " for " + path());
    }

    /** Scales a number; without scaling the number is kept as it came. */
    public Object convertNumber(Number number) throws FrameException {
        if (scale == 1 && offset == 0) {
            return number;
        }
        // decimal arithmetic: 1013 × 0.001 is 1.013, not 1.0130000000000001
        double converted;
        try {
            converted = new BigDecimal(number.toString()).multiply(BigDecimal.valueOf(scale))
                    .add(BigDecimal.valueOf(offset)).doubleValue();
        } catch (NumberFormatException e) {
            converted = number.doubleValue() * scale + offset;
        }
        if (!Double.isFinite(converted)) {
            throw new FrameException("bad_value", "conversion of " + number + " for " + path() + " is not finite");
        }
        return converted;
    }

    private Number parseNumber(String text) throws FrameException {
        if (text.isEmpty()) {
            throw new FrameException("bad_value", "empty value for " + path());
        }
        try {
            BigDecimal decimal = new BigDecimal(text);
            if (decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return decimal.longValueExact();
            }
            double value = decimal.doubleValue();
            if (!Double.isFinite(value)) {
                throw new FrameException("bad_value", "'" + text + "' is out of range for " + path());
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new FrameException("bad_value", "'" + abbreviate(text) + "' is not a number for " + path());
        }
    }

    /** {@code feature/property}. */
    public String path() {
        return feature + "/" + property;
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
