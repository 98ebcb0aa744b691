package io.twinworks.adapters.outbox;

/** What the outbox does when it is full and another message arrives. */
public enum OverflowPolicy {
    /** Refuse the new message ({@link OutboxFullException}); what is stored is kept. */
    REJECT_NEW,
    /** Delete the oldest stored message to make room; the new one is stored. */
    DROP_OLDEST
}
