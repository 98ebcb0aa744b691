package io.twinworks.adapters.outbox;

/** The outbox database failed (disk full, file unreadable, ...). */
public final class OutboxException extends RuntimeException {

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
