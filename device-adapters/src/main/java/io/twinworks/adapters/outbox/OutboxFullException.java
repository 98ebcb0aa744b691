package io.twinworks.adapters.outbox;

/** The outbox is full and its overflow policy is {@link OverflowPolicy#REJECT_NEW}. */
public final class OutboxFullException extends Exception {

    public OutboxFullException(String message) {
        super(message);
    }
}
