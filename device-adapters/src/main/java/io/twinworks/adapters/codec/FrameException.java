package io.twinworks.adapters.codec;

/** A frame or payload that cannot be decoded; {@code reason} is the metrics tag. */
public final class FrameException extends Exception {

    private final String reason;

    public FrameException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** A short, stable reason for the {@code reason} tag of the error counter. */
    public String reason() {
        return reason;
    }
}
