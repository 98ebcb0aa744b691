package io.twinworks.localstack.hono.mqtt;

import java.util.Objects;

/** A PUBLISH the endpoint refuses, with the reason that selects the MQTT answer. */
final class PublishRefusedException extends RuntimeException {

    private final Refusal refusal;

    PublishRefusedException(Refusal refusal, String message) {
        super(message, null, false, false);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    PublishRefusedException(Refusal refusal, String message, Throwable cause) {
        super(message, cause, false, false);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    Refusal refusal() {
        return refusal;
    }
}
