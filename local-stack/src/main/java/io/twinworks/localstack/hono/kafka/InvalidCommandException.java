package io.twinworks.localstack.hono.kafka;

import java.util.Map;

/**
 * A command record lacks what Hono's Command &amp; Control API requires. Carries what could be read,
 * so that a request/response command can still be answered with an error response.
 */
public final class InvalidCommandException extends RuntimeException {

    private final String tenantId;
    private final String deviceId;
    private final String correlationId;
    private final boolean responseRequired;
    private final Map<String, String> failureNotificationMetadata;

    /** Creates the exception; any of the IDs may be {@code null} when unknown. */
    public InvalidCommandException(String tenantId, String deviceId, String correlationId, boolean responseRequired,
                                   Map<String, String> failureNotificationMetadata, String message) {
        super(message);
        this.tenantId = tenantId;
        this.deviceId = deviceId;
        this.correlationId = correlationId;
        this.responseRequired = responseRequired;
        this.failureNotificationMetadata = Map.copyOf(failureNotificationMetadata);
    }

    /** The tenant, or {@code null}. */
    public String tenantId() {
        return tenantId;
    }

    /** The target device, or {@code null}. */
    public String deviceId() {
        return deviceId;
    }

    /** The correlation ID, or {@code null}. */
    public String correlationId() {
        return correlationId;
    }

    /** Whether the application asked for a response. */
    public boolean responseRequired() {
        return responseRequired;
    }

    /** The failure-notification metadata headers of the command. */
    public Map<String, String> failureNotificationMetadata() {
        return failureNotificationMetadata;
    }

    /** Whether an error response can be written: a request/response command with tenant, device and correlation ID. */
    public boolean canBeAnswered() {
        return responseRequired && tenantId != null && deviceId != null && correlationId != null;
    }
}
