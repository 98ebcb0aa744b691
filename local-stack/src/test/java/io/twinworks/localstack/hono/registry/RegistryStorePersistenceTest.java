package io.twinworks.localstack.hono.registry;

import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException;
import io.twinworks.localstack.hono.registry.store.StoredResource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.twinworks.localstack.hono.registry.RegistryTestSupport.await;
import static io.twinworks.localstack.hono.registry.RegistryTestSupport.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry's state outlives the process: close/reopen and kill -9. */
@ExtendWith(VertxExtension.class)
class RegistryStorePersistenceTest {

    @TempDir
    Path stateDir;

    @Test
    void tenantsDevicesCredentialsAndVersionsSurviveCloseAndReopen(Vertx vertx) {
        HonoDeviceRegistry first = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST,
                RegistryTestSupport.meters());
        await(first.store().createTenant("acme", Tenant.enabledWithDefaults()));
        StoredResource<Device> device = await(first.store().createDevice("acme", "pump-7",
                RegistryJsonCodec.parseDevice(new JsonObject().put("via", "gw-1").put("ext", new JsonObject().put("n", 1)))));
        String credentialsVersion = await(first.credentials().replace("acme", "pump-7", RegistryJsonCodec.parseCredentials(
                RegistryManagementApiTest.passwordCredentials("pump7", "s3cret")), Optional.empty())).version();
        await(first.close());

        assertThat(stateDir.resolve("hono-registry.db")).exists();
        HonoDeviceRegistry reopened = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST,
                RegistryTestSupport.meters());
        try {
            StoredResource<Device> read = await(reopened.store().readDevice("acme", "pump-7"));
            assertThat(read.value()).isEqualTo(device.value());
            assertThat(read.version()).isEqualTo(device.version());
            assertThat(await(reopened.credentials().read("acme", "pump-7")).version()).isEqualTo(credentialsVersion);
            assertThat(await(reopened.service().authenticate("acme", "pump7", "s3cret")).deviceId()).isEqualTo("pump-7");
        } finally {
            await(reopened.close());
        }
    }

    @Test
    void theDatabaseNeverContainsAPlainPassword(Vertx vertx) throws Exception {
        HonoDeviceRegistry registry = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST,
                RegistryTestSupport.meters());
        await(registry.store().createTenant("acme", Tenant.enabledWithDefaults()));
        await(registry.store().createDevice("acme", "pump-7", Device.enabledWithDefaults()));
        await(registry.credentials().replace("acme", "pump-7", RegistryJsonCodec.parseCredentials(
                RegistryManagementApiTest.passwordCredentials("pump7", "very-distinctive-password")), Optional.empty()));
        await(registry.close());

        for (Path file : List.of(stateDir.resolve("hono-registry.db"), stateDir.resolve("hono-registry.db-wal"))) {
            if (Files.exists(file)) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("very-distinctive-password");
            }
        }
    }

    @Test
    void aClosedStoreFailsOperationsInsteadOfHanging(Vertx vertx) {
        RegistryStore store = await(RegistryStore.open(vertx, stateDir));
        await(store.close());

        assertThat(awaitFailure(store.readTenant("acme"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyAcknowledgedChangeSurvivesKillDashNine(Vertx vertx) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RegistryKillTarget.class.getName(), stateDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int acknowledged = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged = Integer.parseInt(line.substring(4));
                    if (acknowledged >= 25) {
                        break;
                    }
                }
            }
            // SIGKILL while the child keeps writing: no shutdown hook, no close().
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledged).as("devices the child acknowledged").isGreaterThanOrEqualTo(25);

        RegistryStore reopened = await(RegistryStore.open(vertx, stateDir));
        try {
            List<StoredResource<Device>> devices = await(reopened.listDevices("acme"));
            assertThat(devices.size()).isGreaterThanOrEqualTo(acknowledged + 1);
            for (int i = 0; i <= acknowledged; i++) {
                assertThat(await(reopened.readDevice("acme", "device-" + i)).value().ext()).containsEntry("n", i);
            }
            // The store is usable after the crash.
            await(reopened.createDevice("acme", "after-crash", Device.enabledWithDefaults()));
            assertThat(awaitFailure(reopened.createDevice("acme", "device-0", Device.enabledWithDefaults())))
                    .isInstanceOfSatisfying(RegistryStoreException.class,
                            e -> assertThat(e.failure()).isEqualTo(RegistryStoreException.Failure.CONFLICT));
        } finally {
            await(reopened.close());
        }
    }

    /** The process killed by {@link #everyAcknowledgedChangeSurvivesKillDashNine}: writes devices forever, printing an ACK after each commit. */
    public static final class RegistryKillTarget {
        public static void main(String[] args) {
            Vertx vertx = Vertx.vertx();
            RegistryStore store = await(RegistryStore.open(vertx, Path.of(args[0])));
            await(store.createTenant("acme", Tenant.enabledWithDefaults()));
            for (int i = 0; ; i++) {
                await(store.createDevice("acme", "device-" + i,
                        RegistryJsonCodec.parseDevice(new JsonObject().put("ext", new JsonObject().put("n", i))
                                .put("via", new JsonArray().add("gw")))));
                System.out.println("ACK " + i);
                System.out.flush();
            }
        }
    }
}
