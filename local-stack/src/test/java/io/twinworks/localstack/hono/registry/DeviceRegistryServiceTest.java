package io.twinworks.localstack.hono.registry;

import io.twinworks.localstack.hono.registry.RegistryException.Reason;
import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.HashFunction;
import io.twinworks.localstack.hono.registry.model.PasswordHash;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.twinworks.localstack.hono.registry.RegistryTestSupport.await;
import static io.twinworks.localstack.hono.registry.RegistryTestSupport.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** The registry as the MQTT adapter uses it: authentication and registration assertions. */
@ExtendWith(VertxExtension.class)
class DeviceRegistryServiceTest {

    @TempDir
    Path stateDir;

    private HonoDeviceRegistry registry;
    private DeviceRegistryService service;

    @BeforeEach
    void open(Vertx vertx) {
        registry = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST,
                RegistryTestSupport.meters());
        service = registry.service();
        await(registry.store().createTenant("acme", Tenant.enabledWithDefaults()));
        await(registry.store().createDevice("acme", "pump-7", Device.enabledWithDefaults()));
    }

    @AfterEach
    void close() {
        await(registry.close());
    }

    @Test
    void aDeviceWithTheRightPlainPasswordIsAuthenticatedAsItsDeviceId() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret"));

        AuthenticatedDevice device = await(service.authenticate("acme", "pump7", "s3cret"));

        assertThat(device).isEqualTo(new AuthenticatedDevice("acme", "pump-7", "pump7"));
    }

    @Test
    void aWrongPasswordIsRefusedAsBadCredentials() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret"));
        assertRefused(service.authenticate("acme", "pump7", "S3cret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void anUnknownAuthIdIsRefusedAsBadCredentials() {
        assertRefused(service.authenticate("acme", "nobody", "x"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void anUnknownTenantIsRefusedAsTenantNotFound() {
        assertRefused(service.authenticate("globex", "pump7", "x"), Reason.TENANT_NOT_FOUND);
    }

    @Test
    void aDisabledTenantIsRefused() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret"));
        disableTenant();
        assertRefused(service.authenticate("acme", "pump7", "s3cret"), Reason.TENANT_DISABLED);
        assertRefused(service.assertRegistration("acme", "pump-7", null), Reason.TENANT_DISABLED);
    }

    @Test
    void aDisabledDeviceWithTheRightPasswordIsRefusedAsDeviceDisabled() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret"));
        await(registry.store().updateDevice("acme", "pump-7", device(new JsonObject().put("enabled", false)), Optional.empty()));

        assertRefused(service.authenticate("acme", "pump7", "s3cret"), Reason.DEVICE_DISABLED);
    }

    @Test
    void aDisabledDeviceWithAWrongPasswordDoesNotRevealThatItIsDisabled() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret"));
        await(registry.store().updateDevice("acme", "pump-7", device(new JsonObject().put("enabled", false)), Optional.empty()));

        assertRefused(service.authenticate("acme", "pump7", "wrong"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void disabledCredentialsAreNeverUsed() {
        JsonObject credential = credential("pump7", secret().put("pwd-plain", "s3cret")).put("enabled", false);
        await(registry.credentials().replace("acme", "pump-7",
                RegistryJsonCodec.parseCredentials(new JsonArray().add(credential)), Optional.empty()));

        assertRefused(service.authenticate("acme", "pump7", "s3cret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void aDisabledSecretIsNeverUsed() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret").put("enabled", false));
        assertRefused(service.authenticate("acme", "pump7", "s3cret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void anExpiredSecretIsRefused() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret")
                .put("not-after", Instant.now().minus(1, ChronoUnit.MINUTES).toString()));
        assertRefused(service.authenticate("acme", "pump7", "s3cret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void aSecretNotYetValidIsRefused() {
        setCredentials("pump-7", secret().put("pwd-plain", "s3cret")
                .put("not-before", Instant.now().plus(1, ChronoUnit.HOURS).toString()));
        assertRefused(service.authenticate("acme", "pump7", "s3cret"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void duringAPasswordChangeTheNewSecretWorksWhileTheOldOneHasExpired() {
        JsonObject old = secret().put("pwd-plain", "old").put("not-after", Instant.now().minusSeconds(5).toString());
        JsonObject current = secret().put("pwd-plain", "new").put("not-before", Instant.now().minusSeconds(60).toString())
                .put("not-after", "2099-01-01T00:00:00+0100");
        await(registry.credentials().replace("acme", "pump-7", RegistryJsonCodec.parseCredentials(new JsonArray()
                .add(credential("pump7", old).put("secrets", new JsonArray().add(old).add(current)))), Optional.empty()));

        assertThat(await(service.authenticate("acme", "pump7", "new")).deviceId()).isEqualTo("pump-7");
        assertRefused(service.authenticate("acme", "pump7", "old"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void saltedSha256AndSha512HashesAreAcceptedAsHonoDefinesThem() {
        byte[] salt = {0x32, (byte) 0xAE, (byte) 0xF0, 0x17};
        PasswordHash sha256 = PasswordHashing.shaHash(HashFunction.SHA_256, "pw-256", salt);
        PasswordHash sha512 = PasswordHashing.shaHash(HashFunction.SHA_512, "pw-512", null);
        await(registry.store().createDevice("acme", "pump-8", Device.enabledWithDefaults()));
        setCredentials("pump-7", secret().put("pwd-hash", sha256.hash()).put("salt", sha256.salt()).put("hash-function", "sha-256"));
        await(registry.credentials().replace("acme", "pump-8", RegistryJsonCodec.parseCredentials(new JsonArray().add(
                credential("pump8", secret().put("pwd-hash", sha512.hash()).put("hash-function", "sha-512")))), Optional.empty()));

        assertThat(await(service.authenticate("acme", "pump7", "pw-256")).deviceId()).isEqualTo("pump-7");
        assertThat(await(service.authenticate("acme", "pump8", "pw-512")).deviceId()).isEqualTo("pump-8");
        assertRefused(service.authenticate("acme", "pump7", "pw-512"), Reason.BAD_CREDENTIALS);
    }

    @Test
    void theSha256FormatIsDigestOfSaltFollowedByPassword() throws Exception {
        byte[] salt = "NaCl".getBytes(StandardCharsets.UTF_8);
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update(salt);
        byte[] expected = digest.digest("hono-secret".getBytes(StandardCharsets.UTF_8));

        PasswordHash hash = PasswordHashing.shaHash(HashFunction.SHA_256, "hono-secret", salt);

        assertThat(java.util.Base64.getDecoder().decode(hash.hash())).isEqualTo(expected);
    }

    @Test
    void anUploadedBcryptHashIsAccepted() {
        String hash = new PasswordHashing(4).hash(new io.twinworks.localstack.hono.registry.model.PlainPassword("bc")).hash();
        setCredentials("pump-7", secret().put("pwd-hash", hash).put("hash-function", "bcrypt"));

        assertThat(await(service.authenticate("acme", "pump7", "bc")).authId()).isEqualTo("pump7");
    }

    @Test
    void authenticationWithBcryptAtHonosDefaultCostTakesTensOfMilliseconds(Vertx vertx, @TempDir Path otherDir) {
        HonoDeviceRegistry costTen = RegistryTestSupport.openRegistry(vertx, otherDir, 10, RegistryTestSupport.meters());
        try {
            await(costTen.store().createTenant("acme", Tenant.enabledWithDefaults()));
            await(costTen.store().createDevice("acme", "pump-7", Device.enabledWithDefaults()));
            await(costTen.credentials().replace("acme", "pump-7", RegistryJsonCodec.parseCredentials(new JsonArray()
                    .add(credential("pump7", secret().put("pwd-plain", "s3cret")))), Optional.empty()));
            await(costTen.service().authenticate("acme", "pump7", "s3cret")); // warm-up
            long[] micros = new long[10];
            for (int i = 0; i < micros.length; i++) {
                long start = System.nanoTime();
                await(costTen.service().authenticate("acme", "pump7", "s3cret"));
                micros[i] = (System.nanoTime() - start) / 1_000;
            }
            long start = System.nanoTime();
            awaitFailure(costTen.service().authenticate("acme", "unknown-auth-id", "s3cret"));
            awaitFailure(costTen.service().authenticate("acme", "unknown-auth-id", "s3cret"));
            long unknownMicros = (System.nanoTime() - start) / 2_000;
            Arrays.sort(micros);
            System.out.printf("bcrypt cost 10 authenticate: median %d us, max %d us; unknown auth-id: %d us%n",
                    micros[micros.length / 2], micros[micros.length - 1], unknownMicros);
            // BCrypt cost 10 is deliberately slow, but must stay well below an MQTT CONNECT timeout.
            assertThat(micros[micros.length / 2]).isBetween(5_000L, 2_000_000L);
            // The timing decoy makes an unknown auth-id cost about as much as a known one.
            assertThat(unknownMicros).isGreaterThan(micros[micros.length / 2] / 3);
        } finally {
            await(costTen.close());
        }
    }

    // ------------------------------------------------------------------ registration

    @Test
    void anEnabledRegisteredDeviceIsAsserted() {
        await(service.assertRegistration("acme", "pump-7", null));
        await(service.assertRegistration("acme", "pump-7", "pump-7"));
    }

    @Test
    void anUnknownDeviceIsRefusedAsDeviceNotFound() {
        assertRefused(service.assertRegistration("acme", "ghost", null), Reason.DEVICE_NOT_FOUND);
        assertRefused(service.assertRegistration("globex", "pump-7", null), Reason.TENANT_NOT_FOUND);
    }

    @Test
    void aDisabledDeviceIsRefusedAsDeviceDisabled() {
        await(registry.store().updateDevice("acme", "pump-7", device(new JsonObject().put("enabled", false)), Optional.empty()));
        assertRefused(service.assertRegistration("acme", "pump-7", null), Reason.DEVICE_DISABLED);
    }

    @Test
    void aGatewayListedInViaMayActForTheDevice() {
        await(registry.store().createDevice("acme", "gw-1", Device.enabledWithDefaults()));
        await(registry.store().createDevice("acme", "sensor", device(new JsonObject().put("via", new JsonArray().add("gw-1")))));

        await(service.assertRegistration("acme", "sensor", "gw-1"));
    }

    @Test
    void aGatewayInOneOfTheViaGroupsMayActForTheDevice() {
        await(registry.store().createDevice("acme", "gw-2", device(new JsonObject().put("memberOf", new JsonArray().add("hall-a")))));
        await(registry.store().createDevice("acme", "sensor", device(new JsonObject().put("viaGroups", new JsonArray().add("hall-a")))));

        await(service.assertRegistration("acme", "sensor", "gw-2"));
    }

    @Test
    void aGatewayNotListedForTheDeviceIsRefused() {
        await(registry.store().createDevice("acme", "gw-1", Device.enabledWithDefaults()));
        await(registry.store().createDevice("acme", "gw-3", device(new JsonObject().put("memberOf", new JsonArray().add("hall-b")))));
        await(registry.store().createDevice("acme", "sensor", device(new JsonObject().put("via", new JsonArray().add("gw-1"))
                .put("viaGroups", new JsonArray().add("hall-a")))));

        assertRefused(service.assertRegistration("acme", "sensor", "gw-3"), Reason.GATEWAY_NOT_AUTHORIZED);
        assertRefused(service.assertRegistration("acme", "pump-7", "gw-1"), Reason.GATEWAY_NOT_AUTHORIZED);
    }

    @Test
    void aDisabledOrUnknownGatewayIsRefused() {
        await(registry.store().createDevice("acme", "gw-1", device(new JsonObject().put("enabled", false))));
        await(registry.store().createDevice("acme", "sensor", device(new JsonObject().put("via", new JsonArray().add("gw-1").add("gw-9")))));

        assertRefused(service.assertRegistration("acme", "sensor", "gw-1"), Reason.GATEWAY_NOT_AUTHORIZED);
        assertRefused(service.assertRegistration("acme", "sensor", "gw-9"), Reason.GATEWAY_NOT_AUTHORIZED);
    }

    // Registration assertions are answered from memory between writes: each write must show at once.

    @Test
    void aDeviceDisabledAfterAnAssertionIsRefusedOnTheNextOne() {
        await(service.assertRegistration("acme", "pump-7", null));
        await(registry.store().updateDevice("acme", "pump-7", device(new JsonObject().put("enabled", false)), Optional.empty()));
        assertRefused(service.assertRegistration("acme", "pump-7", null), Reason.DEVICE_DISABLED);
    }

    @Test
    void aDeviceCreatedAfterARefusalIsAssertedOnTheNextAttempt() {
        assertRefused(service.assertRegistration("acme", "late", null), Reason.DEVICE_NOT_FOUND);
        await(registry.store().createDevice("acme", "late", Device.enabledWithDefaults()));
        await(service.assertRegistration("acme", "late", null));
    }

    @Test
    void aDeletedDeviceOrTenantIsRefusedOnTheNextAssertion() {
        await(registry.store().createDevice("acme", "gone", Device.enabledWithDefaults()));
        await(service.assertRegistration("acme", "gone", null));
        await(registry.store().deleteDevice("acme", "gone", Optional.empty()));
        assertRefused(service.assertRegistration("acme", "gone", null), Reason.DEVICE_NOT_FOUND);

        await(service.assertRegistration("acme", "pump-7", null));
        await(registry.store().updateTenant("acme", RegistryJsonCodec.parseTenant(new JsonObject().put("enabled", false)), Optional.empty()));
        assertRefused(service.assertRegistration("acme", "pump-7", null), Reason.TENANT_DISABLED);
    }

    @Test
    void aGatewayRemovedFromViaMayNoLongerActForTheDevice() {
        await(registry.store().createDevice("acme", "gw-1", Device.enabledWithDefaults()));
        await(registry.store().createDevice("acme", "sensor", device(new JsonObject().put("via", new JsonArray().add("gw-1")))));
        await(service.assertRegistration("acme", "sensor", "gw-1"));

        await(registry.store().updateDevice("acme", "sensor", device(new JsonObject()), Optional.empty()));

        assertRefused(service.assertRegistration("acme", "sensor", "gw-1"), Reason.GATEWAY_NOT_AUTHORIZED);
    }

    // ------------------------------------------------------------------ helpers

    private void setCredentials(String deviceId, JsonObject secret) {
        String authId = deviceId.replace("-", "");
        await(registry.credentials().replace("acme", deviceId,
                RegistryJsonCodec.parseCredentials(new JsonArray().add(credential(authId, secret))), Optional.empty()));
    }

    private void disableTenant() {
        await(registry.store().updateTenant("acme", RegistryJsonCodec.parseTenant(new JsonObject().put("enabled", false)),
                Optional.empty()));
    }

    private static JsonObject secret() {
        return new JsonObject();
    }

    private static JsonObject credential(String authId, JsonObject secret) {
        return new JsonObject().put("type", "hashed-password").put("auth-id", authId)
                .put("secrets", new JsonArray(List.of(secret)));
    }

    private static Device device(JsonObject json) {
        return RegistryJsonCodec.parseDevice(json);
    }

    private static void assertRefused(Future<?> future, Reason reason) {
        Throwable failure = awaitFailure(future);
        assertThat(failure).isInstanceOf(RegistryException.class);
        assertThat(((RegistryException) failure).reason()).isEqualTo(reason);
        assertThat(failure.getMessage()).doesNotContain("s3cret");
    }
}
