package io.twinworks.localstack.hono.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.provisioning.ProvisioningFileLoader;
import io.twinworks.localstack.hono.registry.provisioning.ProvisioningReport;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The local stack's Hono device registry as one object: its store, the
 * {@link DeviceRegistryService} protocol adapters use, credentials management and provisioning.
 * The HTTP management API ({@link io.twinworks.localstack.hono.registry.http.DeviceRegistryManagementApi},
 * {@link io.twinworks.localstack.hono.registry.http.DeviceRegistryHttpServer}) is built on it.
 *
 * <pre>{@code
 * HonoDeviceRegistry.open(vertx, config, meters)
 *     .compose(registry -> registry.provisionFromConfig(config).map(registry))
 *     .compose(registry -> new DeviceRegistryHttpServer(vertx, registry, meters, config).start().map(port -> registry)))
 * }</pre>
 */
public final class HonoDeviceRegistry {

    private final RegistryStore store;
    private final PasswordHashing hashing;
    private final CredentialsManagement credentials;
    private final PersistentDeviceRegistryService service;
    private final ProvisioningFileLoader provisioning;

    /**
     * Assembles the registry over an open store.
     *
     * @param vertx   runs JDBC and password hashing on its worker pool
     * @param store   the open store (closed by {@link #close()})
     * @param hashing the password hashing
     * @param clock   the time secrets' validity is checked against
     * @param meters  receives the registry's metrics
     */
    public HonoDeviceRegistry(Vertx vertx, RegistryStore store, PasswordHashing hashing, Clock clock, MeterRegistry meters) {
        this.store = Objects.requireNonNull(store, "store");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
        this.credentials = new CredentialsManagement(vertx, store, hashing);
        this.service = new PersistentDeviceRegistryService(vertx, store, hashing, clock, meters);
        this.provisioning = new ProvisioningFileLoader(vertx, store, credentials, hashing);
    }

    /**
     * Opens the registry in the configured state directory ({@code <stateDir>/hono-registry.db}),
     * hashing new passwords with the configured BCrypt cost.
     */
    public static Future<HonoDeviceRegistry> open(Vertx vertx, LocalStackConfig config, MeterRegistry meters) {
        PasswordHashing hashing = new PasswordHashing(config.bcryptCost());
        return RegistryStore.open(vertx, config.stateDir())
                .map(store -> new HonoDeviceRegistry(vertx, store, hashing, Clock.systemUTC(), meters));
    }

    /** The service protocol adapters use to authenticate devices and check registrations. */
    public DeviceRegistryService service() {
        return service;
    }

    /** The persistent state (tenants, devices, credentials). */
    public RegistryStore store() {
        return store;
    }

    /** Credentials updates with hashing and Hono's patch mode. */
    public CredentialsManagement credentials() {
        return credentials;
    }

    /** The password hashing in use. */
    public PasswordHashing passwordHashing() {
        return hashing;
    }

    /** Loads a provisioning file (idempotent: creates, updates or leaves each entry). */
    public Future<ProvisioningReport> provision(Path file) {
        return provisioning.load(file);
    }

    /** Loads the configured provisioning file, if one is configured; an empty report otherwise. */
    public Future<ProvisioningReport> provisionFromConfig(LocalStackConfig config) {
        return config.provisioningFile() == null
                ? Future.succeededFuture(ProvisioningReport.EMPTY)
                : provision(config.provisioningFile());
    }

    /** Closes the store. */
    public Future<Void> close() {
        return store.close();
    }
}
