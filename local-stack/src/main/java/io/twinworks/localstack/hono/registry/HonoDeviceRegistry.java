package io.twinworks.localstack.hono.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.provisioning.ProvisioningFileLoader;
import io.twinworks.localstack.hono.registry.provisioning.ProvisioningReport;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

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

    /** The name of the executor BCrypt runs on (thread names start with it). */
    public static final String PASSWORD_EXECUTOR = "hono-registry-passwords";

    private final RegistryStore store;
    private final WorkerExecutor passwordWork;
    private final PasswordHashing hashing;
    private final CredentialsManagement credentials;
    private final PersistentDeviceRegistryService service;
    private final ProvisioningFileLoader provisioning;

    /**
     * Assembles the registry over an open store.
     *
     * @param vertx   creates the registry's password executor (BCrypt hashing and checks, one thread per core:
     *                CPU-bound work that must not park Vert.x's shared worker pool, e.g. when thousands of
     *                devices connect at once)
     * @param store   the open store (closed by {@link #close()})
     * @param hashing the password hashing
     * @param clock   the time secrets' validity is checked against
     * @param meters  receives the registry's metrics
     */
    public HonoDeviceRegistry(Vertx vertx, RegistryStore store, PasswordHashing hashing, Clock clock, MeterRegistry meters) {
        this.store = Objects.requireNonNull(store, "store");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
        this.passwordWork = vertx.createSharedWorkerExecutor(PASSWORD_EXECUTOR, Runtime.getRuntime().availableProcessors());
        this.credentials = new CredentialsManagement(passwordWork, store, hashing);
        this.service = new PersistentDeviceRegistryService(passwordWork, store, hashing, clock, meters);
        this.provisioning = new ProvisioningFileLoader(vertx, passwordWork, store, credentials, hashing);
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

    /** Closes the store and the password executor. */
    public Future<Void> close() {
        return store.close().eventually(() -> passwordWork.close());
    }
}
