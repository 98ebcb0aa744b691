package io.twinworks.localstack.hono.registry.store;

import java.util.Objects;

/** A registry operation that cannot be carried out; the HTTP API maps the {@link Failure} to its status code. */
public final class RegistryStoreException extends RuntimeException {

    /** Why the operation failed. */
    public enum Failure {
        /** The tenant does not exist (404). */
        TENANT_NOT_FOUND,
        /** The device (or its credentials) does not exist (404). */
        DEVICE_NOT_FOUND,
        /** The resource exists already, or an auth-id + type is taken by another device (409). */
        CONFLICT,
        /** The {@code If-Match} version is not the current one (412). */
        PRECONDITION_FAILED,
        /** The requested change is invalid against the stored state, e.g. an unknown secret id (400). */
        INVALID
    }

    private final Failure failure;

    /** Creates the exception; the message names the resource. */
    public RegistryStoreException(Failure failure, String message) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** Why the operation failed. */
    public Failure failure() {
        return failure;
    }
}
