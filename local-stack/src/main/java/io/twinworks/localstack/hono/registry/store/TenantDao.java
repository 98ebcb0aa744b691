package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException.Failure;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code tenants} table: SQL only, run inside a transaction of {@link RegistryDatabase}. */
final class TenantDao {

    private TenantDao() {
    }

    static Optional<StoredResource<Tenant>> select(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT version, created, updated, document FROM tenants WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredResource<>(tenantId,
                        RegistryJsonCodec.parseTenant(new JsonObject(rs.getString(4))),
                        rs.getString(1), Instant.parse(rs.getString(2)), Sql.instantOrNull(rs.getString(3))));
            }
        }
    }

    /** The tenant; fails with {@link Failure#TENANT_NOT_FOUND}. */
    static StoredResource<Tenant> require(Connection connection, String tenantId) throws SQLException {
        return select(connection, tenantId).orElseThrow(() ->
                new RegistryStoreException(Failure.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist"));
    }

    static List<StoredResource<Tenant>> list(Connection connection) throws SQLException {
        List<StoredResource<Tenant>> tenants = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT tenant_id, version, created, updated, document FROM tenants ORDER BY tenant_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tenants.add(new StoredResource<>(rs.getString(1),
                            RegistryJsonCodec.parseTenant(new JsonObject(rs.getString(5))),
                            rs.getString(2), Instant.parse(rs.getString(3)), Sql.instantOrNull(rs.getString(4))));
                }
            }
        }
        return tenants;
    }

    static void insert(Connection connection, StoredResource<Tenant> stored) throws SQLException {
        Sql.update(connection, "INSERT INTO tenants (tenant_id, version, created, updated, document) VALUES (?, ?, ?, NULL, ?)",
                stored.id(), stored.version(), stored.created().toString(),
                RegistryJsonCodec.tenantToJson(stored.value()).encode());
    }

    static void update(Connection connection, StoredResource<Tenant> stored) throws SQLException {
        Sql.update(connection, "UPDATE tenants SET version = ?, updated = ?, document = ? WHERE tenant_id = ?",
                stored.version(), stored.updated().toString(), RegistryJsonCodec.tenantToJson(stored.value()).encode(),
                stored.id());
    }

    /** Deletes the tenant row only (its devices and credentials: {@link DeviceDao#deleteAllOf}). */
    static void delete(Connection connection, String tenantId) throws SQLException {
        Sql.update(connection, "DELETE FROM tenants WHERE tenant_id = ?", tenantId);
    }
}
