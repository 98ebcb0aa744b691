package io.twinworks.localstack.ditto.ws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Ditto WebSocket protocol control message such as
 * {@code START-SEND-EVENTS?filter=gt(features/x/properties/rms,1)&namespaces=plant.a&extraFields=attributes}.
 *
 * @param type       what to start or stop
 * @param start      {@code true} for {@code START-SEND-*}, {@code false} for {@code STOP-SEND-*}
 * @param parameters the URL-decoded query parameters ({@code filter}, {@code namespaces},
 *                   {@code extraFields}, {@code correlation-id})
 */
record ControlMessage(StreamingType type, boolean start, Map<String, String> parameters) {

    ControlMessage {
        Objects.requireNonNull(type, "type");
        parameters = Map.copyOf(parameters);
    }

    /** The acknowledgement Ditto answers a control message with, e.g. {@code START-SEND-EVENTS:ACK}. */
    String acknowledgement() {
        return (start ? type.startMessage() : type.stopMessage()) + ":ACK";
    }

    /** An optional, non-blank parameter. */
    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * The control message a text frame carries, or empty when the frame is something else (a Ditto
     * Protocol JSON message or garbage). Like Ditto, the frame must start with the keyword; the
     * keyword must be followed by nothing or by {@code ?parameters}.
     */
    static Optional<ControlMessage> parse(String frame) {
        for (StreamingType type : StreamingType.values()) {
            Optional<ControlMessage> start = parse(frame, type.startMessage(), type, true);
            if (start.isPresent()) {
                return start;
            }
            Optional<ControlMessage> stop = parse(frame, type.stopMessage(), type, false);
            if (stop.isPresent()) {
                return stop;
            }
        }
        return Optional.empty();
    }

    private static Optional<ControlMessage> parse(String frame, String keyword, StreamingType type, boolean start) {
        if (!frame.startsWith(keyword)) {
            return Optional.empty();
        }
        String rest = frame.substring(keyword.length()).strip();
        if (rest.isEmpty()) {
            return Optional.of(new ControlMessage(type, start, Map.of()));
        }
        if (rest.charAt(0) != '?') {
            return Optional.empty();
        }
        return Optional.of(new ControlMessage(type, start, queryParameters(rest.substring(1))));
    }

    private static Map<String, String> queryParameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
