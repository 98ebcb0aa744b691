package io.twinworks.localstack.hono.registry.http;

/** A bad path or query parameter, answered with 400 {@code registry:parameter.invalid}. */
final class InvalidParameterException extends IllegalArgumentException {
    InvalidParameterException(String message) {
        super(message);
    }
}
