package io.twinworks.localstack.hono.registry.provisioning;

/** A provisioning file that cannot be loaded; the message names the file and the entry. */
public final class ProvisioningException extends RuntimeException {

    /** Creates the exception. */
    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
