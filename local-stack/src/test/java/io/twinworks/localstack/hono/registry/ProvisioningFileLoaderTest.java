package io.twinworks.localstack.hono.registry;

import io.twinworks.localstack.hono.registry.provisioning.ProvisioningException;
import io.twinworks.localstack.hono.registry.provisioning.ProvisioningReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.twinworks.localstack.hono.registry.RegistryTestSupport.await;
import static io.twinworks.localstack.hono.registry.RegistryTestSupport.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** Loading provisioning files at every {@code twinworks up}. */
@ExtendWith(VertxExtension.class)
class ProvisioningFileLoaderTest {

    @TempDir
    Path dir;

    private HonoDeviceRegistry registry;

    @BeforeEach
    void open(Vertx vertx) {
        registry = RegistryTestSupport.openRegistry(vertx, dir.resolve("state"), RegistryTestSupport.FAST_BCRYPT_COST,
                RegistryTestSupport.meters());
    }

    @AfterEach
    void close() {
        await(registry.close());
    }

    @Test
    void aFirstLoadCreatesEverythingAndDevicesCanAuthenticate() throws IOException {
        ProvisioningReport report = await(registry.provision(write(plantFile("s3cret"))));

        assertThat(report.tenants()).isEqualTo(new ProvisioningReport.Counts(1, 0, 0));
        assertThat(report.devices()).isEqualTo(new ProvisioningReport.Counts(2, 0, 0));
        assertThat(report.credentials()).isEqualTo(new ProvisioningReport.Counts(1, 0, 0));
        assertThat(await(registry.service().authenticate("plant-a", "pump7", "s3cret")).deviceId()).isEqualTo("plant.a:pump-7");
        await(registry.service().assertRegistration("plant-a", "plant.a:pump-7", "gw-1"));
    }

    @Test
    void loadingTheSameFileAgainChangesNothingAndKeepsSecretIds() throws IOException {
        Path file = write(plantFile("s3cret"));
        await(registry.provision(file));
        var before = await(registry.credentials().read("plant-a", "plant.a:pump-7"));

        ProvisioningReport second = await(registry.provision(file));

        assertThat(second.created()).isZero();
        assertThat(second.updated()).isZero();
        assertThat(second.unchanged()).isEqualTo(4);
        var after = await(registry.credentials().read("plant-a", "plant.a:pump-7"));
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.value()).isEqualTo(before.value());
    }

    @Test
    void aChangedPasswordOrDeviceIsUpdatedAndTheRestIsUnchanged() throws IOException {
        await(registry.provision(write(plantFile("s3cret"))));
        JsonObject changed = plantFile("n3w-s3cret");
        changed.getJsonObject("devices").getJsonObject("plant-a").getJsonObject("gw-1").put("ext", new JsonObject().put("site", "b"));

        ProvisioningReport report = await(registry.provision(write(changed)));

        assertThat(report.tenants()).isEqualTo(new ProvisioningReport.Counts(0, 0, 1));
        assertThat(report.devices()).isEqualTo(new ProvisioningReport.Counts(0, 1, 1));
        assertThat(report.credentials()).isEqualTo(new ProvisioningReport.Counts(0, 1, 0));
        assertThat(await(registry.service().authenticate("plant-a", "pump7", "n3w-s3cret")).deviceId()).isEqualTo("plant.a:pump-7");
        assertThat(awaitFailure(registry.service().authenticate("plant-a", "pump7", "s3cret"))).isInstanceOf(RegistryException.class);
    }

    @Test
    void anInvalidEntryFailsTheLoadNamingTheEntryAndWritesNothing() throws IOException {
        JsonObject file = plantFile("s3cret");
        file.getJsonObject("devices").getJsonObject("plant-a").getJsonObject("gw-1").put("colour", "red");

        Throwable failure = awaitFailure(registry.provision(write(file)));

        assertThat(failure).isInstanceOf(ProvisioningException.class);
        assertThat(failure.getMessage()).contains("devices.plant-a.gw-1").contains("'colour'");
        assertThat(awaitFailure(registry.store().readTenant("plant-a"))).hasMessageContaining("does not exist");
    }

    @Test
    void invalidCredentialsAreReportedWithTheirEntryAndPosition() throws IOException {
        JsonObject file = plantFile("s3cret");
        file.getJsonObject("credentials").getJsonObject("plant-a").getJsonArray("plant.a:pump-7").getJsonObject(0).put("auth-id", "");

        Throwable failure = awaitFailure(registry.provision(write(file)));

        assertThat(failure.getMessage()).contains("credentials.plant-a.plant.a:pump-7", "credentials[0]", "auth-id");
    }

    @Test
    void aDeviceOfATenantNeitherInTheFileNorRegisteredFailsNamingTheEntry() throws IOException {
        JsonObject file = new JsonObject().put("devices", new JsonObject().put("ghost-tenant", new JsonObject().put("d1", new JsonObject())));

        Throwable failure = awaitFailure(registry.provision(write(file)));

        assertThat(failure).isInstanceOf(ProvisioningException.class);
        assertThat(failure.getMessage()).contains("devices.ghost-tenant.d1", "tenant 'ghost-tenant' does not exist");
    }

    @Test
    void unreadableOrNonJsonFilesFailWithTheFileName() throws IOException {
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{tenants:");

        assertThat(awaitFailure(registry.provision(garbage))).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("garbage.json");
        assertThat(awaitFailure(registry.provision(dir.resolve("missing.json")))).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("missing.json");
        Files.writeString(garbage, "{\"tenant\":{}}");
        assertThat(awaitFailure(registry.provision(garbage))).hasMessageContaining("unknown top-level member 'tenant'");
    }

    private Path write(JsonObject content) throws IOException {
        Path file = dir.resolve("provisioning-" + System.nanoTime() + ".json");
        Files.writeString(file, content.encodePrettily());
        return file;
    }

    private static JsonObject plantFile(String password) {
        return new JsonObject()
                .put("tenants", new JsonObject().put("plant-a", new JsonObject().put("ext", new JsonObject().put("site", "a"))))
                .put("devices", new JsonObject().put("plant-a", new JsonObject()
                        .put("gw-1", new JsonObject())
                        .put("plant.a:pump-7", new JsonObject().put("via", new JsonArray().add("gw-1")))))
                .put("credentials", new JsonObject().put("plant-a", new JsonObject()
                        .put("plant.a:pump-7", RegistryManagementApiTest.passwordCredentials("pump7", password))));
    }
}
