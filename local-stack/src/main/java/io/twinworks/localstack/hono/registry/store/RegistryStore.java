package io.twinworks.localstack.hono.registry.store;

import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The device registry's persistent state: tenants, devices and credentials sets as JSON documents
 * in an embedded SQLite database ({@code <stateDir>/hono-registry.db}), each with a resource
 * version. Every change is one transaction, committed with {@code synchronous=FULL} in WAL mode, so
 * an acknowledged change survives {@code kill -9}.
 *
 * <p>Every public method returns a future and runs its JDBC on the store's own worker thread, never on
 * the event loop. The pieces: {@link RegistryDatabase} (schema, connection, the one-thread transactions),
 * {@link TenantDao}, {@link DeviceDao} and {@link CredentialsDao} (the SQL of each table), and
 * {@link RegistrationLookupCache}; this class composes them into the registry's operations and their
 * checks (existence, uniqueness, {@code If-Match} versions). The database lock is never held while
 * hashing passwords (that happens before {@link #replaceCredentials}).
 */
public final class RegistryStore {

    /** The database file name inside the state directory. */
    public static final String DATABASE_FILE_NAME = "hono-registry.db";

    private final RegistryDatabase database;
    private final RegistrationLookupCache registrationCache = new RegistrationLookupCache();

    private RegistryStore(RegistryDatabase database) {
        this.database = database;
    }

    /**
     * Opens (creating if needed) the registry database in a state directory.
     *
     * @param vertx    the Vert.x instance whose worker pool runs the JDBC
     * @param stateDir the local stack's state directory (created if missing)
     */
    public static Future<RegistryStore> open(Vertx vertx, Path stateDir) {
        return RegistryDatabase.open(vertx, stateDir, DATABASE_FILE_NAME).map(RegistryStore::new);
    }

    /** The database file. */
    public Path databaseFile() {
        return database.file();
    }

    // ------------------------------------------------------------------ tenants

    /**
     * Creates a tenant.
     *
     * @param tenantId the ID, or {@code null} to generate one
     */
    public Future<StoredResource<Tenant>> createTenant(String tenantId, Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return database.inWriteTransaction(connection -> {
            String id = tenantId == null ? UUID.randomUUID().toString() : tenantId;
            if (TenantDao.select(connection, id).isPresent()) {
                throw new RegistryStoreException(Failure.CONFLICT, "tenant '" + id + "' already exists");
            }
            StoredResource<Tenant> stored = new StoredResource<>(id, tenant, Sql.newVersion(), Instant.now(), null);
            TenantDao.insert(connection, stored);
            return stored;
        });
    }

    /** Reads a tenant; fails with {@link Failure#TENANT_NOT_FOUND}. */
    public Future<StoredResource<Tenant>> readTenant(String tenantId) {
        return database.inTransaction(connection -> TenantDao.require(connection, tenantId));
    }

    /** Replaces a tenant's configuration. */
    public Future<StoredResource<Tenant>> updateTenant(String tenantId, Tenant tenant, Optional<String> expectedVersion) {
        Objects.requireNonNull(tenant, "tenant");
        return database.inWriteTransaction(connection -> {
            StoredResource<Tenant> current = TenantDao.require(connection, tenantId);
            checkVersion(current, expectedVersion, "tenant '" + tenantId + "'");
            StoredResource<Tenant> stored = new StoredResource<>(tenantId, tenant, Sql.newVersion(), current.created(),
                    Instant.now());
            TenantDao.update(connection, stored);
            return stored;
        });
    }

    /** Deletes a tenant with all its devices and credentials. */
    public Future<Void> deleteTenant(String tenantId, Optional<String> expectedVersion) {
        return database.inWriteTransaction(connection -> {
            StoredResource<Tenant> current = TenantDao.require(connection, tenantId);
            checkVersion(current, expectedVersion, "tenant '" + tenantId + "'");
            DeviceDao.deleteAllOf(connection, tenantId);
            TenantDao.delete(connection, tenantId);
            return null;
        });
    }

    /** All tenants, ordered by ID. */
    public Future<List<StoredResource<Tenant>>> listTenants() {
        return database.inTransaction(TenantDao::list);
    }

    // ------------------------------------------------------------------ devices

    /**
     * Registers a device of an existing tenant, with an empty credentials set.
     *
     * @param deviceId the ID, or {@code null} to generate one
     */
    public Future<StoredResource<Device>> createDevice(String tenantId, String deviceId, Device device) {
        Objects.requireNonNull(device, "device");
        return database.inWriteTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            String id = deviceId == null ? UUID.randomUUID().toString() : deviceId;
            if (DeviceDao.select(connection, tenantId, id).isPresent()) {
                throw new RegistryStoreException(Failure.CONFLICT,
                        "device '" + id + "' of tenant '" + tenantId + "' already exists");
            }
            StoredResource<Device> stored = new StoredResource<>(id, device, Sql.newVersion(), Instant.now(), null);
            DeviceDao.insert(connection, tenantId, stored);
            CredentialsDao.insertEmpty(connection, tenantId, id, stored.created());
            return stored;
        });
    }

    /** Reads a device; fails with {@link Failure#TENANT_NOT_FOUND} or {@link Failure#DEVICE_NOT_FOUND}. */
    public Future<StoredResource<Device>> readDevice(String tenantId, String deviceId) {
        return database.inTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            return DeviceDao.require(connection, tenantId, deviceId);
        });
    }

    /** Replaces a device's registration. */
    public Future<StoredResource<Device>> updateDevice(String tenantId, String deviceId, Device device,
                                                       Optional<String> expectedVersion) {
        Objects.requireNonNull(device, "device");
        return database.inWriteTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            StoredResource<Device> current = DeviceDao.require(connection, tenantId, deviceId);
            checkVersion(current, expectedVersion, "device '" + deviceId + "'");
            StoredResource<Device> stored = new StoredResource<>(deviceId, device, Sql.newVersion(), current.created(),
                    Instant.now());
            DeviceDao.update(connection, tenantId, stored);
            return stored;
        });
    }

    /** Deletes a device and its credentials. */
    public Future<Void> deleteDevice(String tenantId, String deviceId, Optional<String> expectedVersion) {
        return database.inWriteTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            StoredResource<Device> current = DeviceDao.require(connection, tenantId, deviceId);
            checkVersion(current, expectedVersion, "device '" + deviceId + "'");
            DeviceDao.delete(connection, tenantId, deviceId);
            return null;
        });
    }

    /** Deletes all devices (and credentials) of a tenant, keeping the tenant. */
    public Future<Void> deleteDevicesOfTenant(String tenantId) {
        return database.inWriteTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            DeviceDao.deleteAllOf(connection, tenantId);
            return null;
        });
    }

    /** All devices of a tenant, ordered by ID; fails with {@link Failure#TENANT_NOT_FOUND}. */
    public Future<List<StoredResource<Device>>> listDevices(String tenantId) {
        return database.inTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            return DeviceDao.list(connection, tenantId);
        });
    }

    // ------------------------------------------------------------------ credentials

    /** Reads a device's credentials set, with its confidential members; fails when tenant or device is unknown. */
    public Future<StoredResource<List<Credential>>> readCredentials(String tenantId, String deviceId) {
        return database.inTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            DeviceDao.require(connection, tenantId, deviceId);
            return CredentialsDao.require(connection, tenantId, deviceId);
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
        return database.inWriteTransaction(connection -> {
            TenantDao.require(connection, tenantId);
            DeviceDao.require(connection, tenantId, deviceId);
            StoredResource<List<Credential>> current = CredentialsDao.require(connection, tenantId, deviceId);
            checkVersion(current, expectedVersion, "credentials of device '" + deviceId + "'");
            List<Credential> replacement = resolve.apply(current.value());
            for (Credential credential : replacement) {
                Optional<String> owner = CredentialsDao.selectOwner(connection, tenantId, credential.type(), credential.authId());
                if (owner.isPresent() && !owner.get().equals(deviceId)) {
                    throw new RegistryStoreException(Failure.CONFLICT, "credentials of type '" + credential.type()
                            + "' with auth-id '" + credential.authId() + "' belong to another device of tenant '"
                            + tenantId + "'");
                }
            }
            StoredResource<List<Credential>> stored = new StoredResource<>(deviceId, replacement, Sql.newVersion(),
                    current.created(), Instant.now());
            CredentialsDao.replace(connection, tenantId, stored);
            return stored;
        });
    }

    /** Looks up the tenant, the device owning (type, auth-id) and those credentials, for a login. */
    public Future<AuthenticationLookup> lookupForAuthentication(String tenantId, String type, String authId) {
        return database.inTransaction(connection -> {
            Optional<StoredResource<Tenant>> tenant = TenantDao.select(connection, tenantId);
            if (tenant.isEmpty()) {
                return new AuthenticationLookup(null, null, null, null);
            }
            Optional<String> owner = CredentialsDao.selectOwner(connection, tenantId, type, authId);
            if (owner.isEmpty()) {
                return new AuthenticationLookup(tenant.get().value(), null, null, null);
            }
            String deviceId = owner.get();
            Device device = DeviceDao.select(connection, tenantId, deviceId).map(StoredResource::value).orElse(null);
            Credential credential = CredentialsDao.require(connection, tenantId, deviceId).value().stream()
                    .filter(c -> c.matches(type, authId)).findFirst().orElse(null);
            return new AuthenticationLookup(tenant.get().value(), deviceId, device, credential);
        });
    }

    /** Looks up tenant, device and (if asked) gateway for a registration assertion. */
    public Future<RegistrationLookup> lookupForRegistration(String tenantId, String deviceId, String gatewayId) {
        long generation = database.writeGeneration();
        Optional<RegistrationLookup> cached = registrationCache.get(tenantId, deviceId, gatewayId, generation);
        if (cached.isPresent()) {
            return Future.succeededFuture(cached.get());
        }
        return database.<RegistrationLookup>inTransaction(connection -> {
            Optional<StoredResource<Tenant>> tenant = TenantDao.select(connection, tenantId);
            if (tenant.isEmpty()) {
                return new RegistrationLookup(null, null, null);
            }
            Device device = DeviceDao.select(connection, tenantId, deviceId).map(StoredResource::value).orElse(null);
            Device gateway = gatewayId == null ? null
                    : DeviceDao.select(connection, tenantId, gatewayId).map(StoredResource::value).orElse(null);
            return new RegistrationLookup(tenant.get().value(), device, gateway);
        }).onSuccess(lookup -> registrationCache.put(tenantId, deviceId, gatewayId, generation, lookup));
    }

    /** Whether the store is open (in memory: for readiness probes, which must not queue behind writes). */
    public boolean isOpen() {
        return database.isOpen();
    }

    /** Whether the database answers a trivial query. */
    public Future<Void> checkHealth() {
        return database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                rs.next();
            }
            return null;
        });
    }

    /** Closes the database; later operations fail. */
    public Future<Void> close() {
        return database.close();
    }

    private static void checkVersion(StoredResource<?> current, Optional<String> expectedVersion, String what) {
        if (expectedVersion.isPresent() && !expectedVersion.get().equals(current.version())) {
            throw new RegistryStoreException(Failure.PRECONDITION_FAILED,
                    "the version of " + what + " is not the one given in If-Match");
        }
    }
}
