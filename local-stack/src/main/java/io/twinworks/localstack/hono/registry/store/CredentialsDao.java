package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException.Failure;
import io.vertx.core.json.JsonArray;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code credentials} table (one set per device, with confidential members) and the
 * {@code credential_keys} index of (type, auth-id) to device: SQL only, run inside a transaction of
 * {@link RegistryDatabase}.
 */
final class CredentialsDao {

    private CredentialsDao() {
    }

    /** A device's set; fails with {@link Failure#DEVICE_NOT_FOUND} when the device has none. */
    static StoredResource<List<Credential>> require(Connection connection, String tenantId, String deviceId)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT version, created, updated, document FROM credentials WHERE tenant_id = ? AND device_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new RegistryStoreException(Failure.DEVICE_NOT_FOUND,
                            "device '" + deviceId + "' of tenant '" + tenantId + "' has no credentials record");
                }
                return new StoredResource<>(deviceId, RegistryJsonCodec.parseCredentials(new JsonArray(rs.getString(4))),
                        rs.getString(1), Instant.parse(rs.getString(2)), Sql.instantOrNull(rs.getString(3)));
            }
        }
    }

    /** The device whose credentials have this (type, auth-id) in the tenant, if any. */
    static Optional<String> selectOwner(Connection connection, String tenantId, String type, String authId)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT device_id FROM credential_keys WHERE tenant_id = ? AND type = ? AND auth_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, type);
            ps.setString(3, authId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The empty set of a new device. */
    static void insertEmpty(Connection connection, String tenantId, String deviceId, Instant created) throws SQLException {
        Sql.update(connection, "INSERT INTO credentials (tenant_id, device_id, version, created, updated, document) VALUES (?, ?, ?, ?, NULL, '[]')",
                tenantId, deviceId, Sql.newVersion(), created.toString());
    }

    /** Replaces a device's set and its (type, auth-id) keys. */
    static void replace(Connection connection, String tenantId, StoredResource<List<Credential>> stored) throws SQLException {
        String deviceId = stored.id();
        Sql.update(connection, "UPDATE credentials SET version = ?, updated = ?, document = ? WHERE tenant_id = ? AND device_id = ?",
                stored.version(), stored.updated().toString(),
                RegistryJsonCodec.credentialsToJson(stored.value(), true).encode(), tenantId, deviceId);
        Sql.update(connection, "DELETE FROM credential_keys WHERE tenant_id = ? AND device_id = ?", tenantId, deviceId);
        for (Credential credential : stored.value()) {
            Sql.update(connection, "INSERT INTO credential_keys (tenant_id, type, auth_id, device_id) VALUES (?, ?, ?, ?)",
                    tenantId, credential.type(), credential.authId(), deviceId);
        }
    }
}
