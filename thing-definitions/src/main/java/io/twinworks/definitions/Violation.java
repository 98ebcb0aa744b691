package io.twinworks.definitions;

import java.util.Objects;

/**
 * One way a thing's payload breaks its Thing Model.
 *
 * @param path    the JSON pointer into the thing ({@code /features/vibration/properties/rms})
 * @param rule    the rule broken: a JSON Schema keyword ({@code maximum}, {@code type}, ...) or
 *                {@code required}, {@code non-modeled}, {@code presence}
 * @param message what is wrong, naming the property and the limit
 */
public record Violation(String path, String rule, String message) {
    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message + " (" + rule + ")";
    }
}
