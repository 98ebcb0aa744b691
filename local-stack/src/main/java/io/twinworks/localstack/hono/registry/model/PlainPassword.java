package io.twinworks.localstack.hono.registry.model;

import java.util.Objects;

/**
 * A clear-text password sent as {@code pwd-plain} in a credentials update. It only exists between
 * request parsing and hashing: the store refuses secrets that still carry one, and
 * {@link #toString()} never reveals it, so it cannot end up in a log line by accident.
 *
 * @param value the password
 */
public record PlainPassword(String value) {

    public PlainPassword {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("'pwd-plain' must not be empty");
        }
    }

    @Override
    public String toString() {
        return "PlainPassword[***]";
    }
}
