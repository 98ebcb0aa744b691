package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Device;
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

/** The {@code devices} table: SQL only, run inside a transaction of {@link RegistryDatabase}. */
final class DeviceDao {

    /** The tables holding a device's rows, children first (deleted in this order). */
    private static final List<String> DEVICE_TABLES = List.of("credential_keys", "credentials", "devices");

    private DeviceDao() {
    }

    static Optional<StoredResource<Device>> select(Connection connection, String tenantId, String deviceId)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT device_id, version, created, updated, document FROM devices WHERE tenant_id = ? AND device_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(deviceFrom(rs)) : Optional.empty();
            }
        }
    }

    /** The device; fails with {@link Failure#DEVICE_NOT_FOUND}. */
    static StoredResource<Device> require(Connection connection, String tenantId, String deviceId) throws SQLException {
        return select(connection, tenantId, deviceId).orElseThrow(() -> new RegistryStoreException(Failure.DEVICE_NOT_FOUND,
                "device '" + deviceId + "' of tenant '" + tenantId + "' does not exist"));
    }

    /** The devices of a tenant, ordered by ID. */
    static List<StoredResource<Device>> list(Connection connection, String tenantId) throws SQLException {
        List<StoredResource<Device>> devices = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT device_id, version, created, updated, document FROM devices WHERE tenant_id = ? ORDER BY device_id")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    devices.add(deviceFrom(rs));
                }
            }
        }
        return devices;
    }

    static void insert(Connection connection, String tenantId, StoredResource<Device> stored) throws SQLException {
        Sql.update(connection, "INSERT INTO devices (tenant_id, device_id, version, created, updated, document) VALUES (?, ?, ?, ?, NULL, ?)",
                tenantId, stored.id(), stored.version(), stored.created().toString(),
                RegistryJsonCodec.deviceToJson(stored.value()).encode());
    }

    static void update(Connection connection, String tenantId, StoredResource<Device> stored) throws SQLException {
        Sql.update(connection, "UPDATE devices SET version = ?, updated = ?, document = ? WHERE tenant_id = ? AND device_id = ?",
                stored.version(), stored.updated().toString(), RegistryJsonCodec.deviceToJson(stored.value()).encode(),
                tenantId, stored.id());
    }

    /** Deletes a device with its credentials. */
    static void delete(Connection connection, String tenantId, String deviceId) throws SQLException {
        for (String table : DEVICE_TABLES) {
            Sql.update(connection, "DELETE FROM " + table + " WHERE tenant_id = ? AND device_id = ?", tenantId, deviceId);
        }
    }

    /** Deletes every device of a tenant with their credentials. */
    static void deleteAllOf(Connection connection, String tenantId) throws SQLException {
        for (String table : DEVICE_TABLES) {
            Sql.update(connection, "DELETE FROM " + table + " WHERE tenant_id = ?", tenantId);
        }
    }

    private static StoredResource<Device> deviceFrom(ResultSet rs) throws SQLException {
        return new StoredResource<>(rs.getString(1), RegistryJsonCodec.parseDevice(new JsonObject(rs.getString(5))),
                rs.getString(2), Instant.parse(rs.getString(3)), Sql.instantOrNull(rs.getString(4)));
    }
}
