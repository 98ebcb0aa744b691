package io.twinworks.localstack.hono.mqtt;

import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A PUBLISH topic name of Hono's MQTT adapter, parsed: telemetry, event or command response.
 *
 * <p>Accepted forms (short forms in brackets), each optionally followed by a property bag
 * {@code /?name=value&...} (URL-encoded, names case-insensitive):
 * <ul>
 *   <li>{@code telemetry} [{@code t}], {@code event} [{@code e}]: the authenticated device itself</li>
 *   <li>{@code telemetry/<tenant>/<device>}, {@code telemetry//<device>} (and event): a gateway
 *       publishing for a device, or a device naming itself</li>
 *   <li>{@code command/[<tenant>]/[<device>]/res/<req-id>/<status>} [{@code c}, {@code s}]: a command
 *       response</li>
 * </ul>
 */
sealed interface PublishAddress permits PublishAddress.Downstream, PublishAddress.CommandResponse {

    /** The tenant named in the topic, or {@code null} when the segment is empty. */
    String tenantId();

    /** The device named in the topic, or {@code null} when the topic names none (the authenticated device). */
    String deviceId();

    /** Which downstream API a telemetry/event topic targets. */
    enum Endpoint {
        TELEMETRY("telemetry"),
        EVENT("event");

        private final String metricName;

        Endpoint(String metricName) {
            this.metricName = metricName;
        }

        /** The name used in metrics tags and logs. */
        String metricName() {
            return metricName;
        }
    }

    /**
     * A telemetry or event topic.
     *
     * @param endpoint    telemetry or event
     * @param tenantId    the tenant segment, or {@code null}
     * @param deviceId    the device segment, or {@code null}
     * @param contentType the {@code content-type} property, or {@code null}
     * @param ttlSeconds  the {@code hono-ttl} property (events), or {@code null}
     */
    record Downstream(Endpoint endpoint, String tenantId, String deviceId, String contentType, Long ttlSeconds)
            implements PublishAddress {
        public Downstream {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * A command response topic.
     *
     * @param tenantId  the tenant segment, or {@code null}
     * @param deviceId  the device segment, or {@code null}
     * @param requestId the request ID from the command's topic
     * @param status    the HTTP status the device reports
     * @param contentType the {@code content-type} property, or {@code null}
     */
    record CommandResponse(String tenantId, String deviceId, String requestId, int status, String contentType)
            implements PublishAddress {
        public CommandResponse {
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /** The property carrying the payload's MIME type. */
    String PROPERTY_CONTENT_TYPE = "content-type";
    /** The property carrying an event's time-to-live in seconds. */
    String PROPERTY_TTL = "hono-ttl";

    /**
     * Parses a PUBLISH topic name.
     *
     * @throws PublishRefusedException with {@link Refusal#MALFORMED_TOPIC} if the name is not one of
     *         the accepted forms
     */
    static PublishAddress parse(String topicName) {
        if (topicName == null || topicName.isEmpty() || topicName.startsWith("/")) {
            throw malformed(topicName, "empty or starts with '/'");
        }
        String path = topicName;
        Map<String, String> properties = Map.of();
        int bagStart = topicName.lastIndexOf("/?");
        if (bagStart >= 0) {
            path = topicName.substring(0, bagStart);
            properties = parsePropertyBag(topicName, topicName.substring(bagStart));
        }
        List<String> segments = List.of(path.split("/", -1));
        return switch (segments.get(0)) {
            case "telemetry", "t" -> parseDownstream(Endpoint.TELEMETRY, topicName, segments, properties);
            case "event", "e" -> parseDownstream(Endpoint.EVENT, topicName, segments, properties);
            case "command", "c" -> parseCommandResponse(topicName, segments, properties);
            default -> throw malformed(topicName, "unknown endpoint '" + segments.get(0) + "'");
        };
    }

    private static Map<String, String> parsePropertyBag(String topicName, String bag) {
        try {
            Map<String, String> properties = new LinkedHashMap<>();
            new QueryStringDecoder(bag).parameters().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    properties.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
                }
            });
            return properties;
        } catch (IllegalArgumentException e) {
            throw malformed(topicName, "invalid property bag");
        }
    }

    private static Downstream parseDownstream(Endpoint endpoint, String topicName, List<String> segments,
                                              Map<String, String> properties) {
        String tenantId = null;
        String deviceId = null;
        if (segments.size() == 3) {
            tenantId = emptyToNull(segments.get(1));
            deviceId = emptyToNull(segments.get(2));
            if (deviceId == null) {
                throw malformed(topicName, "empty device ID");
            }
        } else if (segments.size() != 1) {
            throw malformed(topicName, "expected <endpoint> or <endpoint>/[<tenant>]/<device-id>");
        }
        String contentType = emptyToNull(properties.get(PROPERTY_CONTENT_TYPE));
        Long ttlSeconds = null;
        String ttl = properties.get(PROPERTY_TTL);
        if (endpoint == Endpoint.EVENT && ttl != null) {
            try {
                long seconds = Long.parseLong(ttl);
                // Hono ignores negative and unparsable values
                ttlSeconds = seconds < 0 ? null : seconds;
            } catch (NumberFormatException e) {
                ttlSeconds = null;
            }
        }
        return new Downstream(endpoint, tenantId, deviceId, contentType, ttlSeconds);
    }

    private static CommandResponse parseCommandResponse(String topicName, List<String> segments,
                                                        Map<String, String> properties) {
        if (segments.size() != 6 || !(segments.get(3).equals("res") || segments.get(3).equals("s"))) {
            throw malformed(topicName, "expected command/[<tenant>]/[<device-id>]/res/<req-id>/<status>");
        }
        String requestId = segments.get(4);
        if (requestId.isEmpty()) {
            throw malformed(topicName, "empty request ID");
        }
        int status;
        try {
            status = Integer.parseInt(segments.get(5));
        } catch (NumberFormatException e) {
            throw malformed(topicName, "status is not a number");
        }
        if (status < 200 || status > 599) {
            throw malformed(topicName, "status " + status + " is not an HTTP status of a response");
        }
        return new CommandResponse(emptyToNull(segments.get(1)), emptyToNull(segments.get(2)), requestId, status,
                emptyToNull(properties.get(PROPERTY_CONTENT_TYPE)));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static PublishRefusedException malformed(String topicName, String why) {
        return new PublishRefusedException(Refusal.MALFORMED_TOPIC, "malformed topic '" + topicName + "': " + why);
    }
}
