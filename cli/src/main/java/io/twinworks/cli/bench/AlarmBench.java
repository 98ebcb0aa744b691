package io.twinworks.cli.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import io.twinworks.sim.fleet.VirtualFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The alarm-latency benchmark behind {@code twinworks bench alarm}: how long after a device publishes an
 * out-of-range reading an operator's Ditto client sees the twin's {@code predictions.healthState} change,
 * with the analytics service running on the stack as in production and a virtual fleet's background
 * traffic going through the same stack.
 *
 * <p>One run: a local stack on free ports in a temporary state directory (WoT validation on, as by
 * default); N background pumps plus one alarm device provisioned as the demo provisions pumps (Hono
 * registry, role-template policies, twins from the pump's Thing Model); the analytics service as its own
 * Ditto user ({@code up --demo}'s wiring, the configuration from the environment); an operator's
 * ditto-client subscribed over {@code /ws/2} to the alarm device's twin changes (Ditto's RQL filter on
 * {@code START-SEND-EVENTS}); the simulation service's
 * {@link VirtualFleet} publishing the background pumps' readings; then the {@link AlarmTrials}. Heap after
 * GC and RSS of this JVM (stack + analytics + fleet + subscriber) are sampled during the trials.
 *
 * <p>Publisher and subscriber run in this JVM, so {@link System#nanoTime()} at publish and at reception
 * are comparable. Blocking: call {@link #run()} from a plain thread.
 */
public final class AlarmBench {

    /** Between two normal readings of the alarm device: 20 readings/s. */
    static final Duration READING_INTERVAL = Duration.ofMillis(50);
    /**
     * Normal readings after the health state is {@code ok} again, before the next trial: longer than the
     * novelty detector's pattern window (8 points of 3 readings), so each trial starts from a detector that
     * has seen normal readings only since the last out-of-range one.
     */
    static final int SETTLE_READINGS = 30;
    /** How long the health state may take to become {@code ok} (first prediction, and after each trial). */
    static final Duration RESET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration MEMORY_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** The twin service's count of applied Hono records (per tenant). */
    private static final String APPLIED_METER = "twinworks.ditto.hono.ingest.applied";

    private final AlarmBenchOptions options;
    private final AnalyticsConfig analyticsConfig;
    private final Consumer<String> progress;

    /**
     * @param analyticsConfig the analytics service's config (its Ditto user is added to the stack)
     * @param progress        where progress lines go
     */
    public AlarmBench(AlarmBenchOptions options, AnalyticsConfig analyticsConfig, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.analyticsConfig = Objects.requireNonNull(analyticsConfig, "analyticsConfig");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the trials and returns the report.
     *
     * @throws IllegalStateException when the stack, provisioning, analytics, the subscriber, the fleet or the
     *                               alarm device cannot start, or the alarm device's twin never gets a first
     *                               {@code ok} prediction
     */
    public AlarmBenchReport run() throws Exception {
        ScratchDirectory scratch = ScratchDirectory.create("twinworks-alarm-bench-state");
        LocalStackConfig config = Demo.withAnalyticsUser(BenchStackConfig.fromEnvironment(Map.of(
                        // hashing the devices' passwords is set-up, not what is measured
                        "TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(scratch.path())
                .withPorts(0, 0, 0)
                .withDitto(0, Map.of(SoakBench.OPERATOR, SoakBench.OPERATOR_PASSWORD)), analyticsConfig);
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry stackMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LocalStack stack = new LocalStack(vertx, config, stackMeters);
        AnalyticsService analytics = null;
        OrderedChangeSubscriber subscriber = null;
        VirtualFleet fleet = null;
        AlarmDevice alarmDevice = null;
        MemorySampler memory = null;
        try {
            progress.accept("starting the local stack in " + scratch.path()
                    + (config.dittoWotValidation() ? " (WoT validation on)" : " (WoT validation OFF)"));
            LocalStackEndpoints endpoints = await(stack.start());
            List<DemoDevice> pumps = DemoPlant.pumps(options.devices() + 1);
            List<DemoDevice> background = pumps.subList(0, options.devices());
            DemoDevice alarming = pumps.get(options.devices());
            SoakBench.provision(vertx, endpoints, pumps, Demo.subjects(config.dittoHonoSubjects(),
                    "nginx:" + analyticsConfig.dittoUser(), SoakBench.SIMULATION_SUBJECT, "nginx:" + SoakBench.OPERATOR), progress);
            progress.accept(String.format(Locale.ROOT, "%d background pumps and the alarm device %s provisioned",
                    background.size(), alarming.deviceId()));

            analytics = Demo.analyticsOn(vertx, analyticsConfig, endpoints);
            await(analytics.start());
            AlarmObservations seen = new AlarmObservations(alarming.deviceId());
            // the operator watches the alarm device's twin (the server filters): the bench's own subscriber then
            // does not parse the background's change events in this JVM, which would be measured as stack latency
            subscriber = OrderedChangeSubscriber.connect(URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws")),
                    SoakBench.OPERATOR, SoakBench.OPERATOR_PASSWORD, SETUP_TIMEOUT,
                    "eq(thingId,\"" + alarming.deviceId() + "\")", seen);
            fleet = new VirtualFleet(endpoints.mqttUri(), DemoPlant.TENANT, DemoPlant.healthyFleet(background), List.of(),
                    options.ratePerDevice(), 1.0, Demo.WARM_UP_HOURS);
            fleet.start();
            progress.accept(String.format(Locale.ROOT, "analytics service on (as nginx:%s), operator subscribed to the alarm device over /ws/2,"
                    + " background %,.0f msg/s (%d pumps x %s msg/s)", analyticsConfig.dittoUser(), options.backgroundRate(),
                    background.size(), options.ratePerDevice()));

            alarmDevice = AlarmDevice.connect(endpoints.mqttUri(), alarming, ACK_TIMEOUT);
            AlarmTrials trials = new AlarmTrials(alarmDevice, seen, options.outOfRangeRms(), options.trialTimeout(),
                    READING_INTERVAL, SETTLE_READINGS, RESET_TIMEOUT);
            if (!trials.warmUp()) {
                throw new IllegalStateException("the alarm device's twin got no 'ok' prediction within "
                        + RESET_TIMEOUT.toSeconds() + " s (last health state seen: '" + trials.lastHealth() + "')");
            }
            progress.accept("the alarm device's health state is ok; " + options.trials() + " trials");

            memory = new MemorySampler(MEMORY_SAMPLE_INTERVAL);
            long publishedBefore = fleet.published();
            double appliedBefore = applied(stackMeters);
            long trialsStarted = System.nanoTime();
            List<AlarmTrial> results = new ArrayList<>();
            String stoppedEarly = null;
            for (int trial = 1; trial <= options.trials(); trial++) {
                results.add(trials.trial());
                if (!trials.reset()) {
                    stoppedEarly = "after trial " + trial + " the health state did not return to ok and stay ok for "
                            + SETTLE_READINGS + " normal readings within " + RESET_TIMEOUT.toSeconds() + " s (last seen: '"
                            + trials.lastHealth() + "')";
                    break;
                }
                if (trial % 10 == 0) {
                    progress.accept(trial + " trials done");
                }
            }
            double trialSeconds = (System.nanoTime() - trialsStarted) / 1e9;
            AlarmBenchReport.Background backgroundFigures = new AlarmBenchReport.Background(
                    fleet.published() - publishedBefore, Math.round(applied(stackMeters) - appliedBefore), trialSeconds,
                    fleet.published(), fleet.acknowledged(), fleet.failed());
            return new AlarmBenchReport(options, analyticsConfig.warmupSamples(), analyticsConfig.writeIntervalMillis(), results,
                    backgroundFigures, memory.stop(), stoppedEarly);
        } finally {
            if (memory != null) {
                memory.close();
            }
            if (alarmDevice != null) {
                alarmDevice.close();
            }
            if (fleet != null) {
                fleet.close();
            }
            if (subscriber != null) {
                subscriber.close();
            }
            if (analytics != null) {
                awaitQuietly(analytics.stop());
            }
            awaitQuietly(stack.stop());
            awaitQuietly(vertx.close());
            scratch.close();
        }
    }

    /** Hono records the twin service has applied to twins so far (its {@value #APPLIED_METER} counters). */
    private static double applied(MeterRegistry meters) {
        return meters.find(APPLIED_METER).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + SETUP_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private void awaitQuietly(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            progress.accept("while stopping: " + e);
        }
    }
}
