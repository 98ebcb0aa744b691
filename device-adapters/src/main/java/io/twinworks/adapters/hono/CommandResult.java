package io.twinworks.adapters.hono;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * The answer to a command: an HTTP-like status (Hono's command response contract) and a payload.
 *
 * @param status  200..599
 * @param payload the response payload (JSON), may be empty
 */
public record CommandResult(int status, byte[] payload) {

    public CommandResult {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be in [200, 599], was " + status);
        }
        payload = payload == null ? new byte[0] : payload;
    }

    /** A status with a JSON body {@code {"status":..,"message":".."}}. */
    public static CommandResult of(int status, @Nullable String message) {
        String json = "{\"status\":" + status + ",\"message\":" + io.vertx.core.json.Json.encode(message) + "}";
        return new CommandResult(status, json.getBytes(StandardCharsets.UTF_8));
    }
}
