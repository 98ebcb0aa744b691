package io.twinworks.localstack.hono.registry.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A resource as stored, with the version Hono returns as {@code ETag} and checks against {@code If-Match}.
 *
 * @param id      the tenant ID, device ID, or (for a credentials set) the device ID
 * @param value   the resource
 * @param version the opaque resource version, new on every change
 * @param created when the resource was created
 * @param updated when it was last changed, or {@code null} if never
 * @param <T>     the resource type
 */
public record StoredResource<T>(String id, T value, String version, Instant created, Instant updated) {
    public StoredResource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(created, "created");
    }
}
