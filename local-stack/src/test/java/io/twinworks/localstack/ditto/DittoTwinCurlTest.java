package io.twinworks.localstack.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.twinworks.localstack.ditto.DittoTwinHttpApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The Ditto HTTP API as a user drives it from a shell with {@code curl} (fails loudly if curl is missing). */
@ExtendWith(VertxExtension.class)
class DittoTwinCurlTest {

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private int port;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        port = await(server.start());
    }

    @AfterEach
    void stop() throws Exception {
        await(server.stop());
    }

    /** Runs curl and returns "status\nbody"; fails the test when curl is not installed. */
    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("this test needs the 'curl' command on the PATH", e);
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int lastNewline = output.lastIndexOf('\n');
        return output.substring(lastNewline + 1) + "\n" + output.substring(0, lastNewline);
    }

    @Test
    void curlWithDittosDefaultCredentialsCreatesMergesAndReadsAProperty() throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/2/things/plant.a:pump-7";

        String created = curl("-u", "ditto:ditto", "-X", "PUT", "-H", "Content-Type: application/json",
                "-d", "{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.1}}}}", base);
        String merged = curl("-u", "ditto:ditto", "-X", "PATCH", "-H", "Content-Type: application/merge-patch+json",
                "-d", "{\"features\":{\"vibration\":{\"properties\":{\"rms\":0.31}}}}", base);
        String read = curl("-u", "ditto:ditto", base + "/features/vibration/properties/rms");

        assertThat(created).startsWith("201\n");
        assertThat(merged).isEqualTo("204\n");
        assertThat(read).isEqualTo("200\n0.31");
    }

    @Test
    void curlWithoutCredentialsGets401InDittosErrorShape() throws Exception {
        String response = curl("http://127.0.0.1:" + port + "/api/2/things/plant.a:pump-7");

        assertThat(response).startsWith("401\n").contains("\"error\":\"gateway:authentication.failed\"");
    }
}
