package io.twinworks.adapters.hono;

import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.Optional;

/**
 * A command Hono delivered on {@code command/[<tenant>]/[<device>]/req/<req-id>/<name>}.
 *
 * @param deviceId  the device the command is for (the adapter's own device when the topic names none)
 * @param requestId the request ID, {@code null} for a one-way command (no response expected)
 * @param name      the command name
 * @param payload   the command payload (may be empty)
 */
public record HonoCommand(String deviceId, @Nullable String requestId, String name, byte[] payload) {

    public HonoCommand {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(name, "name");
        payload = payload == null ? new byte[0] : payload;
    }

    /** Whether the sender waits for a response. */
    public boolean expectsResponse() {
        return requestId != null;
    }

    /**
     * Parses a command topic; empty when the topic is not a command request.
     *
     * @param ownDeviceId the device used when the topic names no device
     */
    public static Optional<HonoCommand> parse(String topic, byte[] payload, String ownDeviceId) {
        if (topic == null) {
            return Optional.empty();
        }
        String[] segments = topic.split("/", -1);
        if (segments.length != 6 || !(segments[0].equals("command") || segments[0].equals("c"))
                || !(segments[3].equals("req") || segments[3].equals("q")) || segments[5].isEmpty()) {
            return Optional.empty();
        }
        String device = segments[2].isEmpty() ? ownDeviceId : segments[2];
        if (device == null) {
            return Optional.empty();
        }
        return Optional.of(new HonoCommand(device, segments[4].isEmpty() ? null : segments[4], segments[5], payload));
    }

    /** The topic the response goes to, naming the device when a gateway answers for it. */
    public String responseTopic(int status, boolean gateway) {
        return "command//" + (gateway ? deviceId : "") + "/res/" + requestId + "/" + status;
    }
}
