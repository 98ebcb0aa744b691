package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * The device registry's persistent state: tenants, devices and credentials sets as JSON documents
 * in an embedded SQLite database ({@code <stateDir>/hono-registry.db}), each with a resource
 * version. Every change is one transaction, committed with {@code synchronous=FULL} in WAL mode, so
 * an acknowledged change survives {@code kill -9}.
 *
 * <p>Every public method returns a future and runs its JDBC on the store's own worker thread, never on
 * the event loop. SQLite has one writer at a time, so one connection serves all operations under a
 * lock; the lock is never held while hashing passwords (that happens before
 * {@link #replaceCredentials}).
 */
public final class RegistryStore {

    /** The database file name inside the state directory. */
    public static final String DATABASE_FILE_NAME = "hono-registry.db";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryStore.class);
    private static final int SCHEMA_VERSION = 1;

    private final Vertx vertx;
    private final Path databaseFile;
    private final Connection connection;
    private volatile boolean closed;
    /** Bumped after every write transaction; cached registration lookups of an older generation are stale. */
    private final java.util.concurrent.atomic.AtomicLong writeGeneration = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<String, CachedLookup> registrationCache =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_LOOKUPS = 200_000;

    /**
     * The store's own thread (like the twin service's): JDBC and SQLite fsyncs never park the shared
     * worker pool, where bcrypt checks of MQTT logins and other blocking work run.
     */
    private final WorkerExecutor worker;

    private RegistryStore(Vertx vertx, Path databaseFile, Connection connection) {
        this.vertx = vertx;
        this.databaseFile = databaseFile;
        this.connection = connection;
        this.worker = vertx.createSharedWorkerExecutor("hono-registry-store", 1);
    }

    /**
     * Opens (creating if needed) the registry database in a state directory.
     *
     * @param vertx    the Vert.x instance whose worker pool runs the JDBC
     * @param stateDir the local stack's state directory (created if missing)
     */
    public static Future<RegistryStore> open(Vertx vertx, Path stateDir) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(stateDir, "stateDir");
        return vertx.executeBlocking(() -> {
            Files.createDirectories(stateDir);
            Path file = stateDir.resolve(DATABASE_FILE_NAME);
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try {
                initialise(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            LOG.info("device registry store opened at {}", file);
            return new RegistryStore(vertx, file, connection);
        }, false);
    }

    private static void initialise(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            // FULL: a commit is on disk before the API answers, whatever happens to the process after.
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA busy_timeout=5000");
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("registry database schema version " + version
                        + " is newer than this program's " + SCHEMA_VERSION);
            }
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS tenants (
                      tenant_id TEXT PRIMARY KEY, version TEXT NOT NULL,
                      created TEXT NOT NULL, updated TEXT, document TEXT NOT NULL)""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS devices (
                      tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, version TEXT NOT NULL,
                      created TEXT NOT NULL, updated TEXT, document TEXT NOT NULL,
                      PRIMARY KEY (tenant_id, device_id))""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS credentials (
                      tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, version TEXT NOT NULL,
                      created TEXT NOT NULL, updated TEXT, document TEXT NOT NULL,
                      PRIMARY KEY (tenant_id, device_id))""");
            // The tenant-wide uniqueness of (type, auth-id) and the login lookup both use this table.
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS credential_keys (
                      tenant_id TEXT NOT NULL, type TEXT NOT NULL, auth_id TEXT NOT NULL, device_id TEXT NOT NULL,
                      PRIMARY KEY (tenant_id, type, auth_id))""");
            statement.execute("CREATE INDEX IF NOT EXISTS credential_keys_by_device ON credential_keys (tenant_id, device_id)");
            statement.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    /** The database file. */
    public Path databaseFile() {
        return databaseFile;
    }

    // ------------------------------------------------------------------ tenants

    /**
     * Creates a tenant.
     *
     * @param tenantId the ID, or {@code null} to generate one
     */
    public Future<StoredResource<Tenant>> createTenant(String tenantId, Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return inWriteTransaction(() -> {
            String id = tenantId == null ? UUID.randomUUID().toString() : tenantId;
            if (selectTenant(id).isPresent()) {
                throw new RegistryStoreException(Failure.CONFLICT, "tenant '" + id + "' already exists");
            }
            StoredResource<Tenant> stored = new StoredResource<>(id, tenant, newVersion(), Instant.now(), null);
            update("INSERT INTO tenants (tenant_id, version, created, updated, document) VALUES (?, ?, ?, NULL, ?)",
                    id, stored.version(), stored.created().toString(), RegistryJsonCodec.tenantToJson(tenant).encode());
            return stored;
        });
    }

    /** Reads a tenant; fails with {@link Failure#TENANT_NOT_FOUND}. */
    public Future<StoredResource<Tenant>> readTenant(String tenantId) {
        return inTransaction(() -> requireTenant(tenantId));
    }

    /** Replaces a tenant's configuration. */
    public Future<StoredResource<Tenant>> updateTenant(String tenantId, Tenant tenant, Optional<String> expectedVersion) {
        Objects.requireNonNull(tenant, "tenant");
        return inWriteTransaction(() -> {
            StoredResource<Tenant> current = requireTenant(tenantId);
            checkVersion(current, expectedVersion, "tenant '" + tenantId + "'");
            StoredResource<Tenant> stored = new StoredResource<>(tenantId, tenant, newVersion(), current.created(), Instant.now());
            update("UPDATE tenants SET version = ?, updated = ?, document = ? WHERE tenant_id = ?",
                    stored.version(), stored.updated().toString(), RegistryJsonCodec.tenantToJson(tenant).encode(), tenantId);
            return stored;
        });
    }

    /** Deletes a tenant with all its devices and credentials. */
    public Future<Void> deleteTenant(String tenantId, Optional<String> expectedVersion) {
        return inWriteTransaction(() -> {
            StoredResource<Tenant> current = requireTenant(tenantId);
            checkVersion(current, expectedVersion, "tenant '" + tenantId + "'");
            for (String table : List.of("credential_keys", "credentials", "devices", "tenants")) {
                update("DELETE FROM " + table + " WHERE tenant_id = ?", tenantId);
            }
            return null;
        });
    }

    /** All tenants, ordered by ID. */
    public Future<List<StoredResource<Tenant>>> listTenants() {
        return inTransaction(() -> {
            List<StoredResource<Tenant>> tenants = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT tenant_id, version, created, updated, document FROM tenants ORDER BY tenant_id")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tenants.add(new StoredResource<>(rs.getString(1),
                                RegistryJsonCodec.parseTenant(new JsonObject(rs.getString(5))),
                                rs.getString(2), Instant.parse(rs.getString(3)), instantOrNull(rs.getString(4))));
                    }
                }
            }
            return tenants;
        });
    }

    // ------------------------------------------------------------------ devices

    /**
     * Registers a device of an existing tenant, with an empty credentials set.
     *
     * @param deviceId the ID, or {@code null} to generate one
     */
    public Future<StoredResource<Device>> createDevice(String tenantId, String deviceId, Device device) {
        Objects.requireNonNull(device, "device");
        return inWriteTransaction(() -> {
            requireTenant(tenantId);
            String id = deviceId == null ? UUID.randomUUID().toString() : deviceId;
            if (selectDevice(tenantId, id).isPresent()) {
                throw new RegistryStoreException(Failure.CONFLICT,
                        "device '" + id + "' of tenant '" + tenantId + "' already exists");
            }
            StoredResource<Device> stored = new StoredResource<>(id, device, newVersion(), Instant.now(), null);
            update("INSERT INTO devices (tenant_id, device_id, version, created, updated, document) VALUES (?, ?, ?, ?, NULL, ?)",
                    tenantId, id, stored.version(), stored.created().toString(), RegistryJsonCodec.deviceToJson(device).encode());
            update("INSERT INTO credentials (tenant_id, device_id, version, created, updated, document) VALUES (?, ?, ?, ?, NULL, '[]')",
                    tenantId, id, newVersion(), stored.created().toString());
            return stored;
        });
    }

    /** Reads a device; fails with {@link Failure#TENANT_NOT_FOUND} or {@link Failure#DEVICE_NOT_FOUND}. */
    public Future<StoredResource<Device>> readDevice(String tenantId, String deviceId) {
        return inTransaction(() -> {
            requireTenant(tenantId);
            return requireDevice(tenantId, deviceId);
        });
    }

    /** Replaces a device's registration. */
    public Future<StoredResource<Device>> updateDevice(String tenantId, String deviceId, Device device,
                                                       Optional<String> expectedVersion) {
        Objects.requireNonNull(device, "device");
        return inWriteTransaction(() -> {
            requireTenant(tenantId);
            StoredResource<Device> current = requireDevice(tenantId, deviceId);
            checkVersion(current, expectedVersion, "device '" + deviceId + "'");
            StoredResource<Device> stored = new StoredResource<>(deviceId, device, newVersion(), current.created(), Instant.now());
            update("UPDATE devices SET version = ?, updated = ?, document = ? WHERE tenant_id = ? AND device_id = ?",
                    stored.version(), stored.updated().toString(), RegistryJsonCodec.deviceToJson(device).encode(),
                    tenantId, deviceId);
            return stored;
        });
    }

    /** Deletes a device and its credentials. */
    public Future<Void> deleteDevice(String tenantId, String deviceId, Optional<String> expectedVersion) {
        return inWriteTransaction(() -> {
            requireTenant(tenantId);
            StoredResource<Device> current = requireDevice(tenantId, deviceId);
            checkVersion(current, expectedVersion, "device '" + deviceId + "'");
            for (String table : List.of("credential_keys", "credentials", "devices")) {
                update("DELETE FROM " + table + " WHERE tenant_id = ? AND device_id = ?", tenantId, deviceId);
            }
            return null;
        });
    }

    /** Deletes all devices (and credentials) of a tenant, keeping the tenant. */
    public Future<Void> deleteDevicesOfTenant(String tenantId) {
        return inWriteTransaction(() -> {
            requireTenant(tenantId);
            for (String table : List.of("credential_keys", "credentials", "devices")) {
                update("DELETE FROM " + table + " WHERE tenant_id = ?", tenantId);
            }
            return null;
        });
    }

    /** All devices of a tenant, ordered by ID; fails with {@link Failure#TENANT_NOT_FOUND}. */
    public Future<List<StoredResource<Device>>> listDevices(String tenantId) {
        return inTransaction(() -> {
            requireTenant(tenantId);
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
        });
    }

    // ------------------------------------------------------------------ credentials

    /** Reads a device's credentials set, with its confidential members; fails when tenant or device is unknown. */
    public Future<StoredResource<List<Credential>>> readCredentials(String tenantId, String deviceId) {
        return inTransaction(() -> {
            requireTenant(tenantId);
            requireDevice(tenantId, deviceId);
            return requireCredentials(tenantId, deviceId);
        });
    }

    /**
     * Replaces a device's credentials set in one transaction.
     *
     * @param resolve         computes the new set from the current one (Hono's patch mode: secrets
     *                        referring to existing ones by ID take over their hashes). It must not
     *                        block: it runs under the store's lock. It may throw
     *                        {@link RegistryStoreException} with {@link Failure#INVALID}.
     * @param expectedVersion the {@code If-Match} version, if any
     * @return the stored set
     */
    public Future<StoredResource<List<Credential>>> replaceCredentials(
            String tenantId, String deviceId, UnaryOperator<List<Credential>> resolve, Optional<String> expectedVersion) {
        Objects.requireNonNull(resolve, "resolve");
        return inWriteTransaction(() -> {
            requireTenant(tenantId);
            requireDevice(tenantId, deviceId);
            StoredResource<List<Credential>> current = requireCredentials(tenantId, deviceId);
            checkVersion(current, expectedVersion, "credentials of device '" + deviceId + "'");
            List<Credential> replacement = resolve.apply(current.value());
            for (Credential credential : replacement) {
                Optional<String> owner = selectCredentialOwner(tenantId, credential.type(), credential.authId());
                if (owner.isPresent() && !owner.get().equals(deviceId)) {
                    throw new RegistryStoreException(Failure.CONFLICT, "credentials of type '" + credential.type()
                            + "' with auth-id '" + credential.authId() + "' belong to another device of tenant '"
                            + tenantId + "'");
                }
            }
            String document = RegistryJsonCodec.credentialsToJson(replacement, true).encode();
            StoredResource<List<Credential>> stored = new StoredResource<>(deviceId, replacement, newVersion(),
                    current.created(), Instant.now());
            update("UPDATE credentials SET version = ?, updated = ?, document = ? WHERE tenant_id = ? AND device_id = ?",
                    stored.version(), stored.updated().toString(), document, tenantId, deviceId);
            update("DELETE FROM credential_keys WHERE tenant_id = ? AND device_id = ?", tenantId, deviceId);
            for (Credential credential : replacement) {
                update("INSERT INTO credential_keys (tenant_id, type, auth_id, device_id) VALUES (?, ?, ?, ?)",
                        tenantId, credential.type(), credential.authId(), deviceId);
            }
            return stored;
        });
    }

    /** Looks up the tenant, the device owning (type, auth-id) and those credentials, for a login. */
    public Future<AuthenticationLookup> lookupForAuthentication(String tenantId, String type, String authId) {
        return inTransaction(() -> {
            Optional<StoredResource<Tenant>> tenant = selectTenant(tenantId);
            if (tenant.isEmpty()) {
                return new AuthenticationLookup(null, null, null, null);
            }
            Optional<String> owner = selectCredentialOwner(tenantId, type, authId);
            if (owner.isEmpty()) {
                return new AuthenticationLookup(tenant.get().value(), null, null, null);
            }
            String deviceId = owner.get();
            Device device = selectDevice(tenantId, deviceId).map(StoredResource::value).orElse(null);
            Credential credential = requireCredentials(tenantId, deviceId).value().stream()
                    .filter(c -> c.matches(type, authId)).findFirst().orElse(null);
            return new AuthenticationLookup(tenant.get().value(), deviceId, device, credential);
        });
    }

    /** Looks up tenant, device and (if asked) gateway for a registration assertion. */
    public Future<RegistrationLookup> lookupForRegistration(String tenantId, String deviceId, String gatewayId) {
        // every PUBLISH asks this: answered from memory while no write happened since (Hono's adapters cache
        // registration assertions for a time; invalidating on every write keeps this one exact)
        String key = tenantId + '\u0000' + deviceId + '\u0000' + gatewayId;
        long generation = writeGeneration.get();
        CachedLookup cached = registrationCache.get(key);
        if (cached != null && cached.generation() == generation) {
            return Future.succeededFuture(cached.lookup());
        }
        return this.<RegistrationLookup>inTransaction(() -> {
            Optional<StoredResource<Tenant>> tenant = selectTenant(tenantId);
            if (tenant.isEmpty()) {
                return new RegistrationLookup(null, null, null);
            }
            Device device = selectDevice(tenantId, deviceId).map(StoredResource::value).orElse(null);
            Device gateway = gatewayId == null ? null
                    : selectDevice(tenantId, gatewayId).map(StoredResource::value).orElse(null);
            return new RegistrationLookup(tenant.get().value(), device, gateway);
        }).onSuccess(lookup -> {
            if (registrationCache.size() >= MAX_CACHED_LOOKUPS) {
                registrationCache.clear();
            }
            registrationCache.put(key, new CachedLookup(generation, lookup));
        });
    }

    /** A registration lookup and the write generation it was read in. */
    private record CachedLookup(long generation, RegistrationLookup lookup) {
    }

    /** Whether the store is open (in memory: for readiness probes, which must not queue behind writes). */
    public boolean isOpen() {
        return !closed;
    }

    /** Whether the database answers a trivial query. */
    public Future<Void> checkHealth() {
        return inTransaction(() -> {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                rs.next();
            }
            return null;
        });
    }

    /** Closes the database; later operations fail. */
    public Future<Void> close() {
        return worker.<Void>executeBlocking(() -> {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    connection.close();
                    LOG.info("device registry store closed");
                }
            }
            return null;
        }, true).eventually(() -> worker.close());
    }

    // ------------------------------------------------------------------ internals (worker thread, under lock)

    /** A transaction that changes data: cached lookups read before it are stale once it committed. */
    private <T> Future<T> inWriteTransaction(Callable<T> work) {
        return this.<T>inTransaction(work).onComplete(done -> writeGeneration.incrementAndGet());
    }

    private <T> Future<T> inTransaction(Callable<T> work) {
        if (closed) {
            // the store's thread is gone with it: fail here rather than with the executor's rejection
            return Future.failedFuture(new IllegalStateException("the device registry store is closed"));
        }
        return worker.executeBlocking(() -> {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the device registry store is closed");
                }
                connection.setAutoCommit(false);
                try {
                    T result = work.call();
                    connection.commit();
                    return result;
                } catch (Exception e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }, true);
    }

    private StoredResource<Tenant> requireTenant(String tenantId) throws SQLException {
        return selectTenant(tenantId).orElseThrow(() ->
                new RegistryStoreException(Failure.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist"));
    }

    private StoredResource<Device> requireDevice(String tenantId, String deviceId) throws SQLException {
        return selectDevice(tenantId, deviceId).orElseThrow(() -> new RegistryStoreException(Failure.DEVICE_NOT_FOUND,
                "device '" + deviceId + "' of tenant '" + tenantId + "' does not exist"));
    }

    private Optional<StoredResource<Tenant>> selectTenant(String tenantId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT version, created, updated, document FROM tenants WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredResource<>(tenantId,
                        RegistryJsonCodec.parseTenant(new JsonObject(rs.getString(4))),
                        rs.getString(1), Instant.parse(rs.getString(2)), instantOrNull(rs.getString(3))));
            }
        }
    }

    private Optional<StoredResource<Device>> selectDevice(String tenantId, String deviceId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT device_id, version, created, updated, document FROM devices WHERE tenant_id = ? AND device_id = ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(deviceFrom(rs)) : Optional.empty();
            }
        }
    }

    private static StoredResource<Device> deviceFrom(ResultSet rs) throws SQLException {
        return new StoredResource<>(rs.getString(1), RegistryJsonCodec.parseDevice(new JsonObject(rs.getString(5))),
                rs.getString(2), Instant.parse(rs.getString(3)), instantOrNull(rs.getString(4)));
    }

    private StoredResource<List<Credential>> requireCredentials(String tenantId, String deviceId) throws SQLException {
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
                        rs.getString(1), Instant.parse(rs.getString(2)), instantOrNull(rs.getString(3)));
            }
        }
    }

    private Optional<String> selectCredentialOwner(String tenantId, String type, String authId) throws SQLException {
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

    private void update(String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            ps.executeUpdate();
        }
    }

    private static void checkVersion(StoredResource<?> current, Optional<String> expectedVersion, String what) {
        if (expectedVersion.isPresent() && !expectedVersion.get().equals(current.version())) {
            throw new RegistryStoreException(Failure.PRECONDITION_FAILED,
                    "the version of " + what + " is not the one given in If-Match");
        }
    }

    private static String newVersion() {
        return UUID.randomUUID().toString();
    }

    private static Instant instantOrNull(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
