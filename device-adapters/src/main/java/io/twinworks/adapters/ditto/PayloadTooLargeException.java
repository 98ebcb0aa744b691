package io.twinworks.adapters.ditto;

/** A reading that cannot be sent within Hono's payload limit even after splitting it by feature. */
public final class PayloadTooLargeException extends IllegalArgumentException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
