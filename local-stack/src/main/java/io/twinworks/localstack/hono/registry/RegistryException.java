package io.twinworks.localstack.hono.registry;

import java.util.Objects;

/** A refusal of the device registry, with a reason adapters map to their protocol's codes. */
public final class RegistryException extends RuntimeException {

    /** Why the registry refused. */
    public enum Reason {
        TENANT_NOT_FOUND,
        TENANT_DISABLED,
        DEVICE_NOT_FOUND,
        DEVICE_DISABLED,
        BAD_CREDENTIALS,
        GATEWAY_NOT_AUTHORIZED
    }

    private final Reason reason;

    /** Creates a refusal with a reason and a message naming tenant/device, never the password. */
    public RegistryException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The reason for the refusal. */
    public Reason reason() {
        return reason;
    }
}
