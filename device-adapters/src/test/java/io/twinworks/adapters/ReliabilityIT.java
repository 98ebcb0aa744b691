package io.twinworks.adapters;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.config.AdapterConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static io.twinworks.adapters.StackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability of the serial adapter's delivery: numbered readings through a socat pty, every one
 * of them must reach Hono's Kafka northbound (checked by sequence number and by reading number).
 * The figures are printed with the prefix {@code [reliability a]} / {@code [reliability b]}.
 *
 * <p>The stack outage lasts {@code -Dtwinworks.reliability.outageSeconds} seconds (default: the 30 s).
 */
class ReliabilityIT {

    static final String PUMP = "plant.a:pump-1";
    static final int OUTAGE_SECONDS = Integer.getInteger("twinworks.reliability.outageSeconds", 30);

    @TempDir
    Path dir;

    private StackFixture stack;
    private Socat port;
    private Process child;

    @BeforeEach
    void start() throws Exception {
        Socat.requireSocat();
        stack = new StackFixture(dir, List.of(PUMP));
        port = new Socat(Files.createDirectories(dir.resolve("pty"))).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor();
        }
        if (port != null) {
            port.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private Path config(int httpPort) throws Exception {
        Path config = dir.resolve("adapter.yaml");
        Files.writeString(config, """
                hono:
                  uri: %s
                  tenant: plant.a
                  authId: gw-1
                  password: gw-secret
                  deviceId: plant.a:gw-1
                  gateway: true
                  reconnectMinMillis: 100
                  reconnectMaxMillis: 1000
                outbox:
                  file: %s
                http:
                  host: 127.0.0.1
                  port: %d
                serial:
                  ports:
                    - path: %s
                      thingId: plant.a:pump-1
                      codec:
                        type: csv
                        columns: [temperature/value, counter/n]
                """.formatted(stack.mqttUri(), dir.resolve("outbox.db"), httpPort, port.adapterEnd()));
        return config;
    }

    /** Reliability (a): the whole stack (Hono endpoint, Kafka, Ditto) is down for a while in the middle of a stream. */
    @Test
    void theStackGoingDownInTheMiddleOfAStreamLosesNoReading() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdapterRuntime adapter = new AdapterRuntime(stack.vertx,
                AdapterConfig.load(config(0), AdapterConfig.Kind.SERIAL, Map.of()), AdapterConfig.Kind.SERIAL, meters);
        int opsPort = await(adapter.start());
        await().atMost(Duration.ofSeconds(20)).until(() -> adapter.health().getString("status").equals("UP"));
        assertThat(readiness(opsPort).statusCode()).isEqualTo(200);
        int perSecond = 200;
        int count = perSecond * (OUTAGE_SECONDS + 4);
        AtomicInteger written = new AtomicInteger();
        Thread device = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(port.adapterEnd().resolveSibling("ttyDevice").toFile())) {
                for (int n = 1; n <= count; n++) {
                    out.write(("20.5," + n + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    written.set(n);
                    Thread.sleep(1000 / perSecond);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "device");
        device.start();
        long deviceStarted = System.nanoTime();
        try {
            Thread.sleep(2_000);
            stack.stop();
            int writtenAtStop = written.get();
            // readiness follows Hono: 503 naming it while the stack is down, the process itself stays live
            await().atMost(Duration.ofSeconds(OUTAGE_SECONDS)).until(() -> readiness(opsPort).statusCode() == 503);
            assertThat(new io.vertx.core.json.JsonObject(readiness(opsPort).body()).getJsonArray("down").getList())
                    .contains("hono");
            assertThat(httpGet(opsPort, "/health/live").statusCode()).isEqualTo(200);
            Thread.sleep(OUTAGE_SECONDS * 1000L);
            double peakOutbox = adapter.uplink().outbox().size();
            int writtenDuringOutage = written.get() - writtenAtStop;
            stack.start();
            long restarted = System.nanoTime();
            device.join();
            await().atMost(Duration.ofSeconds(60)).until(() -> adapter.uplink().outbox().size() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness(opsPort).statusCode() == 200);
            double drainSeconds = (System.nanoTime() - restarted) / 1e9;

            var tally = stack.readNorthbound(Map.of(PUMP, count), Duration.ofSeconds(60));
            long lost = count - tally.numbers(PUMP).size();
            System.out.printf("[reliability a] stack down %d s in the middle of a stream: %d readings sent (%d before the outage,"
                            + " %d written and %.0f held in the outbox during it), %d reached Kafka, %d lost, %d duplicates,"
                            + " outbox drained %.1f s after the restart (stream %.1f s)%n", OUTAGE_SECONDS, count,
                    writtenAtStop, writtenDuringOutage, peakOutbox, tally.numbers(PUMP).size(), lost, tally.records() - tally.seqs(PUMP).size(),
                    drainSeconds, (System.nanoTime() - deviceStarted) / 1e9);
            // the device's pace depends on the machine's load; the last few lines may still be in the pty
            assertThat(peakOutbox).as("readings stored while the stack was down (%d written meanwhile)", writtenDuringOutage)
                    .isGreaterThanOrEqualTo(writtenDuringOutage * 0.95);
            assertThat(tally.numbers(PUMP)).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
            assertThat(tally.seqs(PUMP)).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        } finally {
            device.join();
            await(adapter.stop());
        }
    }

    /**
     * Reliability (b): the adapter process is killed with SIGKILL while its outbox holds unacknowledged
     * readings, then started again: the outbox replays them and sequence numbers continue.
     */
    @Test
    void anAdapterKilledWithSigkillAndRestartedLosesNoReading() throws Exception {
        int httpPort = StackFixture.freePort();
        Path config = config(httpPort);
        int third = 300;
        child = startChild(config, httpPort);
        writeReadings(1, third);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(httpPort, "adapter_outbox_acknowledged_total") >= third);

        stack.stop();
        writeReadings(third + 1, 2 * third);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(httpPort, "adapter_outbox_appended_total") >= 2 * third);
        double waitingAtKill = metric(httpPort, "adapter_outbox_messages");
        child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close of the database
        child = null;

        stack.start();
        child = startChild(config, httpPort);
        writeReadings(2 * third + 1, 3 * third);

        var tally = stack.readNorthbound(Map.of(PUMP, 3 * third), Duration.ofSeconds(60));
        System.out.printf("[reliability b] adapter kill -9 and restart: %d readings sent, %.0f waiting in the outbox at the kill,"
                        + " %d reached Kafka, %d lost, %d duplicates, sequence numbers %d..%d%n", 3 * third, waitingAtKill,
                tally.numbers(PUMP).size(), 3 * third - tally.numbers(PUMP).size(), tally.records() - tally.seqs(PUMP).size(),
                tally.seqs(PUMP).isEmpty() ? 0 : tally.seqs(PUMP).first(), tally.seqs(PUMP).isEmpty() ? 0 : tally.seqs(PUMP).last());
        assertThat(waitingAtKill).as("readings waiting in the outbox at the kill").isGreaterThanOrEqualTo(third);
        assertThat(tally.numbers(PUMP)).containsExactlyElementsOf(LongStream.rangeClosed(1, 3 * third).boxed().toList());
        assertThat(tally.seqs(PUMP)).containsExactlyElementsOf(LongStream.rangeClosed(1, 3 * third).boxed().toList());
    }

    private Process startChild(Path config, int httpPort) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.twinworks.adapters.app.Main", "serial", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("adapter exited: " + Files.readString(dir.resolve("child.log")));
            }
            return metric(httpPort, "adapter_serial_connected") >= 1;
        });
        return process;
    }

    private void writeReadings(int from, int to) throws Exception {
        try (OutputStream out = new FileOutputStream(port.deviceEnd().toFile())) {
            for (int n = from; n <= to; n++) {
                out.write(("20.5," + n + "\n").getBytes(StandardCharsets.US_ASCII));
                if (n % 50 == 0) {
                    out.flush();
                    Thread.sleep(5);
                }
            }
        }
    }

    /** The sum of a metric's samples from the adapter's /metrics, -1 when it does not answer. */
    private static HttpResponse<String> readiness(int opsPort) throws Exception {
        return httpGet(opsPort, "/health/ready");
    }

    private static HttpResponse<String> httpGet(int opsPort, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(int httpPort, String name) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher sample = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(response.body());
            double sum = 0;
            while (sample.find()) {
                sum += Double.parseDouble(sample.group(2));
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }
}
