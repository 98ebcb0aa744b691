package io.twinworks.localstack.ditto.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test of behaviour: a micro harness printing the twin service thread's CPU per device merge (what
 * {@code bench ingest}'s "twin apply stage" line measures, without Kafka, MQTT or subscribers), for comparing
 * a change against its parent on the same machine. Runs only when asked:
 * {@code -Dtwinworks.harness=true -Dtest=TwinApplyCpuHarness}. Nothing is asserted on time.
 */
@EnabledIfSystemProperty(named = "twinworks.harness", matches = "true")
class TwinApplyCpuHarness {

    private static final DittoHeaders DEVICE = DittoHeaders.newBuilder()
            .authorizationContext(AuthorizationContext.newInstance(DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                    AuthorizationSubject.newInstance("integration:hono")))
            .contentType("application/merge-patch+json")
            .build();
    private static final int DEVICES = 10;
    private static final int BATCH = 200;

    @TempDir
    Path stateDir;

    @Test
    void printsTheTwinThreadsCpuPerDeviceMerge() throws Exception {
        Vertx vertx = Vertx.vertx();
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        try (TwinStore store = TwinStore.open(stateDir);
             TwinService twins = new TwinService(vertx, store, new TwinEventPublisher(), 100_000,
                     java.time.Clock.systemUTC(), new ThingPayloadValidator(catalog))) {
            List<ThingId> ids = new ArrayList<>();
            for (int d = 1; d <= DEVICES; d++) {
                ThingId id = ThingId.of("plant.a:pump-" + d);
                ids.add(id);
                String skeleton = new ThingSkeleton(catalog).skeleton(catalog.require("centrifugal-pump"),
                        Map.of("tenant", JsonNodeFactory.instance.textNode("plant.a"),
                                "location", JsonNodeFactory.instance.textNode("hall 1"))).toString();
                JsonObject thing = JsonObject.of(skeleton).setValue("thingId", id.toString());
                await(twins.handle(CreateThing.of(ThingsModelFactory.newThing(thing), null, DEVICE)));
            }
            System.out.printf("pump twin JSON: %d bytes%n", store.findThing(ids.get(0)).orElseThrow().json().toString().length());
            long seq = 0;
            for (int round = 0; round < 6; round++) {
                int merges = 40_000;
                long cpuBefore = twinThreadCpuNanos();
                long bytesBefore = twinThreadAllocatedBytes();
                for (int i = 0; i < merges; i += BATCH) {
                    List<Command<?>> batch = new ArrayList<>(BATCH);
                    for (int j = 0; j < BATCH; j++) {
                        seq++;
                        batch.add(merge(ids.get((int) (seq % DEVICES)), seq));
                    }
                    List<CommandResult> results = await(twins.handleInOrder(batch));
                    assertThat(results).allSatisfy(result -> assertThat(result.failure()).isNull());
                }
                long cpu = twinThreadCpuNanos() - cpuBefore;
                long bytes = twinThreadAllocatedBytes() - bytesBefore;
                System.out.printf(Locale.ROOT, "round %d%s: %d merges, twin thread %.1f us CPU and %d bytes allocated"
                        + " per merge%n", round, round == 0 ? " (warm-up)" : "", merges, cpu / 1000.0 / merges,
                        bytes / merges);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.out.println("loadavg: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /**
     * Two ways of doing one step, timed in turns in this JVM (A/B/B/A, thread CPU per call), so that the machine's
     * load shifts both alike.
     */
    static void compare(String what, Runnable a, Runnable b, int calls) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] perCall = new double[2];
        Runnable[] order = {a, b, b, a, a, b, b, a};
        for (int warm = 0; warm < 3; warm++) {
            for (int i = 0; i < calls; i++) {
                a.run();
                b.run();
            }
        }
        for (int turn = 0; turn < order.length; turn++) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                order[turn].run();
            }
            perCall[order[turn] == a ? 0 : 1] += (threads.getCurrentThreadCpuTime() - before) / 1000.0 / calls / 4;
        }
        System.out.printf(Locale.ROOT, "%s: A %.2f us, B %.2f us per call (B/A %.2f)%n", what, perCall[0], perCall[1],
                perCall[1] / perCall[0]);
    }

    /** A reading as the bench's devices send it: rms, seq and ts merged into the vibration feature's properties. */
    private static MergeThing merge(ThingId id, long seq) {
        JsonObject value = JsonObject.of(String.format(Locale.ROOT, "{\"rms\":%.3f,\"seq\":%d,\"ts\":\"%s\"}",
                2.0 + (seq % 10) * 0.01, seq, java.time.Instant.now()));
        return MergeThing.of(id, JsonPointer.of("/features/vibration/properties"), value,
                DEVICE.toBuilder().correlationId(UUID.randomUUID().toString()).build());
    }

    private static long twinThreadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("ditto-twin-service")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    /** Allocation does not depend on the machine's load as CPU time does: a steadier second view of a change. */
    private static long twinThreadAllocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("ditto-twin-service")) {
                total += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
            }
        }
        return total;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
