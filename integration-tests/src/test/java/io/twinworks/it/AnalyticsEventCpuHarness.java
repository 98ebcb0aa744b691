package io.twinworks.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measuring harness, not a test of behaviour: the analytics service's CPU per twin event, with the service in a
 * JVM of its own (so that its process CPU is its cost alone) on the local stack's WebSocket. The stack gets
 * {@code harness.merges} fleet-shaped merges at {@code /features} of 100 twins over HTTP (32 in flight), after a
 * warm-up of {@code harness.warmup} (default a fifth as many); the analytics JVM's CPU (utime + stime from /proc) over the measured batch and a 5 s
 * drain is printed per 1,000 merges. Times are printed, never asserted. Run it with
 * {@code -Dit.test=AnalyticsEventCpuHarness -Dharness.analytics.cp=<class path of the analytics service>}
 * (e.g. a CLI build's {@code twinworks-cli.jar:lib/*}), so that two builds are compared on the same stack code;
 * {@code -Dharness.analytics.jfr=FILE} records the analytics JVM with JFR.
 */
class AnalyticsEventCpuHarness {

    private static final int THINGS = 100;
    private static final int IN_FLIGHT = 32;

    @TempDir
    Path stateDir;

    @Test
    void printsTheAnalyticsJvmsCpuPerThousandTwinEvents() throws Exception {
        String classPath = System.getProperty("harness.analytics.cp");
        assertThat(classPath).as("-Dharness.analytics.cp").isNotBlank();
        int merges = Integer.getInteger("harness.merges", 30_000);
        int warmUp = Integer.getInteger("harness.warmup", merges / 5);
        try (LocalStackFixture fixture = new LocalStackFixture(stateDir)) {
            List<String> things = new ArrayList<>();
            for (int i = 0; i < THINGS; i++) {
                things.add("plant.a:cpu-" + i);
            }
            fixture.createUnmodelledTwins(things);
            int opsPort;
            try (ServerSocket free = new ServerSocket(0)) {
                opsPort = free.getLocalPort();
            }
            Path log = Files.createTempFile("analytics-harness", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
            String jfr = System.getProperty("harness.analytics.jfr");
            if (jfr != null) {
                command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
            }
            command.addAll(List.of("-cp", classPath, "io.twinworks.analytics.app.Main"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("TWINWORKS_ANALYTICS_DITTO_ENDPOINT", fixture.endpoints.dittoUrl().replaceFirst("^http", "ws"));
            builder.environment().put("TWINWORKS_ANALYTICS_DITTO_USER", LocalStackFixture.ANALYTICS);
            builder.environment().put("TWINWORKS_ANALYTICS_DITTO_PASSWORD", LocalStackFixture.ANALYTICS_PASSWORD);
            builder.environment().put("TWINWORKS_ANALYTICS_HTTP_PORT", String.valueOf(opsPort));
            builder.environment().put("TWINWORKS_ANALYTICS_MODEL_DIR", stateDir.resolve("models").toString());
            builder.environment().put("TWINWORKS_ANALYTICS_LEARNED_PROBATION", "0");
            Process analytics = builder.start();
            WebClient http = WebClient.create(fixture.vertx);
            try {
                waitUntilReady(http, opsPort);
                drive(fixture, http, things, warmUp);
                Thread.sleep(5_000);
                long before = cpuMillis(analytics.pid());
                long started = System.nanoTime();
                drive(fixture, http, things, merges);
                long drivenMillis = (System.nanoTime() - started) / 1_000_000;
                Thread.sleep(5_000);
                long cpu = cpuMillis(analytics.pid()) - before;
                System.out.printf(Locale.ROOT, "HARNESS analytics JVM: %d ms CPU for %,d merges (driven in %,d ms, %.0f merges/s): "
                                + "%.1f ms CPU per 1,000 twin events; load %s%n", cpu, merges, drivenMillis,
                        merges * 1000.0 / drivenMillis, cpu * 1000.0 / merges, Files.readString(Path.of("/proc/loadavg")).trim());
            } finally {
                analytics.destroy();
                analytics.waitFor(20, TimeUnit.SECONDS);
                http.close();
                System.out.println("HARNESS analytics log: " + log);
            }
        }
    }

    private static void waitUntilReady(WebClient http, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (await(http.get(port, "127.0.0.1", "/health/ready").send()).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the analytics service did not become ready within 60 s");
    }

    /** {@code count} merges of every pump feature, round-robin over the things, {@value #IN_FLIGHT} at a time. */
    private static void drive(LocalStackFixture fixture, WebClient http, List<String> things, int count) {
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < IN_FLIGHT; lane++) {
            Promise<Void> done = Promise.promise();
            lanes.add(done.future());
            fixture.vertx.runOnContext(v -> sendNext(fixture, http, things, count, next, done));
        }
        await(Future.all(lanes));
    }

    private static void sendNext(LocalStackFixture fixture, WebClient http, List<String> things, int count, AtomicInteger next,
                                 Promise<Void> done) {
        int i = next.getAndIncrement();
        if (i >= count) {
            done.tryComplete();
            return;
        }
        String ts = Instant.now().toString();
        JsonObject features = new JsonObject()
                .put("vibration", properties().put("rms", 2.0 + (i % 50) / 1000.0).put("seq", i).put("ts", ts))
                .put("temperature", properties().put("value", 61.25 + i % 7).put("ts", ts))
                .put("flow", properties().put("value", 120.5 + i % 3).put("ts", ts))
                .put("pressure", properties().put("value", 4.125 + (i % 11) / 100.0).put("ts", ts))
                .put("drive", properties().put("running", true).put("speed", 2950).put("alarmActive", false).put("ts", ts));
        JsonObject merge = new JsonObject();
        features.forEach(entry -> merge.put(entry.getKey(), new JsonObject().put("properties", entry.getValue())));
        http.patchAbs(fixture.endpoints.dittoUrl() + "/api/2/things/" + things.get(i % things.size()) + "/features")
                .basicAuthentication(LocalStackFixture.OPERATOR, LocalStackFixture.OPERATOR_PASSWORD)
                .putHeader("Content-Type", "application/merge-patch+json")
                .sendBuffer(merge.toBuffer())
                .onComplete(response -> {
                    if (response.failed() || response.result().statusCode() / 100 != 2) {
                        done.tryFail("merge " + i + " failed: " + (response.failed() ? response.cause()
                                : response.result().statusCode() + " " + response.result().bodyAsString()));
                        return;
                    }
                    sendNext(fixture, http, things, count, next, done);
                });
    }

    private static JsonObject properties() {
        return new JsonObject();
    }

    /** utime + stime of a process, in milliseconds (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 0, utime field 11, stime field 12
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }
}
