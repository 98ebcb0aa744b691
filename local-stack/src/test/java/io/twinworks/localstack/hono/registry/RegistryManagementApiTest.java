package io.twinworks.localstack.hono.registry;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.hono.registry.http.DeviceRegistryHttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.twinworks.localstack.hono.registry.RegistryTestSupport.await;
import static io.twinworks.localstack.hono.registry.RegistryTestSupport.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** Hono's device-registry management API, driven over real HTTP with Vert.x WebClient. */
@ExtendWith(VertxExtension.class)
class RegistryManagementApiTest {

    private static final int BODY_LIMIT = 2_000;

    @TempDir
    Path stateDir;

    private HonoDeviceRegistry registry;
    private DeviceRegistryHttpServer server;
    private PrometheusMeterRegistry meters;
    private WebClient client;
    private int port;

    @BeforeEach
    void start(Vertx vertx) {
        meters = RegistryTestSupport.meters();
        registry = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST, meters);
        server = new DeviceRegistryHttpServer(vertx, registry, meters, "127.0.0.1", 0, BODY_LIMIT);
        port = await(server.start());
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        client.close();
        await(server.stop());
        await(registry.close());
    }

    // ------------------------------------------------------------------ tenants

    @Test
    void creatingATenantWithAnIdAnswers201WithLocationEtagAndId() {
        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/tenants/acme", null);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.getHeader("Location")).isEqualTo("/v1/tenants/acme");
        assertThat(response.getHeader("ETag")).isNotBlank();
        assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "acme"));
        assertThat(send(HttpMethod.GET, "/v1/tenants/acme", null).bodyAsJsonObject().getBoolean("enabled")).isTrue();
    }

    @Test
    void creatingATenantWithoutIdGeneratesOne() {
        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/tenants", new JsonObject().put("ext", new JsonObject().put("a", 1)));

        assertThat(response.statusCode()).isEqualTo(201);
        String id = response.bodyAsJsonObject().getString("id");
        assertThat(id).isNotBlank();
        assertThat(response.getHeader("Location")).isEqualTo("/v1/tenants/" + id);
        assertThat(send(HttpMethod.GET, "/v1/tenants/" + id, null).bodyAsJsonObject().getJsonObject("ext").getInteger("a")).isEqualTo(1);
    }

    @Test
    void creatingAnExistingTenantAnswers409() {
        createTenant("acme");

        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/tenants/acme", null);

        assertError(response, 409, "registry:resource.conflict");
    }

    @Test
    void readingAnUnknownTenantAnswers404() {
        assertError(send(HttpMethod.GET, "/v1/tenants/nobody", null), 404, "registry:tenant.notfound");
    }

    @Test
    void updatingATenantAnswers204WithANewEtagAndReplacesIt() {
        String created = createTenant("acme").getHeader("ETag");

        HttpResponse<Buffer> response = send(HttpMethod.PUT, "/v1/tenants/acme", new JsonObject().put("enabled", false));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.getHeader("ETag")).isNotBlank().isNotEqualTo(created);
        HttpResponse<Buffer> read = send(HttpMethod.GET, "/v1/tenants/acme", null);
        assertThat(read.bodyAsJsonObject().getBoolean("enabled")).isFalse();
        assertThat(read.getHeader("ETag")).isEqualTo(response.getHeader("ETag"));
    }

    @Test
    void updatingATenantWithAStaleIfMatchAnswers412AndChangesNothing() {
        String first = createTenant("acme").getHeader("ETag");
        send(HttpMethod.PUT, "/v1/tenants/acme", new JsonObject().put("ext", new JsonObject().put("v", 2)));

        HttpResponse<Buffer> response = await(request(HttpMethod.PUT, "/v1/tenants/acme").putHeader("If-Match", first)
                .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"enabled\":false}")));

        assertError(response, 412, "registry:precondition.failed");
        assertThat(send(HttpMethod.GET, "/v1/tenants/acme", null).bodyAsJsonObject().getBoolean("enabled")).isTrue();
    }

    @Test
    void updatingATenantWithTheCurrentIfMatchSucceeds() {
        String etag = createTenant("acme").getHeader("ETag");

        HttpResponse<Buffer> response = await(request(HttpMethod.PUT, "/v1/tenants/acme").putHeader("If-Match", etag)
                .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"enabled\":false}")));

        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Test
    void updatingAnUnknownTenantAnswers404() {
        assertError(send(HttpMethod.PUT, "/v1/tenants/nobody", new JsonObject()), 404, "registry:tenant.notfound");
    }

    @Test
    void deletingATenantDeletesItsDevicesAndCredentials() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        putCredentials("acme", "pump-7", passwordCredentials("pump7", "secret-1"));

        assertThat(send(HttpMethod.DELETE, "/v1/tenants/acme", null).statusCode()).isEqualTo(204);

        assertError(send(HttpMethod.GET, "/v1/tenants/acme", null), 404, "registry:tenant.notfound");
        assertThat(send(HttpMethod.GET, "/v1/devices/acme/pump-7", null).statusCode()).isEqualTo(404);
        assertThat(send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).statusCode()).isEqualTo(404);
        // The auth-id is free again once the tenant is recreated.
        createTenant("acme");
        createDevice("acme", "other");
        assertThat(putCredentials("acme", "other", passwordCredentials("pump7", "x")).statusCode()).isEqualTo(204);
    }

    @Test
    void deletingATenantWithAStaleIfMatchAnswers412() {
        createTenant("acme");
        HttpResponse<Buffer> response = await(request(HttpMethod.DELETE, "/v1/tenants/acme").putHeader("If-Match", "\"not-it\"").send());
        assertError(response, 412, "registry:precondition.failed");
    }

    @Test
    void aTenantWithUnknownMembersAnswers400() {
        assertError(send(HttpMethod.POST, "/v1/tenants/acme", new JsonObject().put("colour", "red")), 400, "registry:json.invalid");
        assertThat(send(HttpMethod.GET, "/v1/tenants/acme", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aTenantIdOutsideHonosPatternAnswers400() {
        assertError(send(HttpMethod.POST, "/v1/tenants/a%20b", null), 400, "registry:parameter.invalid");
    }

    @Test
    void searchingTenantsReturnsTotalAndResultWithIds() {
        createTenant("a");
        createTenant("b");

        JsonObject result = send(HttpMethod.GET, "/v1/tenants?pageSize=1", null).bodyAsJsonObject();

        assertThat(result.getInteger("total")).isEqualTo(2);
        assertThat(result.getJsonArray("result")).hasSize(1);
        assertThat(result.getJsonArray("result").getJsonObject(0).getString("id")).isEqualTo("a");
    }

    // ------------------------------------------------------------------ devices

    @Test
    void creatingADeviceForAnUnknownTenantAnswers404() {
        assertError(send(HttpMethod.POST, "/v1/devices/nobody/pump-7", null), 404, "registry:tenant.notfound");
    }

    @Test
    void creatingADeviceTwiceAnswers409() {
        createTenant("acme");
        createDevice("acme", "pump-7");

        assertError(send(HttpMethod.POST, "/v1/devices/acme/pump-7", null), 409, "registry:resource.conflict");
    }

    @Test
    void creatingADeviceWithoutIdGeneratesOneAndAnswersWithItsLocation() {
        createTenant("acme");

        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/devices/acme", new JsonObject().put("ext", new JsonObject().put("ep", "IMEI4711")));

        assertThat(response.statusCode()).isEqualTo(201);
        String id = response.bodyAsJsonObject().getString("id");
        assertThat(response.getHeader("Location")).isEqualTo("/v1/devices/acme/" + id);
        assertThat(send(HttpMethod.GET, "/v1/devices/acme/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void readingADeviceReturnsItsRegistrationStatusAndEtag() {
        createTenant("acme");
        JsonObject body = new JsonObject().put("via", new JsonArray().add("gw-1")).put("defaults",
                new JsonObject().put("content-type", "application/vnd.eclipse.ditto+json"));
        String etag = send(HttpMethod.POST, "/v1/devices/acme/pump-7", body).getHeader("ETag");

        HttpResponse<Buffer> response = send(HttpMethod.GET, "/v1/devices/acme/pump-7", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("ETag")).isEqualTo(etag);
        JsonObject device = response.bodyAsJsonObject();
        assertThat(device.getBoolean("enabled")).isTrue();
        assertThat(device.getJsonArray("via")).containsExactly("gw-1");
        assertThat(device.getJsonObject("defaults").getString("content-type")).isEqualTo("application/vnd.eclipse.ditto+json");
        assertThat(device.getJsonObject("status").getString("created")).isNotBlank();
    }

    @Test
    void readingAnUnknownDeviceAnswers404() {
        createTenant("acme");
        assertError(send(HttpMethod.GET, "/v1/devices/acme/nothing", null), 404, "registry:device.notfound");
    }

    @Test
    void updatingADeviceWithAStaleIfMatchAnswers412() {
        createTenant("acme");
        String etag = createDevice("acme", "pump-7").getHeader("ETag");
        assertThat(send(HttpMethod.PUT, "/v1/devices/acme/pump-7", new JsonObject().put("enabled", false)).statusCode()).isEqualTo(204);

        HttpResponse<Buffer> response = await(request(HttpMethod.PUT, "/v1/devices/acme/pump-7").putHeader("If-Match", etag)
                .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{}")));

        assertError(response, 412, "registry:precondition.failed");
    }

    @Test
    void updatingAnUnknownDeviceAnswers404() {
        createTenant("acme");
        assertError(send(HttpMethod.PUT, "/v1/devices/acme/nothing", new JsonObject()), 404, "registry:device.notfound");
    }

    @Test
    void aDeviceWithBothViaAndMemberOfAnswers400() {
        createTenant("acme");
        JsonObject body = new JsonObject().put("via", new JsonArray().add("gw")).put("memberOf", new JsonArray().add("group"));
        assertError(send(HttpMethod.POST, "/v1/devices/acme/pump-7", body), 400, "registry:json.invalid");
    }

    @Test
    void aDeviceWithUnknownMembersOrWrongTypesAnswers400() {
        createTenant("acme");
        assertError(send(HttpMethod.POST, "/v1/devices/acme/d1", new JsonObject().put("colour", "red")), 400, "registry:json.invalid");
        assertError(send(HttpMethod.POST, "/v1/devices/acme/d2", new JsonObject().put("enabled", "yes")), 400, "registry:json.invalid");
        assertError(send(HttpMethod.POST, "/v1/devices/acme/d3", new JsonObject().put("via", new JsonArray().add(5))), 400, "registry:json.invalid");
    }

    @Test
    void malformedJsonAnswers400AndTheRegistryKeepsServing() {
        createTenant("acme");

        HttpResponse<Buffer> response = await(request(HttpMethod.POST, "/v1/devices/acme/pump-7")
                .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"enabled\": tru")));

        assertError(response, 400, "registry:json.invalid");
        assertThat(createDevice("acme", "pump-7").statusCode()).isEqualTo(201);
    }

    @Test
    void aBodyWithoutJsonContentTypeAnswers400() {
        createTenant("acme");
        HttpResponse<Buffer> response = await(request(HttpMethod.POST, "/v1/devices/acme/pump-7")
                .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("{}")));
        assertError(response, 400, "registry:json.invalid");
    }

    @Test
    void aJsonArrayWhereAnObjectIsExpectedAnswers400() {
        createTenant("acme");
        assertError(sendRaw(HttpMethod.POST, "/v1/devices/acme/pump-7", "[1,2]"), 400, "registry:json.invalid");
    }

    @Test
    void aBodyOverTheLimitAnswers413() {
        createTenant("acme");
        JsonObject huge = new JsonObject().put("ext", new JsonObject().put("blob", "x".repeat(BODY_LIMIT * 2)));

        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/devices/acme/pump-7", huge);

        assertError(response, 413, "registry:request.toolarge");
        assertThat(send(HttpMethod.GET, "/v1/devices/acme/pump-7", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingADeviceDeletesItsCredentialsAndFreesItsAuthId() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        putCredentials("acme", "pump-7", passwordCredentials("pump7", "secret-1"));

        assertThat(send(HttpMethod.DELETE, "/v1/devices/acme/pump-7", null).statusCode()).isEqualTo(204);

        assertError(send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null), 404, "registry:device.notfound");
        createDevice("acme", "pump-8");
        assertThat(putCredentials("acme", "pump-8", passwordCredentials("pump7", "y")).statusCode()).isEqualTo(204);
    }

    @Test
    void deletingADeviceWithAStaleIfMatchAnswers412AndWithTheCurrentOne204() {
        createTenant("acme");
        String etag = createDevice("acme", "pump-7").getHeader("ETag");

        assertError(await(request(HttpMethod.DELETE, "/v1/devices/acme/pump-7").putHeader("If-Match", "stale").send()),
                412, "registry:precondition.failed");
        assertThat(await(request(HttpMethod.DELETE, "/v1/devices/acme/pump-7").putHeader("If-Match", etag).send())
                .statusCode()).isEqualTo(204);
    }

    @Test
    void deletingAnUnknownDeviceAnswers404() {
        createTenant("acme");
        assertError(send(HttpMethod.DELETE, "/v1/devices/acme/nothing", null), 404, "registry:device.notfound");
    }

    @Test
    void searchingDevicesPagesThroughTheResultsOrderedById() {
        createTenant("acme");
        for (int i = 0; i < 5; i++) {
            createDevice("acme", "d" + i);
        }

        JsonObject page = send(HttpMethod.GET, "/v1/devices/acme?pageSize=2&pageOffset=2", null).bodyAsJsonObject();

        assertThat(page.getInteger("total")).isEqualTo(5);
        assertThat(page.getJsonArray("result").stream().map(d -> ((JsonObject) d).getString("id"))).containsExactly("d2", "d3");
    }

    @Test
    void searchingDevicesAppliesFilterJsonWithWildcardsAndIsGateway() {
        createTenant("acme");
        send(HttpMethod.POST, "/v1/devices/acme/pump-1", new JsonObject().put("ext", new JsonObject().put("brand", "eclipse-pumps")).put("via", "gw-1"));
        send(HttpMethod.POST, "/v1/devices/acme/pump-2", new JsonObject().put("ext", new JsonObject().put("brand", "other")));
        createDevice("acme", "gw-1");

        JsonObject filtered = await(request(HttpMethod.GET, "/v1/devices/acme")
                .addQueryParam("filterJson", "{\"field\":\"/ext/brand\",\"value\":\"eclipse*\"}").send()).bodyAsJsonObject();
        JsonObject gateways = send(HttpMethod.GET, "/v1/devices/acme?isGateway=true", null).bodyAsJsonObject();

        assertThat(filtered.getInteger("total")).isEqualTo(1);
        assertThat(filtered.getJsonArray("result").getJsonObject(0).getString("id")).isEqualTo("pump-1");
        assertThat(gateways.getJsonArray("result").getJsonObject(0).getString("id")).isEqualTo("gw-1");
    }

    @Test
    void searchingDevicesWithoutAnyMatchAnswers404AsHonoDoes() {
        createTenant("acme");
        assertThat(send(HttpMethod.GET, "/v1/devices/acme", null).statusCode()).isEqualTo(404);
        assertError(send(HttpMethod.GET, "/v1/devices/nobody", null), 404, "registry:tenant.notfound");
    }

    @Test
    void searchingDevicesWithInvalidPagingOrFilterAnswers400() {
        createTenant("acme");
        createDevice("acme", "d1");
        assertError(send(HttpMethod.GET, "/v1/devices/acme?pageSize=201", null), 400, "registry:parameter.invalid");
        assertError(send(HttpMethod.GET, "/v1/devices/acme?pageOffset=-1", null), 400, "registry:parameter.invalid");
        assertError(send(HttpMethod.GET, "/v1/devices/acme?pageSize=ten", null), 400, "registry:parameter.invalid");
        assertError(await(request(HttpMethod.GET, "/v1/devices/acme").addQueryParam("filterJson", "{not json").send()),
                400, "registry:parameter.invalid");
    }

    // ------------------------------------------------------------------ credentials

    @Test
    void credentialsAreReturnedWithSecretIdsButWithoutHashesOrPasswords() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        JsonArray credentials = passwordCredentials("pump7", "secret-1");
        credentials.getJsonObject(0).getJsonArray("secrets").getJsonObject(0).put("not-after", "2099-12-24T19:00:00Z");

        HttpResponse<Buffer> put = putCredentials("acme", "pump-7", credentials);
        HttpResponse<Buffer> get = send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null);

        assertThat(put.statusCode()).isEqualTo(204);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.getHeader("ETag")).isEqualTo(put.getHeader("ETag"));
        String body = get.bodyAsString();
        assertThat(body).doesNotContain("pwd-hash", "pwd-plain", "salt", "hash-function", "secret-1", "$2a$");
        JsonObject secret = get.bodyAsJsonArray().getJsonObject(0).getJsonArray("secrets").getJsonObject(0);
        assertThat(secret.getString("id")).isNotBlank();
        assertThat(secret.getString("not-after")).isEqualTo("2099-12-24T19:00:00Z");
        assertThat(get.bodyAsJsonArray().getJsonObject(0).getString("auth-id")).isEqualTo("pump7");
    }

    @Test
    void pskKeysAreNotReturnedEither() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        JsonArray psk = new JsonArray().add(new JsonObject().put("type", "psk").put("auth-id", "little-sensor2")
                .put("secrets", new JsonArray().add(new JsonObject().put("key", "cGFzc3dvcmRfbmV3"))));

        assertThat(putCredentials("acme", "pump-7", psk).statusCode()).isEqualTo(204);

        assertThat(send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).bodyAsString()).doesNotContain("cGFzc3dvcmRfbmV3", "key");
    }

    @Test
    void aSecretWithOnlyItsIdKeepsTheExistingPassword() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        putCredentials("acme", "pump-7", passwordCredentials("pump7", "secret-1"));
        JsonArray current = send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).bodyAsJsonArray();
        String secretId = current.getJsonObject(0).getJsonArray("secrets").getJsonObject(0).getString("id");
        JsonArray update = new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", "pump7")
                .put("secrets", new JsonArray()
                        .add(new JsonObject().put("id", secretId))
                        .add(new JsonObject().put("pwd-plain", "secret-2"))));

        assertThat(putCredentials("acme", "pump-7", update).statusCode()).isEqualTo(204);

        assertThat(await(registry.service().authenticate("acme", "pump7", "secret-1")).deviceId()).isEqualTo("pump-7");
        assertThat(await(registry.service().authenticate("acme", "pump7", "secret-2")).deviceId()).isEqualTo("pump-7");
        JsonArray secrets = send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).bodyAsJsonArray().getJsonObject(0).getJsonArray("secrets");
        assertThat(secrets.getJsonObject(0).getString("id")).isEqualTo(secretId);
        assertThat(secrets.getJsonObject(1).getString("id")).isNotBlank().isNotEqualTo(secretId);
    }

    @Test
    void puttingCredentialsReplacesTheWholeSetSoOmittedCredentialsAreRemoved() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        JsonArray two = passwordCredentials("first", "a");
        two.addAll(passwordCredentials("second", "b"));
        putCredentials("acme", "pump-7", two);

        putCredentials("acme", "pump-7", passwordCredentials("second", "c"));

        JsonArray stored = send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).bodyAsJsonArray();
        assertThat(stored).hasSize(1);
        assertThat(stored.getJsonObject(0).getString("auth-id")).isEqualTo("second");
        assertThat(awaitFailure(registry.service().authenticate("acme", "first", "a")))
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void aSecretIdThatDoesNotExistAnswers400() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        putCredentials("acme", "pump-7", passwordCredentials("pump7", "secret-1"));
        JsonArray update = new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", "pump7")
                .put("secrets", new JsonArray().add(new JsonObject().put("id", "no-such-secret"))));

        assertError(putCredentials("acme", "pump-7", update), 400, "registry:json.invalid");
    }

    @Test
    void anEmptyAuthIdAnswers400() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        assertError(putCredentials("acme", "pump-7", passwordCredentials("", "x")), 400, "registry:json.invalid");
    }

    @Test
    void unknownMembersInPasswordSecretsOrCredentialsAnswer400() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        JsonArray unknownSecretMember = passwordCredentials("pump7", "x");
        unknownSecretMember.getJsonObject(0).getJsonArray("secrets").getJsonObject(0).put("key", "AQID");
        JsonArray unknownCredentialMember = passwordCredentials("pump7", "x");
        unknownCredentialMember.getJsonObject(0).put("device-id", "pump-7");

        HttpResponse<Buffer> first = putCredentials("acme", "pump-7", unknownSecretMember);
        HttpResponse<Buffer> second = putCredentials("acme", "pump-7", unknownCredentialMember);

        assertError(first, 400, "registry:json.invalid");
        assertThat(first.bodyAsJsonObject().getString("message")).contains("credentials[0].secrets[0]", "'key'");
        assertError(second, 400, "registry:json.invalid");
    }

    @Test
    void invalidCredentialsBodiesAnswer400() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        JsonObject noSecrets = new JsonObject().put("type", "hashed-password").put("auth-id", "a").put("secrets", new JsonArray());
        JsonObject noType = new JsonObject().put("auth-id", "a").put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", "x")));
        JsonObject unsupportedHash = new JsonObject().put("type", "hashed-password").put("auth-id", "a").put("secrets",
                new JsonArray().add(new JsonObject().put("pwd-hash", "AQID").put("hash-function", "md5")));
        JsonObject hashWithoutFunction = new JsonObject().put("type", "hashed-password").put("auth-id", "a").put("secrets",
                new JsonArray().add(new JsonObject().put("pwd-hash", "AQID")));
        JsonObject badDate = new JsonObject().put("type", "hashed-password").put("auth-id", "a").put("secrets",
                new JsonArray().add(new JsonObject().put("pwd-plain", "x").put("not-after", "next tuesday")));
        JsonObject reversedValidity = new JsonObject().put("type", "hashed-password").put("auth-id", "a").put("secrets",
                new JsonArray().add(new JsonObject().put("pwd-plain", "x").put("not-before", "2030-01-01T00:00:00Z")
                        .put("not-after", "2029-01-01T00:00:00Z")));
        JsonObject badAuthIdCharacters = new JsonObject().put("type", "hashed-password").put("auth-id", "a b").put("secrets",
                new JsonArray().add(new JsonObject().put("pwd-plain", "x")));

        for (JsonObject invalid : new JsonObject[] {noSecrets, noType, unsupportedHash, hashWithoutFunction, badDate,
                reversedValidity, badAuthIdCharacters}) {
            assertError(putCredentials("acme", "pump-7", new JsonArray().add(invalid)), 400, "registry:json.invalid");
        }
        assertError(sendRaw(HttpMethod.PUT, "/v1/credentials/acme/pump-7", "{\"type\":\"psk\"}"), 400, "registry:json.invalid");
        assertError(sendRaw(HttpMethod.PUT, "/v1/credentials/acme/pump-7", "[1]"), 400, "registry:json.invalid");
        assertThat(send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).bodyAsJsonArray()).isEmpty();
    }

    @Test
    void aBcryptHashAboveTheConfiguredCostAnswers400() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        String costTwelve = new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(12).encode("x")
                .replace("$2b$", "$2a$");
        JsonArray credentials = new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", "a")
                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-hash", costTwelve).put("hash-function", "bcrypt"))));

        HttpResponse<Buffer> response = putCredentials("acme", "pump-7", credentials);

        assertError(response, 400, "registry:json.invalid");
        assertThat(response.bodyAsString()).contains("cost").doesNotContain(costTwelve);
    }

    @Test
    void theSameTypeAndAuthIdTwiceInOneBodyAnswers400() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        JsonArray twice = passwordCredentials("pump7", "a");
        twice.addAll(passwordCredentials("pump7", "b"));
        assertError(putCredentials("acme", "pump-7", twice), 400, "registry:json.invalid");
    }

    @Test
    void anAuthIdUsedByAnotherDeviceOfTheTenantAnswers409() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        createDevice("acme", "pump-8");
        putCredentials("acme", "pump-7", passwordCredentials("shared", "a"));

        assertError(putCredentials("acme", "pump-8", passwordCredentials("shared", "b")), 409, "registry:resource.conflict");
        assertThat(await(registry.service().authenticate("acme", "shared", "a")).deviceId()).isEqualTo("pump-7");
    }

    @Test
    void theSameAuthIdInAnotherTenantIsNoConflict() {
        createTenant("acme");
        createTenant("globex");
        createDevice("acme", "pump-7");
        createDevice("globex", "pump-7");
        putCredentials("acme", "pump-7", passwordCredentials("shared", "a"));

        assertThat(putCredentials("globex", "pump-7", passwordCredentials("shared", "b")).statusCode()).isEqualTo(204);
    }

    @Test
    void credentialsOfAnUnknownDeviceOrTenantAnswer404() {
        createTenant("acme");
        assertError(putCredentials("acme", "ghost", passwordCredentials("a", "b")), 404, "registry:device.notfound");
        assertError(send(HttpMethod.GET, "/v1/credentials/acme/ghost", null), 404, "registry:device.notfound");
        assertError(send(HttpMethod.GET, "/v1/credentials/nobody/ghost", null), 404, "registry:tenant.notfound");
    }

    @Test
    void credentialsWithAStaleIfMatchAnswer412() {
        createTenant("acme");
        createDevice("acme", "pump-7");
        String etag = send(HttpMethod.GET, "/v1/credentials/acme/pump-7", null).getHeader("ETag");
        putCredentials("acme", "pump-7", passwordCredentials("pump7", "a"));

        HttpResponse<Buffer> response = await(request(HttpMethod.PUT, "/v1/credentials/acme/pump-7").putHeader("If-Match", etag)
                .putHeader("content-type", "application/json").sendBuffer(passwordCredentials("pump7", "b").toBuffer()));

        assertError(response, 412, "registry:precondition.failed");
        assertThat(await(registry.service().authenticate("acme", "pump7", "a")).deviceId()).isEqualTo("pump-7");
    }

    // ------------------------------------------------------------------ operations

    @Test
    void everyAnswerIsCountedByStatusAndHealthAndMetricsAreServed() {
        createTenant("acme");
        send(HttpMethod.GET, "/v1/tenants/nobody", null);
        sendRaw(HttpMethod.POST, "/v1/tenants/x", "{oops");

        HttpResponse<Buffer> health = send(HttpMethod.GET, "/health", null);
        String metrics = send(HttpMethod.GET, "/metrics", null).bodyAsString();

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        assertThat(metrics).contains("hono_registry_requests_total{method=\"POST\",status=\"201\"} 1.0")
                .contains("hono_registry_requests_total{method=\"GET\",status=\"404\"} 1.0")
                .contains("hono_registry_requests_total{method=\"POST\",status=\"400\"} 1.0");
    }

    @Test
    void anUnsupportedMethodAnswers405WithTheErrorShape() {
        createTenant("acme");
        assertError(send(HttpMethod.PATCH, "/v1/tenants/acme", new JsonObject()), 405, "registry:method.notallowed");
    }

    // ------------------------------------------------------------------ helpers

    private HttpRequest<Buffer> request(HttpMethod method, String path) {
        return client.request(method, port, "127.0.0.1", path);
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path, Object json) {
        HttpRequest<Buffer> request = request(method, path);
        if (json == null) {
            return await(request.send());
        }
        Buffer body = json instanceof JsonObject o ? o.toBuffer() : ((JsonArray) json).toBuffer();
        return await(request.putHeader("content-type", "application/json").sendBuffer(body));
    }

    private HttpResponse<Buffer> sendRaw(HttpMethod method, String path, String body) {
        return await(request(method, path).putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
    }

    private HttpResponse<Buffer> createTenant(String tenantId) {
        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/tenants/" + tenantId, null);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        return response;
    }

    private HttpResponse<Buffer> createDevice(String tenantId, String deviceId) {
        HttpResponse<Buffer> response = send(HttpMethod.POST, "/v1/devices/" + tenantId + "/" + deviceId, null);
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
        return response;
    }

    private HttpResponse<Buffer> putCredentials(String tenantId, String deviceId, JsonArray credentials) {
        return send(HttpMethod.PUT, "/v1/credentials/" + tenantId + "/" + deviceId, credentials);
    }

    static JsonArray passwordCredentials(String authId, String password) {
        return new JsonArray().add(new JsonObject().put("type", "hashed-password").put("auth-id", authId)
                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", password))));
    }

    private static void assertError(HttpResponse<Buffer> response, int status, String error) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getInteger("status")).isEqualTo(status);
        assertThat(body.getString("error")).isEqualTo(error);
        assertThat(body.getString("message")).isNotBlank();
    }
}
