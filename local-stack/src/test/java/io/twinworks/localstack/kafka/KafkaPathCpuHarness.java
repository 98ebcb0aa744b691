package io.twinworks.localstack.kafka;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.yammer.metrics.core.Meter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.localstack.ditto.connectivity.HonoConnectionSettings;
import io.twinworks.localstack.ditto.connectivity.HonoTwinIngest;
import io.twinworks.localstack.ditto.service.TwinEventPublisher;
import io.twinworks.localstack.ditto.service.TwinService;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.server.metrics.KafkaYammerMetrics;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test of behaviour: a harness printing the Kafka path's CPU per 1,000 records — the in-JVM broker's
 * threads, the northbound producer's and the Hono connection's consumer thread — for the ingest path without
 * MQTT, Paho or subscribers: the real {@link NorthboundProducer} writes device merges at a fixed rate, the real
 * {@link HonoTwinIngest} applies them to a real {@link TwinService} (WoT validation on). Variants (client and
 * broker settings) run in turns A/B/B/A in this JVM, each on a fresh broker and twin store, so that the machine's
 * load shifts them alike. Also prints the broker's requests per 1,000 records by type. Runs only when asked:
 * {@code -Dtwinworks.harness=true -Dtest=KafkaPathCpuHarness}, variants as
 * {@code -Dtwinworks.harness.variants="A:commit=0;B:commit=1000,broker.num.io.threads=2"} (keys: {@code commit},
 * {@code linger}, {@code batch}, {@code fetchMinBytes}, {@code fetchMaxWait}, {@code broker.<property>}),
 * {@code -Dtwinworks.harness.rate=5000}, {@code -Dtwinworks.harness.records=60000}. Nothing is asserted on time.
 */
@EnabledIfSystemProperty(named = "twinworks.harness", matches = "true")
class KafkaPathCpuHarness {

    private static final String SUBJECT = "integration:hono";
    private static final DittoHeaders CREATOR = DittoHeaders.newBuilder()
            .authorizationContext(AuthorizationContext.newInstance(DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                    AuthorizationSubject.newInstance(SUBJECT)))
            .build();
    private static final String TENANT = "plant.a";
    private static final int DEVICES = 10;
    private static final int PAYLOAD_BYTES = 256;
    private static final List<String> GROUPS = List.of("broker", "producer", "consumer", "send", "twin", "vertx",
            "pacer", "other");
    private static final List<String> REQUESTS = List.of("Produce", "Fetch", "OffsetCommit", "Heartbeat",
            "ConsumerGroupHeartbeat", "Metadata");

    @TempDir
    Path scratch;

    @Test
    void printsTheKafkaPathsCpuPerThousandRecords() throws Exception {
        Map<String, Map<String, String>> variants = variants(System.getProperty("twinworks.harness.variants",
                "A:commit=0;B:commit=1000"));
        int rate = Integer.getInteger("twinworks.harness.rate", 5_000);
        int records = Integer.getInteger("twinworks.harness.records", 60_000);
        List<String> order = new ArrayList<>(variants.keySet());
        List<String> turns = new ArrayList<>(order);
        for (int i = order.size() - 1; i >= 0; i--) {
            turns.add(order.get(i));
        }
        Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
        int run = 0;
        for (String variant : turns) {
            System.out.println("loadavg before " + variant + ": " + loadavg());
            Map<String, Double> perThousand = runOnce(scratch.resolve("run-" + run++), variants.get(variant), rate, records);
            results.computeIfAbsent(variant, v -> new ArrayList<>()).add(perThousand);
            System.out.printf(Locale.ROOT, "%s %s: %s%n", variant, variants.get(variant), format(perThousand));
        }
        System.out.println("means (ms CPU per 1,000 records; requests per 1,000 records):");
        for (String variant : order) {
            Map<String, Double> mean = new TreeMap<>();
            results.get(variant).forEach(r -> r.forEach((k, v) -> mean.merge(k, v / results.get(variant).size(), Double::sum)));
            System.out.printf(Locale.ROOT, "  %s %s: %s%n", variant, variants.get(variant), format(mean));
        }
        System.out.println("loadavg after: " + loadavg());
    }

    private Map<String, Double> runOnce(Path dir, Map<String, String> settings, int rate, int records) throws Exception {
        Map<String, Object> brokerProps = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith("broker.")) {
                brokerProps.put(key.substring("broker.".length()), value);
            }
        });
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "127.0.0.1", 0, brokerProps);
        broker.start();
        Vertx vertx = Vertx.vertx();
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        NorthboundProducer producer = new NorthboundProducer(vertx, broker.bootstrapServers(), 100_000,
                new NorthboundProducer.Batching(intSetting(settings, "linger", NorthboundProducer.Batching.DEFAULT.lingerMs()),
                        intSetting(settings, "batch", NorthboundProducer.Batching.DEFAULT.batchBytes())));
        try (TwinStore store = TwinStore.open(dir.resolve("twins"));
             TwinService twins = new TwinService(vertx, store, new TwinEventPublisher(), 100_000,
                     java.time.Clock.systemUTC(), new ThingPayloadValidator(catalog))) {
            List<String> devices = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                String id = TENANT + ":pump-" + d;
                devices.add(id);
                String skeleton = new ThingSkeleton(catalog).skeleton(catalog.require("centrifugal-pump"),
                        Map.of("tenant", JsonNodeFactory.instance.textNode(TENANT),
                                "location", JsonNodeFactory.instance.textNode("hall 1"))).toString();
                JsonObject thing = JsonObject.of(skeleton).setValue("thingId", id);
                await(twins.handle(CreateThing.of(ThingsModelFactory.newThing(thing), null, CREATOR)));
            }
            HonoTwinIngest ingest = new HonoTwinIngest(vertx, twins, new HonoConnectionSettings(broker.bootstrapServers(),
                    "harness-group", List.of(SUBJECT),
                    intSetting(settings, "fetchMinBytes", HonoConnectionSettings.DEFAULT_FETCH_MIN_BYTES),
                    intSetting(settings, "fetchMaxWait", HonoConnectionSettings.DEFAULT_FETCH_MAX_WAIT_MS),
                    intSetting(settings, "commit", HonoConnectionSettings.DEFAULT_COMMIT_INTERVAL_MS)), metrics);
            await(ingest.start());
            try {
                long[] seq = {0};
                publish(vertx, producer, devices, seq, Math.min(20_000, records / 3), rate, metrics);   // warm-up
                Map<Long, Long> cpuBefore = threadCpu();
                Map<String, Long> requestsBefore = requestCounts();
                publish(vertx, producer, devices, seq, records, rate, metrics);
                Map<String, Double> perThousand = new TreeMap<>();
                Map<Long, Long> cpuAfter = threadCpu();
                Map<Long, String> names = threadNames();
                cpuAfter.forEach((id, cpu) -> perThousand.merge(group(names.getOrDefault(id, "?")),
                        (cpu - cpuBefore.getOrDefault(id, 0L)) / 1e6 / records * 1000, Double::sum));
                perThousand.put("kafka path", perThousand.getOrDefault("broker", 0.0)
                        + perThousand.getOrDefault("producer", 0.0) + perThousand.getOrDefault("consumer", 0.0));
                Map<String, Long> requestsAfter = requestCounts();
                requestsAfter.forEach((type, count) -> perThousand.put("req " + type,
                        (count - requestsBefore.getOrDefault(type, 0L)) * 1000.0 / records));
                return perThousand;
            } finally {
                ingest.close();
            }
        } finally {
            producer.close();
            await(vertx.close());
            broker.close();
        }
    }

    /** Sends {@code count} device merges at {@code rate} per second and waits until the twins applied them all. */
    private static void publish(Vertx vertx, NorthboundProducer producer, List<String> devices, long[] seq, int count,
                                int rate, SimpleMeterRegistry metrics) throws Exception {
        double appliedBefore = applied(metrics);
        Context context = vertx.getOrCreateContext();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long[] ackNanos = new long[count];
        long started = System.nanoTime();
        int sent = 0;
        while (sent < count) {
            int due = (int) Math.min(count, (System.nanoTime() - started) * rate / 1_000_000_000L);
            if (due > sent) {
                List<byte[]> payloads = new ArrayList<>(due - sent);
                List<String> ids = new ArrayList<>(due - sent);
                int first = sent;
                for (int i = sent; i < due; i++) {
                    long s = ++seq[0];
                    String id = devices.get((int) (s % devices.size()));
                    ids.add(id);
                    payloads.add(payload(id, s));
                }
                context.runOnContext(v -> {
                    for (int i = 0; i < payloads.size(); i++) {
                        int index = first + i;
                        long sentAt = System.nanoTime();
                        producer.send(HonoRecords.downstream(HonoTopic.Type.TELEMETRY, TENANT, ids.get(i),
                                "application/vnd.eclipse.ditto+json", 1, null, "telemetry", false, payloads.get(i),
                                System.currentTimeMillis())).onComplete(result -> {
                                    if (result.succeeded()) {
                                        ackNanos[index] = System.nanoTime() - sentAt;
                                        acknowledged.incrementAndGet();
                                    } else {
                                        failed.incrementAndGet();
                                    }
                                });
                    }
                });
                sent = due;
            }
            LockSupport.parkNanos(500_000);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while ((applied(metrics) - appliedBefore < count || acknowledged.get() + failed.get() < count)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(failed.get()).as("failed writes").isZero();
        assertThat(applied(metrics) - appliedBefore).as("applied").isEqualTo(count);
        long[] sorted = ackNanos.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %d records at %d/s asked: applied in %.1f s (%.0f/s); send -> Kafka ack p50 %.2f ms,"
                        + " p99 %.2f ms%n", count, rate, seconds, count / seconds, sorted[count / 2] / 1e6,
                sorted[(int) (count * 0.99)] / 1e6);
    }

    private static double applied(SimpleMeterRegistry metrics) {
        Counter counter = metrics.find("twinworks.ditto.hono.ingest.applied").counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] payload(String thingId, long seq) {
        String[] parts = thingId.split(":", 2);
        String json = "{\"topic\":\"" + parts[0] + "/" + parts[1] + "/things/twin/commands/merge\","
                + "\"headers\":{\"content-type\":\"application/merge-patch+json\"},"
                + "\"path\":\"/features/vibration/properties\",\"value\":{\"rms\":"
                + String.format(Locale.ROOT, "%.3f", 2.0 + (seq % 10) * 0.01) + ",\"seq\":" + seq + ",\"ts\":\""
                + Instant.now() + "\"}}";
        return (json + " ".repeat(Math.max(0, PAYLOAD_BYTES - json.length()))).getBytes(StandardCharsets.US_ASCII);
    }

    private static String group(String thread) {
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer";
        }
        if (thread.startsWith("twinworks-ditto-hono-connection") || thread.contains("| harness-group")
                || thread.startsWith("consumer_background_thread")) {
            return "consumer";
        }
        if (thread.startsWith("twinworks-kafka-northbound")) {
            return "send";
        }
        if (thread.startsWith("ditto-twin-service")) {
            return "twin";
        }
        if (thread.startsWith("vert.x")) {
            return "vertx";
        }
        if (thread.equals("main") || thread.startsWith("surefire")) {
            return "pacer";
        }
        if (thread.startsWith("data-plane-kafka") || thread.startsWith("group-coordinator") || thread.startsWith("kafka-")
                || thread.startsWith("quorum") || thread.startsWith("controller") || thread.startsWith("broker")
                || thread.startsWith("ExpirationReaper") || thread.startsWith("raft") || thread.contains("Reaper")
                || thread.startsWith("share-") || thread.startsWith("transaction") || thread.startsWith("executor-")
                || thread.startsWith("LogDirFailureHandler") || thread.startsWith("metadata")
                || thread.startsWith("ThrottledChannelReaper") || thread.startsWith("persister")) {
            return "broker";
        }
        return "other";
    }

    private static Map<Long, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    private static Map<Long, String> threadNames() {
        Map<Long, String> names = new HashMap<>();
        Thread.getAllStackTraces().keySet().forEach(thread -> names.put(thread.getId(), thread.getName()));
        return names;
    }

    /** The broker's request counts by type (all API versions), from its Yammer meters. */
    private static Map<String, Long> requestCounts() {
        Map<String, Long> counts = new TreeMap<>();
        KafkaYammerMetrics.defaultRegistry().allMetrics().forEach((name, metric) -> {
            if ("kafka.network".equals(name.getGroup()) && "RequestMetrics".equals(name.getType())
                    && "RequestsPerSec".equals(name.getName()) && metric instanceof Meter meter && name.getScope() != null) {
                for (String type : REQUESTS) {
                    if (name.getScope().contains("request." + type + ".")) {
                        counts.merge(type, meter.count(), Long::sum);
                    }
                }
            }
        });
        return counts;
    }

    private static String format(Map<String, Double> values) {
        StringBuilder text = new StringBuilder();
        List<String> keys = new ArrayList<>(GROUPS);
        keys.add("kafka path");
        values.keySet().stream().filter(key -> !keys.contains(key)).sorted().forEach(keys::add);
        for (String key : keys) {
            if (values.containsKey(key)) {
                text.append(String.format(Locale.ROOT, "%s %.1f, ", key, values.get(key)));
            }
        }
        return text.toString();
    }

    private static Map<String, Map<String, String>> variants(String spec) {
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        for (String variant : spec.split(";")) {
            String[] nameAndSettings = variant.split(":", 2);
            Map<String, String> settings = new LinkedHashMap<>();
            if (nameAndSettings.length > 1 && !nameAndSettings[1].isBlank()) {
                for (String setting : nameAndSettings[1].split(",")) {
                    String[] keyValue = setting.split("=", 2);
                    settings.put(keyValue[0].trim(), keyValue[1].trim());
                }
            }
            variants.put(nameAndSettings[0].trim(), settings);
        }
        return variants;
    }

    private static int intSetting(Map<String, String> settings, String key, int fallback) {
        return settings.containsKey(key) ? Integer.parseInt(settings.get(key)) : fallback;
    }

    private static String loadavg() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
