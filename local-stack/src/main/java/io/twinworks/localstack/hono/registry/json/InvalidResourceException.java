package io.twinworks.localstack.hono.registry.json;

/**
 * A request body (or stored document, or provisioning entry) that does not conform to Hono's
 * management API schema. The message names the offending member, never a secret's value.
 */
public final class InvalidResourceException extends IllegalArgumentException {

    /** Creates the exception with a message naming the member and the rule it breaks. */
    public InvalidResourceException(String message) {
        super(message);
    }
}
