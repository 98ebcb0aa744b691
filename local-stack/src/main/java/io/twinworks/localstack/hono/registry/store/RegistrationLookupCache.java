package io.twinworks.localstack.hono.registry.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registration lookups answered from memory while no write happened since they were read: every PUBLISH
 * asks one (Hono's adapters cache registration assertions for a time; invalidating on every write keeps
 * this one exact). Bounded: cleared when full.
 */
final class RegistrationLookupCache {

    private static final int MAX_CACHED_LOOKUPS = 200_000;

    /** A registration lookup and the write generation it was read in. */
    private record CachedLookup(long generation, RegistrationLookup lookup) {
    }

    /**
     * The IDs a lookup is for. A record, not the IDs joined into one string: joining built and hashed a new string
     * per PUBLISH (JFR, bench ingest); the IDs' own hashes are cached by their strings and, asked again by the
     * same connection, compare by identity.
     */
    private record Key(String tenantId, String deviceId, String gatewayId) {
    }

    private final ConcurrentHashMap<Key, CachedLookup> lookups = new ConcurrentHashMap<>();

    /** The lookup of these IDs if it was read in this write generation. */
    Optional<RegistrationLookup> get(String tenantId, String deviceId, String gatewayId, long generation) {
        CachedLookup cached = lookups.get(key(tenantId, deviceId, gatewayId));
        return cached != null && cached.generation() == generation ? Optional.of(cached.lookup()) : Optional.empty();
    }

    /** Remembers a lookup read in a write generation. */
    void put(String tenantId, String deviceId, String gatewayId, long generation, RegistrationLookup lookup) {
        if (lookups.size() >= MAX_CACHED_LOOKUPS) {
            lookups.clear();
        }
        lookups.put(key(tenantId, deviceId, gatewayId), new CachedLookup(generation, lookup));
    }

    private static Key key(String tenantId, String deviceId, String gatewayId) {
        return new Key(tenantId, deviceId, gatewayId);
    }
}
