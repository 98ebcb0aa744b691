package io.twinworks.localstack.hono.registry.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant as registered through Hono's management API ({@code Tenant} schema of
 * {@code device-registry-v1.yaml}).
 *
 * @param enabled            whether devices of the tenant may connect at all (Hono default: {@code true})
 * @param alias              an alternative identifier, or {@code null}
 * @param ext                extension properties
 * @param defaults           default properties for the tenant's devices
 * @param adapters           per-adapter configuration objects (each with a {@code type}); empty = all adapters enabled
 * @param otherConfiguration the remaining schema members the local stack stores and returns but does not
 *                           act on ({@code minimum-message-size}, {@code registration-limits},
 *                           {@code resource-limits}, {@code tracing}, {@code trust-anchor-group}, {@code trusted-ca})
 */
public record Tenant(
        boolean enabled,
        String alias,
        Map<String, Object> ext,
        Map<String, Object> defaults,
        List<Map<String, Object>> adapters,
        Map<String, Object> otherConfiguration) {

    /** The schema members kept in {@link #otherConfiguration()}. */
    public static final Set<String> OTHER_CONFIGURATION_MEMBERS = Set.of(
            "minimum-message-size", "registration-limits", "resource-limits", "tracing",
            "trust-anchor-group", "trusted-ca");

    public Tenant {
        ext = ImmutableJson.copyOf(ext);
        defaults = ImmutableJson.copyOf(defaults);
        adapters = adapters == null ? List.of() : adapters.stream().map(ImmutableJson::copyOf).toList();
        otherConfiguration = ImmutableJson.copyOf(otherConfiguration);
        if (!OTHER_CONFIGURATION_MEMBERS.containsAll(otherConfiguration.keySet())) {
            throw new IllegalArgumentException("unknown tenant members " + otherConfiguration.keySet());
        }
    }

    /** An enabled tenant with no further configuration, as created from an empty request body. */
    public static Tenant enabledWithDefaults() {
        return new Tenant(true, null, Map.of(), Map.of(), List.of(), Map.of());
    }
}
