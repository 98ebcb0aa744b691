package io.twinworks.cli.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.twinworks.localstack.ditto.service.TwinService;
import io.twinworks.policies.PolicySubjects;
import io.twinworks.sim.fleet.FleetAsset;
import io.twinworks.sim.fleet.FleetProvisioning;
import io.twinworks.sim.fleet.VirtualFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The soak behind {@code twinworks bench soak}: a local stack started for the run on free ports in a
 * temporary state directory, the pumps provisioned as the demo provisions them (Hono registry, Ditto
 * policies from the role templates, twins from the pump's Thing Model) and registered behind gateways,
 * the analytics service on the stack's Ditto API as {@code twinworks up --demo} runs it, a Ditto
 * WebSocket subscriber booking every applied reading by its sequence number, and the simulation
 * service's {@link VirtualFleet} publishing for the run time. Every report interval a line with the
 * counters and the JVM's heap after a (forced) full collection and RSS; after the run a drain, the
 * loss accounting and the {@link SoakVerdict}.
 *
 * <p>Everything runs in this JVM: heap and RSS are those of stack, analytics, fleet and subscriber
 * together. Blocking: call {@link #run()} from a plain thread.
 */
public final class SoakBench {

    /** The operator user the bench stacks are started with (Ditto's default). */
    static final String OPERATOR = "ditto";
    static final String OPERATOR_PASSWORD = "ditto";
    static final String SIMULATION_SUBJECT = "nginx:simulation";
    /** Where a fleet reading's sequence number sits in the pump's twin. */
    private static final String SEQ_POINTER = "/features/vibration/properties/seq";
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);
    /** Model hours after which the fast-wearing pumps get their bearing defect (as the demo's default). */
    private static final double DEFECT_AT_HOURS = 0.5;
    private static final String SECRET_PREFIX = "soak-secret";
    private static final int PROVISIONING_CHUNK = 250;
    private static final int PROVISIONING_PARALLELISM = 4;

    private final SoakOptions options;
    private final AnalyticsConfig analyticsConfig;
    private final String subscriberFilter;
    private final Consumer<String> out;

    /**
     * @param analyticsConfig  the analytics service's config (its Ditto user is added to the stack)
     * @param subscriberFilter a Ditto RQL filter for the subscriber's {@code START-SEND-EVENTS}, or {@code null}
     *                         for all changes (a filter makes the subscriber miss events: tests use it to cause loss)
     * @param out              where the report lines go, as they come
     */
    public SoakBench(SoakOptions options, AnalyticsConfig analyticsConfig, String subscriberFilter, Consumer<String> out) {
        this.options = Objects.requireNonNull(options, "options");
        this.analyticsConfig = Objects.requireNonNull(analyticsConfig, "analyticsConfig");
        this.subscriberFilter = subscriberFilter;
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Runs the soak and returns its verdict.
     *
     * @throws IllegalStateException when the stack, the provisioning, analytics, the subscriber or the fleet cannot start
     */
    public SoakVerdict run() throws Exception {
        ScratchDirectory scratch = ScratchDirectory.create("twinworks-soak-state");
        Path stateDir = scratch.path();
        LocalStackConfig config = Demo.withAnalyticsUser(BenchStackConfig.fromEnvironment(Map.of(
                        // hashing the devices' passwords is set-up, not what is soaked
                        "TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir)
                .withPorts(0, 0, 0)
                .withDitto(0, Map.of(OPERATOR, OPERATOR_PASSWORD)), analyticsConfig);
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        AnalyticsService analytics = null;
        TwinEventSubscriber subscriber = null;
        VirtualFleet fleet = null;
        try {
            out.accept("soak: starting the local stack in " + stateDir);
            LocalStackEndpoints endpoints = await(stack.start());
            List<DemoDevice> devices = DemoPlant.pumps(options.devices());
            long provisioningStarted = System.nanoTime();
            provision(vertx, endpoints, devices, Demo.subjects(config.dittoHonoSubjects(),
                    "nginx:" + analyticsConfig.dittoUser(), SIMULATION_SUBJECT, "nginx:" + OPERATOR), line -> out.accept("soak: " + line));
            List<FleetAsset> assets = DemoPlant.fleet(devices, DEFECT_AT_HOURS);
            List<VirtualFleet.Gateway> gateways = FleetProvisioning.gateways(options.gateways(), SECRET_PREFIX);
            if (!gateways.isEmpty()) {
                Path file = stateDir.resolve("soak-gateways.json");
                Files.writeString(file, FleetProvisioning.document(DemoPlant.TENANT, assets, gateways).encode());
                await(stack.provision(file));
            }
            out.accept(String.format(Locale.ROOT, "soak: %,d pumps provisioned (registry, policies, twins)%s in %.0f s",
                    devices.size(), gateways.isEmpty() ? "" : " behind " + gateways.size() + " gateways",
                    (System.nanoTime() - provisioningStarted) / 1e9));

            analytics = Demo.analyticsOn(vertx, analyticsConfig, endpoints);
            await(analytics.start());
            SoakLedger ledger = new SoakLedger(devices.size());
            Map<String, Integer> indexByThingId = new HashMap<>();
            for (int i = 0; i < devices.size(); i++) {
                indexByThingId.put(devices.get(i).deviceId(), i);
            }
            subscriber = new TwinEventSubscriber(vertx, booking(ledger, indexByThingId));
            await(subscriber.start(URI.create(endpoints.dittoUrl()), OPERATOR, OPERATOR_PASSWORD, subscriberFilter));
            out.accept("soak: analytics service on (as nginx:" + analyticsConfig.dittoUser() + "), subscriber on /ws/2"
                    + (subscriberFilter == null ? "" : " with filter " + subscriberFilter));

            fleet = new VirtualFleet(endpoints.mqttUri(), DemoPlant.TENANT, assets, gateways, options.ratePerDevice(), options.timeScale());
            fleet.start();
            long initialConnections = stack.mqttStatus().connectionsAccepted();
            out.accept(String.format(Locale.ROOT, "soak: %,d pumps x %s msg/s = %,.0f msg/s via %s for %d s; a line every %d s"
                            + " (heap after a forced full GC, RSS of this JVM: stack + analytics + fleet + subscriber)",
                    devices.size(), options.ratePerDevice(), options.targetRate(),
                    gateways.isEmpty() ? devices.size() + " device connections" : gateways.size() + " gateways",
                    options.duration().toSeconds(), options.reportInterval().toSeconds()));

            List<SoakRow> rows = report(fleet, ledger, stack, initialConnections);
            fleet.close();
            boolean stillApplying = drain(fleet, ledger);
            SoakLedger.Counts counts = ledger.counts();
            SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(fleet.published(), fleet.acknowledged(), fleet.failed(), ledger);
            SoakVerdict verdict = new SoakVerdict(stillApplying ? delivery.cutShort(options.maxDrain()) : delivery,
                    counts.outOfOrder(), subscriber.closedUnexpectedly(), SoakVerdict.Heap.of(rows),
                    SoakVerdict.Throughput.of(options.targetRate(), rows));
            out.accept(String.format(Locale.ROOT, "soak: final: published %,d, acknowledged %,d, failed %,d, back-pressure ticks %,d;"
                            + " applied %,d distinct (%,d duplicate events, %,d events of other things)",
                    fleet.published(), fleet.acknowledged(), fleet.failed(), fleet.backPressureEvents(), counts.distinct(),
                    counts.duplicates(), counts.foreign()));
            // where refused or failed readings went, when the fleet's counts show some: the endpoint's own counters
            io.twinworks.localstack.hono.mqtt.MqttEndpointStatus endpoint = stack.mqttStatus();
            out.accept(String.format(Locale.ROOT, "soak: Hono endpoint: %s, %,d Kafka write failures",
                    endpoint.toStatusLine().replaceFirst("^mqtt: ", ""), endpoint.kafkaWriteFailures()));
            verdict.format().forEach(line -> out.accept("soak: " + line));
            return verdict;
        } finally {
            if (fleet != null) {
                fleet.close();
            }
            if (subscriber != null) {
                awaitQuietly(subscriber.stop());
            }
            if (analytics != null) {
                awaitQuietly(analytics.stop());
            }
            awaitQuietly(stack.stop());
            awaitQuietly(vertx.close());
            scratch.close();
        }
    }

    /**
     * Provisions the pumps as the demo does, in chunks: the provisioner goes step by step (read, then
     * write), so one run for 10,000 pumps would take longer than the soak. The first chunk alone (it
     * creates what the chunks share: tenant, line), then up to {@value #PROVISIONING_PARALLELISM} chunks at a time.
     */
    static void provision(Vertx vertx, LocalStackEndpoints endpoints, List<DemoDevice> devices, PolicySubjects subjects,
                          Consumer<String> progress) throws Exception {
        int first = Math.min(devices.size(), PROVISIONING_CHUNK);
        await(Demo.provision(vertx, endpoints, OPERATOR, OPERATOR_PASSWORD, devices.subList(0, first), subjects));
        for (int from = first; from < devices.size(); from += PROVISIONING_CHUNK * PROVISIONING_PARALLELISM) {
            List<Future<?>> running = new ArrayList<>();
            for (int chunk = 0; chunk < PROVISIONING_PARALLELISM; chunk++) {
                int start = from + chunk * PROVISIONING_CHUNK;
                if (start < devices.size()) {
                    running.add(Demo.provision(vertx, endpoints, OPERATOR, OPERATOR_PASSWORD,
                            devices.subList(start, Math.min(devices.size(), start + PROVISIONING_CHUNK)), subjects));
                }
            }
            await(Future.all(running));
            progress.accept(String.format(Locale.ROOT, "provisioned %,d of %,d pumps", Math.min(devices.size(),
                    from + PROVISIONING_CHUNK * PROVISIONING_PARALLELISM), devices.size()));
        }
    }

    /** The report lines of the run, printed as they come. */
    /**
     * Books the vibration reading a change event of the fleet carries into the ledger by its sequence
     * number; an event of a thing outside the fleet, or a message that is no event, counts as foreign.
     */
    static TwinEventSubscriber.Listener booking(SoakLedger ledger, Map<String, Integer> indexByThingId) {
        return new TwinEventSubscriber.Listener() {
            @Override
            public void onEvent(TwinEventSubscriber.TwinEvent event) {
                Integer device = indexByThingId.get(event.thingId());
                if (device == null) {
                    ledger.foreign();
                } else if (event.valueAt(SEQ_POINTER) instanceof Number seq) {
                    ledger.applied(device, seq.longValue());
                }
                // a change of the thing without a vibration reading (e.g. the analytics service's predictions) books nothing
            }

            @Override
            public void onUndecodable(String text) {
                ledger.foreign();
            }
        };
    }

    private List<SoakRow> report(VirtualFleet fleet, SoakLedger ledger, LocalStack stack, long initialConnections)
            throws InterruptedException {
        List<SoakRow> rows = new ArrayList<>();
        long started = System.nanoTime();
        long cpuAtStart = JvmCpu.processNanos();
        long twinAtStart = JvmCpu.threadsNanos(TwinService.THREAD_NAME);
        long writtenAtStart = JvmCpu.writtenBytes();
        long end = started + options.duration().toNanos();
        long interval = options.reportInterval().toNanos();
        SoakRow previous = null;
        for (long next = started + interval; next <= end + interval / 2; next += interval) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(next, end) - System.nanoTime()));
            // read the publishing side first: a reading applied after this point must not count as applied beyond published
            long published = fleet.published();
            long acknowledged = fleet.acknowledged();
            long failed = fleet.failed();
            long applied = ledger.counts().distinct();
            long overdue = previous == null ? 0
                    : ledger.missing(SoakLedger.roundRobin(previous.published(), ledger.devices()), 0).count();
            long reconnects = stack.mqttStatus().connectionsAccepted() - initialConnections;
            System.gc(); // the figure is the live heap, not whatever garbage the last young collection left
            SoakRow row = new SoakRow((System.nanoTime() - started) / 1e9, published, acknowledged, failed, applied, overdue,
                    reconnects, MemorySampler.heapAfterLastGc(), MemorySampler.residentSetBytes().orElse(-1),
                    JvmCpu.processNanos() - cpuAtStart, JvmCpu.loadAverage().orElse(Double.NaN),
                    JvmCpu.threadsNanos(TwinService.THREAD_NAME) - twinAtStart,
                    writtenAtStart < 0 ? -1 : JvmCpu.writtenBytes() - writtenAtStart);
            out.accept("soak: " + row.format(previous));
            rows.add(row);
            previous = row;
            if (next >= end) {
                break;
            }
        }
        return rows;
    }

    /**
     * Waits, after the fleet stopped, until every published reading is acknowledged and applied, or until
     * neither acknowledgements nor applied readings made progress for the drain time, or the longest drain
     * passed.
     *
     * @return whether the stack was still making progress when the longest drain ended
     */
    private boolean drain(VirtualFleet fleet, SoakLedger ledger) throws InterruptedException {
        long started = System.nanoTime();
        long lastProgress = started;
        long lastAcknowledged = -1;
        long lastApplied = -1;
        long lastReport = started;
        long appliedAtLastReport = ledger.counts().distinct();
        while (true) {
            long acknowledged = fleet.acknowledged();
            long applied = ledger.counts().distinct();
            long now = System.nanoTime();
            if (now - lastReport >= options.reportInterval().toNanos()) {
                // a drain of a backlog can take many minutes: say how it goes
                out.accept(String.format(Locale.ROOT, "soak: draining for %.0f s: applied %,d of %,d acknowledged, %,d to go, %,.0f applied/s",
                        (now - started) / 1e9, applied, acknowledged, Math.max(0, acknowledged - applied),
                        (applied - appliedAtLastReport) / ((now - lastReport) / 1e9)));
                lastReport = now;
                appliedAtLastReport = applied;
            }
            if (acknowledged != lastAcknowledged || applied != lastApplied) {
                lastProgress = now;
                lastAcknowledged = acknowledged;
                lastApplied = applied;
            }
            boolean complete = fleet.failed() == 0 && acknowledged == fleet.published() && applied >= acknowledged
                    && ledger.missing(SoakLedger.roundRobin(fleet.published(), ledger.devices()), 0).count() == 0;
            boolean quiet = now - lastProgress > options.drainQuiet().toNanos();
            boolean cutShort = now - started > options.maxDrain().toNanos();
            if (complete || quiet || cutShort) {
                out.accept(String.format(Locale.ROOT, "soak: fleet stopped; drained for %.1f s (%s)", (now - started) / 1e9,
                        complete ? "everything published is acknowledged and applied"
                                : quiet ? "no progress for " + options.drainQuiet().toSeconds() + " s"
                                : "the longest drain passed while the stack was still applying"));
                return !complete && !quiet;
            }
            Thread.sleep(250);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("soak: while stopping: " + e);
        }
    }
}
