package io.twinworks.cli.provision;

/** A provisioning step the server refused: names the step, the request and the server's answer. */
public final class ProvisioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProvisioningException(String step, String request, int status, String answer) {
        super("step '" + step + "' failed: " + request + " answered " + status + ": " + answer);
    }

    public ProvisioningException(String step, String request, Throwable cause) {
        super("step '" + step + "' failed: " + request + ": " + cause.getMessage(), cause);
    }
}
