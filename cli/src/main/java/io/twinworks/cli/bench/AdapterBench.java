package io.twinworks.cli.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.config.AdapterConfig;
import io.twinworks.adapters.ditto.DittoMergeEncoder;
import io.twinworks.adapters.model.Reading;
import io.twinworks.core.ditto.FeaturesMerge;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adapter benchmark: one local stack, then in the same run (1) the raw Paho MQTT 3.1.1 publish
 * rate to PUBACK of merge payloads like the adapter's (the baseline), (2) serial lines through a
 * socat pty pair into the serial adapter until every reading is acknowledged by Hono, (3) plant
 * messages through mosquitto into the MQTT bridge until every reading is acknowledged. Outbox on
 * (SQLite, sync NORMAL) for both adapters. Prints readings/s and the ratio to the baseline.
 */
public final class AdapterBench {

    private static final String TENANT = "bench";
    private static final String GATEWAY = "bench:gw";
    private static final String DEVICE = "bench:pump-1";

    private final int readings;
    private final int inFlight;
    private final PrintWriter out;

    public AdapterBench(int readings, int inFlight, PrintWriter out) {
        this.readings = readings;
        this.inFlight = inFlight;
        this.out = out;
    }

    /** Runs the three measurements; returns the exit code. */
    public int run() throws Exception {
        for (String tool : new String[]{"socat", "mosquitto"}) {
            if (new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() != 0) {
                out.println("twinworks bench adapters: " + tool + " is required (apt-get install " + tool + ")");
                return 2;
            }
        }
        ScratchDirectory scratch = ScratchDirectory.create("twinworks-bench");
        Path dir = scratch.path();
        Vertx vertx = Vertx.vertx();
        LocalStackConfig config = BenchStackConfig.fromEnvironment(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(dir.resolve("stack")).withPorts(0, 0, 0).withDitto(0, Map.of("ditto", "ditto"));
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Process socat = null;
        Process mosquitto = null;
        try {
            LocalStackEndpoints endpoints = await(stack.start());
            Path provisioning = dir.resolve("provisioning.json");
            Files.writeString(provisioning, provisioning().encode());
            await(stack.provision(provisioning));
            out.printf("twinworks bench adapters: %d readings per run, %d publishes in flight, Hono endpoint %s%n",
                    readings, inFlight, endpoints.mqttUri());
            out.flush();

            byte[] payload = new DittoMergeEncoder(2048).encode(reading(1), 1);
            double baseline = rawPahoRate(endpoints.mqttUri(), payload, readings / 4); // warm-up
            baseline = rawPahoRate(endpoints.mqttUri(), payload, readings);
            out.printf("  baseline  raw Paho MQTT 3.1.1 publish to PUBACK (%d-byte merge): %,10.0f msg/s%n", payload.length, baseline);
            out.flush();

            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + dir.resolve("ttyA"), "pty,raw,echo=0,link=" + dir.resolve("ttyB"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            waitFor(() -> Files.exists(dir.resolve("ttyA")) && Files.exists(dir.resolve("ttyB")));
            double serial = serialRate(vertx, endpoints.mqttUri(), dir);
            out.printf("  serial    lines via pty -> outbox -> PUBACK:                    %,10.0f readings/s  ratio %.2f%n",
                    serial, serial / baseline);
            out.flush();

            int brokerPort = freePort();
            Files.writeString(dir.resolve("mosquitto.conf"), "listener " + brokerPort + " 127.0.0.1\nallow_anonymous true\n"
                    + "max_queued_messages 0\n");
            mosquitto = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            waitFor(() -> {
                try (Socket ignored = new Socket("127.0.0.1", brokerPort)) {
                    return true;
                } catch (java.io.IOException notListeningYet) {
                    return false;
                }
            });
            double bridge = bridgeRate(vertx, endpoints.mqttUri(), "tcp://127.0.0.1:" + brokerPort, dir);
            out.printf("  mqtt      plant broker -> bridge -> outbox -> PUBACK:           %,10.0f readings/s  ratio %.2f%n",
                    bridge, bridge / baseline);
            out.flush();
            return 0;
        } finally {
            if (socat != null) {
                socat.destroy();
            }
            if (mosquitto != null) {
                mosquitto.destroy();
            }
            await(stack.stop());
            await(vertx.close());
            scratch.close();
        }
    }

    private static Reading reading(int n) {
        return new Reading(DEVICE, Map.of("temperature", Map.of("value", 20.5), "counter", Map.of("n", n)));
    }

    /**
     * The baseline: Paho's mqttv3 client publishing at QoS 1 with the same window, no outbox. When the
     * endpoint drops the connection (it does under bursts, see device-adapters/README.md), it reconnects
     * and republishes what was not acknowledged, as any at-least-once sender must.
     */
    private double rawPahoRate(String uri, byte[] payload, int count) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("gw@" + TENANT);
        options.setPassword("gw-secret".toCharArray());
        options.setMaxInflight(inFlight + 10);
        String topic = "telemetry/" + TENANT + "/" + DEVICE + "/?content-type="
                + URLEncoder.encode(FeaturesMerge.DITTO_PROTOCOL_CONTENT_TYPE, StandardCharsets.UTF_8);
        Semaphore window = new Semaphore(inFlight);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong toResend = new AtomicLong();
        long sent = 0;
        long reconnects = 0;
        MqttAsyncClient client = null;
        long start = System.nanoTime();
        while (acknowledged.get() < count) {
            if (client == null || !client.isConnected()) {
                if (client != null) {
                    reconnects++;
                    client.close(true);
                }
                client = new MqttAsyncClient(uri, "bench-baseline-" + System.nanoTime(), new MemoryPersistence());
                client.connect(options).waitForCompletion(10_000);
            }
            if (sent - toResend.get() >= count) {
                Thread.sleep(1);
                continue;
            }
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            try {
                client.publish(topic, message, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acknowledged.incrementAndGet();
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        toResend.incrementAndGet();
                        window.release();
                    }
                });
                sent++;
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                window.release();
            }
        }
        double rate = count / ((System.nanoTime() - start) / 1e9);
        client.disconnect().waitForCompletion(5_000);
        client.close();
        if (reconnects > 0) {
            out.printf("  (baseline: the endpoint dropped the connection %d times; unacknowledged publishes were resent)%n", reconnects);
        }
        return rate;
    }

    private String honoSection(String uri, Path outbox) {
        return """
                hono:
                  uri: %s
                  tenant: bench
                  authId: gw
                  password: gw-secret
                  deviceId: bench:gw
                  gateway: true
                  maxInFlight: %d
                  reconnectMinMillis: 100
                outbox:
                  file: %s
                http:
                  host: 127.0.0.1
                  port: 0
                """.formatted(uri, inFlight, outbox);
    }

    private double serialRate(Vertx vertx, String honoUri, Path dir) throws Exception {
        Path configFile = dir.resolve("serial.yaml");
        Files.writeString(configFile, honoSection(honoUri, dir.resolve("serial-outbox.db")) + """
                serial:
                  ports:
                    - path: %s
                      baud: 115200
                      thingId: %s
                      codec:
                        type: csv
                        columns: [temperature/value, counter/n]
                """.formatted(dir.resolve("ttyA"), DEVICE));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdapterRuntime adapter = new AdapterRuntime(vertx, AdapterConfig.load(configFile, AdapterConfig.Kind.SERIAL, Map.of()),
                AdapterConfig.Kind.SERIAL, meters);
        await(adapter.start());
        try {
            waitFor(() -> adapter.health().getString("status").equals("UP"));
            long start = System.nanoTime();
            try (OutputStream device = new FileOutputStream(dir.resolve("ttyB").toFile())) {
                StringBuilder chunk = new StringBuilder();
                for (int n = 1; n <= readings; n++) {
                    chunk.append("20.5,").append(n).append('\n');
                    if (n % 100 == 0 || n == readings) {
                        device.write(chunk.toString().getBytes(StandardCharsets.US_ASCII));
                        chunk.setLength(0);
                    }
                }
            }
            waitFor(() -> meters.get("adapter.outbox.acknowledged").counter().count() >= readings);
            return readings / ((System.nanoTime() - start) / 1e9);
        } finally {
            await(adapter.stop());
        }
    }

    private double bridgeRate(Vertx vertx, String honoUri, String brokerUri, Path dir) throws Exception {
        Path configFile = dir.resolve("bridge.yaml");
        Files.writeString(configFile, honoSection(honoUri, dir.resolve("bridge-outbox.db")) + """
                bridge:
                  uri: %s
                  clientId: bench-bridge
                  rules:
                    - topic: plant/{machine}/state
                      thingId: bench:{machine}
                      pointers:
                        /t: temperature/value
                        /n: counter/n
                """.formatted(brokerUri));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdapterRuntime adapter = new AdapterRuntime(vertx, AdapterConfig.load(configFile, AdapterConfig.Kind.MQTT, Map.of()),
                AdapterConfig.Kind.MQTT, meters);
        await(adapter.start());
        org.eclipse.paho.mqttv5.client.MqttAsyncClient plant = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
                brokerUri, "bench-plant", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            waitFor(() -> adapter.health().getString("status").equals("UP"));
            plant.connect().waitForCompletion(10_000);
            Semaphore window = new Semaphore(16); // below mosquitto's receive maximum (20)
            long start = System.nanoTime();
            for (int n = 1; n <= readings; n++) {
                window.acquire();
                var message = new org.eclipse.paho.mqttv5.common.MqttMessage(
                        ("{\"t\":20.5,\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                plant.publish("plant/pump-1/state", message, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                    @Override
                    public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                        window.release();
                    }

                    @Override
                    public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable cause) {
                        window.release();
                    }
                });
            }
            waitFor(() -> meters.get("adapter.outbox.acknowledged").counter().count() >= readings);
            return readings / ((System.nanoTime() - start) / 1e9);
        } finally {
            plant.disconnect().waitForCompletion(5_000);
            plant.close();
            await(adapter.stop());
        }
    }

    private static JsonObject provisioning() {
        return new JsonObject()
                .put("tenants", new JsonObject().put(TENANT, new JsonObject().put("enabled", true)))
                .put("devices", new JsonObject().put(TENANT, new JsonObject()
                        .put(GATEWAY, new JsonObject().put("enabled", true))
                        .put(DEVICE, new JsonObject().put("enabled", true).put("via", new JsonArray().add(GATEWAY)))))
                .put("credentials", new JsonObject().put(TENANT, new JsonObject().put(GATEWAY, new JsonArray()
                        .add(new JsonObject().put("type", "hashed-password").put("auth-id", "gw")
                                .put("secrets", new JsonArray().add(new JsonObject().put("pwd-plain", "gw-secret")))))));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
