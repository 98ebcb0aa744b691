package io.twinworks.localstack.ditto.store;

/** The embedded twin database failed (disk full, file locked, corrupt file, ...). */
public final class TwinStoreException extends RuntimeException {

    /** Wraps the underlying failure. */
    public TwinStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
