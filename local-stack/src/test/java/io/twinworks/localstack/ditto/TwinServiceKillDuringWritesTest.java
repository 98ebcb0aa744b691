package io.twinworks.localstack.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the twin service (a child JVM running the Ditto HTTP API on its store) in the
 * middle of a stream of writes, at several random moments: every write the API acknowledged (2xx) is
 * there after the restart. Writes in flight at the kill may or may not have landed; none that was
 * acknowledged may be missing.
 */
class TwinServiceKillDuringWritesTest {

    private static final long SEED = Long.getLong("twinworks.kill.seed", 17L);
    private static final int ROUNDS = 3;
    private static final int THINGS = 4;
    private static final int IN_FLIGHT = 8;
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path stateDir;

    /** Child process: serves the Ditto API on the state directory and prints its port, until killed. */
    public static void main(String[] args) throws Exception {
        DittoTwinServer server = new DittoTwinServer(Vertx.vertx(), LocalStackConfig.defaults()
                .withStateDir(Path.of(args[0])).withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
        int port = server.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("PORT " + port);
        System.out.flush();
        Thread.sleep(600_000);
    }

    @Test
    void everyAcknowledgedWriteSurvivesAKillMinus9DuringTheStreamAtRandomMoments() throws Exception {
        Random random = new Random(SEED);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Set<Integer>> acknowledged = new ConcurrentHashMap<>();
        int nextWrite = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Process child = startChild();
            try {
                int port = awaitPort(child);
                if (round == 1) {
                    for (int t = 0; t < THINGS; t++) {
                        HttpResponse<String> created = http.send(put(port, "/api/2/things/kill:thing-" + t,
                                "{\"attributes\":{}}"), HttpResponse.BodyHandlers.ofString());
                        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                    }
                }
                // the kill comes at a random moment after the round's first acknowledged write, mid-stream
                long killAfterMillis = 50 + random.nextInt(1000);
                int acknowledgedBefore = total(acknowledged);
                AtomicLong firstAckNanos = new AtomicLong();
                AtomicBoolean killed = new AtomicBoolean();
                Semaphore window = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<?>> writes = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!killed.get()) {
                    assertThat(System.nanoTime()).as("a write acknowledged within 120 s").isLessThan(deadline);
                    long firstAck = firstAckNanos.get();
                    if (firstAck != 0 && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstAck) >= killAfterMillis) {
                        child.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no close, writes in flight
                        killed.set(true);
                        break;
                    }
                    if (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    int write = nextWrite++;
                    String thing = "kill:thing-" + (write % THINGS);
                    writes.add(http.sendAsync(put(port, "/api/2/things/" + thing + "/attributes/w" + write,
                                    Integer.toString(write)), HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, failure) -> {
                                window.release();
                                if (failure == null && response.statusCode() / 100 == 2) {
                                    acknowledged.computeIfAbsent(thing, k -> ConcurrentHashMap.newKeySet()).add(write);
                                    firstAckNanos.compareAndSet(0, System.nanoTime());
                                }
                            }));
                }
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                        .handle((ignored, failure) -> null).get(30, TimeUnit.SECONDS);
                System.out.printf("kill round %d (seed %d): killed %d ms after the first acknowledgement, %d writes sent,"
                        + " %d acknowledged%n", round, SEED, killAfterMillis, writes.size(),
                        total(acknowledged) - acknowledgedBefore);
                assertThat(total(acknowledged)).as("round %d acknowledged writes before the kill", round)
                        .isGreaterThan(acknowledgedBefore);
            } finally {
                child.destroyForcibly();
            }
            assertEveryAcknowledgedWriteIsStored(acknowledged);
        }
    }

    private static int total(Map<String, Set<Integer>> acknowledged) {
        return acknowledged.values().stream().mapToInt(Set::size).sum();
    }

    private void assertEveryAcknowledgedWriteIsStored(Map<String, Set<Integer>> acknowledged) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            DittoTwinServer reopened = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                    .withDitto(0, Map.of("ditto", "ditto")), new SimpleMeterRegistry());
            int port = reopened.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            try {
                HttpClient http = HttpClient.newHttpClient();
                for (Map.Entry<String, Set<Integer>> thing : acknowledged.entrySet()) {
                    HttpResponse<String> read = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/2/things/" + thing.getKey() + "/attributes"))
                            .header("Authorization", AUTH).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                    JsonObject attributes = new JsonObject(read.body());
                    List<Integer> missing = thing.getValue().stream()
                            .filter(write -> !Integer.valueOf(write).equals(attributes.getInteger("w" + write)))
                            .sorted().toList();
                    assertThat(missing).as("acknowledged writes of %s missing after kill -9", thing.getKey()).isEmpty();
                }
            } finally {
                reopened.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private Process startChild() throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TwinServiceKillDuringWritesTest.class.getName(),
                stateDir.toString())
                .redirectErrorStream(true).start();
    }

    /** Reads the child's output until it prints its port; keeps draining it afterwards so it never blocks. */
    private static int awaitPort(Process child) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (output.readLine() != null) {
                            // the child's log, not needed
                        }
                    } catch (java.io.IOException closed) {
                        // the child was killed
                    }
                }, "kill-test-child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new AssertionError("the child twin service printed no port within 90 s");
    }

    private static HttpRequest put(int port, String path, String json) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", AUTH).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
