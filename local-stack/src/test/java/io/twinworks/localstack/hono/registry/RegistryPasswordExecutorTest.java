package io.twinworks.localstack.hono.registry;

import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static io.twinworks.localstack.hono.registry.RegistryTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * BCrypt (hashing new passwords, checking a connecting device's password) runs on the registry's own
 * executor: with every thread of Vert.x's shared worker pool parked, devices still authenticate and
 * credentials are still set. On the shared pool, a burst of connecting devices would park the pool
 * every other component's blocking calls need, and a parked pool would stall every CONNECT.
 */
class RegistryPasswordExecutorTest {

    private static final int SHARED_WORKERS = 2;

    @TempDir
    Path stateDir;

    private final CountDownLatch releaseSharedPool = new CountDownLatch(1);
    private Vertx vertx;
    private HonoDeviceRegistry registry;

    @BeforeEach
    void open() {
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(SHARED_WORKERS));
        registry = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST,
                RegistryTestSupport.meters());
        await(registry.store().createTenant("acme", Tenant.enabledWithDefaults()));
        await(registry.store().createDevice("acme", "pump-7", Device.enabledWithDefaults()));
    }

    @AfterEach
    void close() {
        releaseSharedPool.countDown();
        await(registry.close());
        await(vertx.close());
    }

    @Test
    void credentialsAreSetAndADeviceAuthenticatesWhileTheSharedWorkerPoolIsParked() throws InterruptedException {
        parkSharedWorkerPool();

        await(registry.credentials().replace("acme", "pump-7", RegistryJsonCodec.parseCredentials(new JsonArray().add(
                new JsonObject().put("type", "hashed-password").put("auth-id", "pump7")
                        .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", "s3cret"))))),
                Optional.empty()));
        AuthenticatedDevice device = await(registry.service().authenticate("acme", "pump7", "s3cret"));

        assertThat(device).isEqualTo(new AuthenticatedDevice("acme", "pump-7", "pump7"));
    }

    @Test
    void aWrongPasswordIsStillRefusedWhileTheSharedWorkerPoolIsParked() throws InterruptedException {
        await(registry.credentials().replace("acme", "pump-7", RegistryJsonCodec.parseCredentials(new JsonArray().add(
                new JsonObject().put("type", "hashed-password").put("auth-id", "pump7")
                        .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", "s3cret"))))),
                Optional.empty()));
        parkSharedWorkerPool();

        Throwable refusal = RegistryTestSupport.awaitFailure(registry.service().authenticate("acme", "pump7", "wrong"));

        assertThat(refusal).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.BAD_CREDENTIALS));
    }

    /** Occupies every thread of Vert.x's shared worker pool until the test ends. */
    private void parkSharedWorkerPool() throws InterruptedException {
        CountDownLatch parked = new CountDownLatch(SHARED_WORKERS);
        for (int i = 0; i < SHARED_WORKERS; i++) {
            vertx.executeBlocking(() -> {
                parked.countDown();
                releaseSharedPool.await();
                return null;
            }, false);
        }
        assertThat(parked.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("shared worker pool parked").isTrue();
    }
}
