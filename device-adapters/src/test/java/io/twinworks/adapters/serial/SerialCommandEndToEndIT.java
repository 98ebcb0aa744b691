package io.twinworks.adapters.serial;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.Socat;
import io.twinworks.adapters.StackFixture;
import io.twinworks.adapters.config.AdapterConfig;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.twinworks.adapters.StackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands from Ditto to a serial device, end to end, driven by peers nobody here wrote: Ditto's Java client
 * ({@code ditto-client} over {@code /ws/2}) and {@code curl} (HTTP messages API) send a live message to the thing,
 * the local stack's Hono connection turns it into a Hono command, the serial adapter (gateway, MQTT 3.1.1) writes
 * the command template's line to a socat pty, and its response comes back to the caller with its status.
 */
class SerialCommandEndToEndIT {

    private static final String PUMP = "plant.a:pump-1";

    @TempDir
    Path dir;

    private StackFixture stack;
    private Socat port;
    private AdapterRuntime adapter;
    private DittoClient ditto;
    private final StringBuilder deviceReceived = new StringBuilder();
    private Thread deviceReader;

    @BeforeEach
    void start() throws Exception {
        Socat.requireSocat();
        requireCurl();
        stack = new StackFixture(dir, List.of(PUMP));
        stack.createTwin(StackFixture.STRAY);
        port = new Socat(Files.createDirectories(dir.resolve("pty"))).start();
        Path config = dir.resolve("adapter.yaml");
        Files.writeString(config, """
                hono:
                  uri: %s
                  tenant: plant.a
                  authId: gw-1
                  password: gw-secret
                  deviceId: plant.a:gw-1
                  gateway: true
                outbox:
                  file: %s
                http:
                  host: 127.0.0.1
                  port: 0
                serial:
                  ports:
                    - path: %s
                      baud: 115200
                      thingId: plant.a:pump-1
                      codec:
                        type: csv
                        columns:
                          - temperature/value
                      commands:
                        setSpeed: "SPEED {rpm}"
                        stop: "STOP"
                """.formatted(stack.mqttUri(), dir.resolve("outbox.db"), port.adapterEnd()));
        adapter = new AdapterRuntime(stack.vertx, AdapterConfig.load(config, AdapterConfig.Kind.SERIAL, Map.of()),
                AdapterConfig.Kind.SERIAL, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(adapter.start());
        await().atMost(Duration.ofSeconds(20)).until(() -> adapter.health().getString("status").equals("UP"));
        deviceReader = new Thread(() -> {
            try (FileInputStream device = new FileInputStream(port.deviceEnd().toFile())) {
                byte[] buffer = new byte[256];
                int read;
                while ((read = device.read(buffer)) > 0) {
                    synchronized (deviceReceived) {
                        deviceReceived.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
                    }
                }
            } catch (Exception e) {
                // the port closes at the end of the test
            }
        }, "serial-device");
        deviceReader.setDaemon(true);
        deviceReader.start();
        ditto = DittoClients.newInstance(MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(stack.dittoUrl().replace("http://", "ws://"))
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(StackFixture.OPERATOR).password(StackFixture.OPERATOR_PASSWORD).build())))
                .connect().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (ditto != null) {
            ditto.destroy();
        }
        if (adapter != null) {
            await(adapter.stop());
        }
        if (port != null) {
            port.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private String received() {
        synchronized (deviceReceived) {
            return deviceReceived.toString();
        }
    }

    @Test
    void dittoClientsMessageIsWrittenToTheSerialPortAndTheAdaptersAnswerComesBackWith200() throws Exception {
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        ditto.live().forId(ThingId.of(PUMP)).message().to().subject("setSpeed")
                .payload("{\"rpm\":1450}").contentType("application/json")
                .send(JsonObject.class, (reply, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(new Object[]{reply.getHttpStatus().orElse(null), reply.getPayload().orElse(null)});
                    }
                });

        Object[] reply = answer.get(30, TimeUnit.SECONDS);
        assertThat(reply[0]).isEqualTo(HttpStatus.OK);
        assertThat(reply[1]).isInstanceOf(JsonObject.class);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received()).isEqualTo("SPEED 1450\n"));
    }

    @Test
    void curlGetsTheAdaptersAnswerAndTheLineIsOnThePort() throws Exception {
        Curl response = curl("setSpeed?timeout=10", "{\"rpm\":900}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":200");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received()).isEqualTo("SPEED 900\n"));
    }

    @Test
    void curlWithTimeoutZeroSendsAOneWayCommandAnswered202() throws Exception {
        Curl response = curl("stop?timeout=0", "{}");

        assertThat(response.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received()).isEqualTo("STOP\n"));
    }

    @Test
    void anUnknownCommandIsAnswered404ByTheAdapterAndNothingIsWritten() throws Exception {
        Curl response = curl("explode?timeout=10", "{}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).contains("explode");
        Thread.sleep(500);
        assertThat(received()).isEmpty();
    }

    @Test
    void aDeviceNobodyIsSubscribedForIsAnswered503AsHonoSaysIt() throws Exception {
        Curl response = curl(StackFixture.STRAY, "setSpeed?timeout=10", "{\"rpm\":1}");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).contains("not connected");
    }

    private record Curl(int status, String body) {
    }

    private Curl curl(String subjectAndQuery, String json) throws Exception {
        return curl(PUMP, subjectAndQuery, json);
    }

    private Curl curl(String thingId, String subjectAndQuery, String json) throws Exception {
        Process process = new ProcessBuilder("curl", "-s", "-u", StackFixture.OPERATOR + ":" + StackFixture.OPERATOR_PASSWORD,
                "-H", "content-type: application/json", "-d", json, "-w", "\n%{http_code}",
                stack.dittoUrl() + "/api/2/things/" + thingId + "/inbox/messages/" + subjectAndQuery)
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int newline = output.lastIndexOf('\n');
        return new Curl(Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, newline));
    }

    private static void requireCurl() throws Exception {
        try {
            if (new ProcessBuilder("curl", "--version").start().waitFor() == 0) {
                return;
            }
        } catch (java.io.IOException e) {
            // reported below
        }
        throw new AssertionError("curl is not installed: install Debian's curl; this test must not be skipped");
    }
}
