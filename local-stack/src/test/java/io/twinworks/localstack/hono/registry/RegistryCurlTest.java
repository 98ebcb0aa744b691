package io.twinworks.localstack.hono.registry;

import io.twinworks.localstack.hono.registry.http.DeviceRegistryHttpServer;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.twinworks.localstack.hono.registry.RegistryTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The curl calls from Hono's "Getting Started" guide, unchanged but for the host, against the
 * local stack's registry. Needs {@code curl}: when it is missing the test fails, it never skips.
 */
@ExtendWith(VertxExtension.class)
class RegistryCurlTest {

    @TempDir
    Path stateDir;

    private HonoDeviceRegistry registry;
    private DeviceRegistryHttpServer server;
    private String base;

    @BeforeEach
    void start(Vertx vertx) {
        var meters = RegistryTestSupport.meters();
        registry = RegistryTestSupport.openRegistry(vertx, stateDir, RegistryTestSupport.FAST_BCRYPT_COST, meters);
        server = new DeviceRegistryHttpServer(vertx, registry, meters, "127.0.0.1", 0, 16_000);
        base = "http://127.0.0.1:" + await(server.start());
    }

    @AfterEach
    void stop() {
        await(server.stop());
        await(registry.close());
    }

    @Test
    void honosGettingStartedCurlCallsWorkUnchanged() throws Exception {
        CurlResult tenant = curl("-X", "POST", base + "/v1/tenants");
        assertThat(tenant.status()).as(tenant.body()).isEqualTo(201);
        String tenantId = new JsonObject(tenant.body()).getString("id");

        CurlResult device = curl("-X", "POST", base + "/v1/devices/" + tenantId);
        assertThat(device.status()).as(device.body()).isEqualTo(201);
        String deviceId = new JsonObject(device.body()).getString("id");

        CurlResult credentials = curl("-X", "PUT", "-H", "content-type: application/json",
                "--data-binary", "[{\"type\":\"hashed-password\",\"auth-id\":\"" + deviceId
                        + "\",\"secrets\":[{\"pwd-plain\":\"this-is-my-password\"}]}]",
                base + "/v1/credentials/" + tenantId + "/" + deviceId);
        assertThat(credentials.status()).as(credentials.body()).isEqualTo(204);

        CurlResult read = curl(base + "/v1/credentials/" + tenantId + "/" + deviceId);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain("this-is-my-password", "pwd-hash");
        assertThat(new JsonArray(read.body()).getJsonObject(0).getString("auth-id")).isEqualTo(deviceId);
        assertThat(await(registry.service().authenticate(tenantId, deviceId, "this-is-my-password")).deviceId())
                .isEqualTo(deviceId);
    }

    @Test
    void curlSeesHonosErrorStatusesForBadRequests() throws Exception {
        assertThat(curl("-X", "POST", base + "/v1/devices/no-such-tenant/d1").status()).isEqualTo(404);
        assertThat(curl("-X", "POST", base + "/v1/tenants/acme").status()).isEqualTo(201);
        assertThat(curl("-X", "POST", base + "/v1/tenants/acme").status()).isEqualTo(409);
        CurlResult malformed = curl("-X", "POST", "-H", "content-type: application/json", "--data-binary", "{\"enabled\":",
                base + "/v1/devices/acme/d1");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(new JsonObject(malformed.body()).getString("error")).isEqualTo("registry:json.invalid");
        CurlResult stale = curl("-X", "PUT", "-H", "content-type: application/json", "-H", "If-Match: stale",
                "--data-binary", "{}", base + "/v1/tenants/acme");
        assertThat(stale.status()).isEqualTo(412);
        CurlResult tooLarge = curl("-X", "POST", "-H", "content-type: application/json",
                "--data-binary", "{\"ext\":{\"x\":\"" + "y".repeat(20_000) + "\"}}", base + "/v1/devices/acme/d1");
        assertThat(tooLarge.status()).isEqualTo(413);
    }

    private record CurlResult(int status, String body) {
    }

    /** Runs curl, printing the body followed by a line with the status code. */
    private static CurlResult curl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("curl is required for this test and could not be started: " + e.getMessage());
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail("curl did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("curl exit code, output: " + output).isZero();
        int newline = output.lastIndexOf('\n');
        return new CurlResult(Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, newline));
    }
}
