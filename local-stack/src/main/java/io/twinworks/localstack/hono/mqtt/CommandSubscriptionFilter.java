package io.twinworks.localstack.hono.mqtt;

import java.util.List;
import java.util.Optional;

/**
 * A command subscription topic filter of Hono's MQTT adapter:
 * {@code command/[<tenant>]/[<device-id>|+]/req/#} or the short form {@code c/[<tenant>]/[<device-id>|+]/q/#}.
 *
 * <p>The topic names commands are published to mirror the filter: the tenant segment is filled only
 * if the filter named the tenant, the device segment only if the filter named a device or {@code +}
 * (and not for commands directed at a gateway itself), and the spelled-out or short segment names
 * are kept.
 *
 * @param commandSegment {@code command} or {@code c}, as in the filter
 * @param requestSegment {@code req} or {@code q}, as in the filter
 * @param tenantId       the tenant segment, or {@code null} when empty
 * @param deviceSegment  the device segment: {@code null} when empty, {@code +} for all devices of a
 *                       gateway, else a device ID
 */
public record CommandSubscriptionFilter(String commandSegment, String requestSegment, String tenantId,
                                        String deviceSegment) {

    /** The device segment that subscribes a gateway to commands for all devices it acts for. */
    public static final String ALL_DEVICES = "+";

    /** Parses a SUBSCRIBE topic filter; empty if it is not a command subscription filter. */
    public static Optional<CommandSubscriptionFilter> parse(String filter) {
        if (filter == null) {
            return Optional.empty();
        }
        List<String> segments = List.of(filter.split("/", -1));
        if (segments.size() != 5 || !segments.get(4).equals("#")) {
            return Optional.empty();
        }
        String command = segments.get(0);
        String request = segments.get(3);
        boolean spelledOut = command.equals("command") && request.equals("req");
        boolean shortForm = command.equals("c") && request.equals("q");
        if (!spelledOut && !shortForm) {
            return Optional.empty();
        }
        String tenant = segments.get(1);
        String device = segments.get(2);
        if (tenant.contains("+") || tenant.contains("#") || device.contains("#")
                || (device.contains("+") && !device.equals(ALL_DEVICES))) {
            return Optional.empty();
        }
        return Optional.of(new CommandSubscriptionFilter(command, request,
                tenant.isEmpty() ? null : tenant, device.isEmpty() ? null : device));
    }

    /** Whether this is a gateway's subscription for all its devices. */
    public boolean isForAllDevicesOfGateway() {
        return ALL_DEVICES.equals(deviceSegment);
    }

    /**
     * The topic name a command is published to.
     *
     * @param deviceIdSegment the device ID to put into the topic, or {@code null} for an empty segment
     * @param requestId       the request ID, or {@code null} for a one-way command
     * @param commandName     the command name
     */
    public String commandTopic(String deviceIdSegment, String requestId, String commandName) {
        return commandSegment + "/" + (tenantId == null ? "" : tenantId) + "/"
                + (deviceIdSegment == null ? "" : deviceIdSegment) + "/" + requestSegment + "/"
                + (requestId == null ? "" : requestId) + "/" + commandName;
    }
}
