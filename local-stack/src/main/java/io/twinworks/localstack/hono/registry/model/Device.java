package io.twinworks.localstack.hono.registry.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A device registration as managed through Hono's management API ({@code Device} schema).
 *
 * @param enabled                 whether the device may connect and send (Hono default: {@code true})
 * @param defaults                default properties (e.g. {@code content-type}, {@code ttl})
 * @param via                     IDs of the gateways allowed to act on behalf of this device
 * @param viaGroups               IDs of the gateway groups allowed to act on behalf of this device
 * @param memberOf                IDs of the gateway groups this device (a gateway) is a member of
 * @param authorities             authorities granted to a gateway (e.g. {@code auto-provisioning-enabled})
 * @param downstreamMessageMapper name of a downstream mapper service, or {@code null}
 * @param upstreamMessageMapper   name of an upstream mapper service, or {@code null}
 * @param commandEndpoint         the {@code command-endpoint} object, empty when absent
 * @param ext                     extension properties
 */
public record Device(
        boolean enabled,
        Map<String, Object> defaults,
        List<String> via,
        List<String> viaGroups,
        List<String> memberOf,
        List<String> authorities,
        String downstreamMessageMapper,
        String upstreamMessageMapper,
        Map<String, Object> commandEndpoint,
        Map<String, Object> ext) {

    public Device {
        defaults = ImmutableJson.copyOf(defaults);
        via = ImmutableJson.copyOfStrings(via);
        viaGroups = ImmutableJson.copyOfStrings(viaGroups);
        memberOf = ImmutableJson.copyOfStrings(memberOf);
        authorities = ImmutableJson.copyOfStrings(authorities);
        commandEndpoint = ImmutableJson.copyOf(commandEndpoint);
        ext = ImmutableJson.copyOf(ext);
        // The schema forbids it: a device is either a gateway group member or served through gateways.
        if (!memberOf.isEmpty() && (!via.isEmpty() || !viaGroups.isEmpty())) {
            throw new IllegalArgumentException("'memberOf' must not be set together with 'via' or 'viaGroups'");
        }
    }

    /** An enabled device with no further configuration, as created from an empty request body. */
    public static Device enabledWithDefaults() {
        return new Device(true, Map.of(), List.of(), List.of(), List.of(), List.of(), null, null, Map.of(), Map.of());
    }

    /**
     * Whether a gateway may act on behalf of this device: it is listed in {@link #via()} or is a
     * member of one of the {@link #viaGroups()}.
     *
     * @param gatewayId     the gateway's device ID
     * @param gatewayGroups the groups the gateway is a member of (its own {@code memberOf})
     */
    public boolean acceptsGateway(String gatewayId, Collection<String> gatewayGroups) {
        return via.contains(gatewayId) || gatewayGroups.stream().anyMatch(viaGroups::contains);
    }

    /** Whether this device could act as a gateway for others by group membership or by being listed in a {@code via}. */
    public boolean isGroupMember() {
        return !memberOf.isEmpty();
    }
}
