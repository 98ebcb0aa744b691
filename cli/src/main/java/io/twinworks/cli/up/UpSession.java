package io.twinworks.cli.up;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.dashboard.DashboardConfig;
import io.twinworks.dashboard.DashboardServer;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.twinworks.sim.SimConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code twinworks up} runs: the local stack and, optionally, the demo on it, with a periodic
 * status block. Blocking start and close (callers are the command's main thread, its shutdown hook
 * and tests — never an event loop); {@link #close()} is idempotent, so a shutdown hook and a timed
 * stop may both call it.
 */
public final class UpSession implements AutoCloseable {

    /**
     * The demo part of a session.
     *
     * @param pumps     the demo devices
     * @param fleet     how the virtual pumps run
     * @param analytics the analytics service's config (its user is added to the stack)
     * @param sim       the simulation service's config (its user is added to the stack)
     */
    public record DemoOptions(List<DemoDevice> pumps, Demo.FleetSettings fleet, AnalyticsConfig analytics, SimConfig sim) {
        public DemoOptions {
            pumps = List.copyOf(pumps);
            Objects.requireNonNull(fleet, "fleet");
            Objects.requireNonNull(analytics, "analytics");
            Objects.requireNonNull(sim, "sim");
        }
    }

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

    private final Vertx vertx;
    private final LocalStack stack;
    private final LocalStackConfig config;
    private final LocalStackEndpoints endpoints;
    private final Demo demo;
    private final PrintWriter out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long statusTimer = -1;
    private volatile String dashboardUrl;

    private UpSession(Vertx vertx, LocalStack stack, LocalStackConfig config, LocalStackEndpoints endpoints, Demo demo,
                      PrintWriter out) {
        this.vertx = vertx;
        this.stack = stack;
        this.config = config;
        this.endpoints = endpoints;
        this.demo = demo;
        this.out = out;
    }

    /**
     * Starts the stack (and the demo when {@code demo} is given), printing the endpoints.
     *
     * @param config the stack's config (the demo's service users are added to it)
     * @param demo   the demo to run, or {@code null} for the bare stack
     * @throws IllegalStateException when a step fails (everything started so far is stopped again)
     */
    public static UpSession start(LocalStackConfig config, DemoOptions demo, PrintWriter out) {
        return start(config, null, demo, out);
    }

    /**
     * As {@link #start(LocalStackConfig, DemoOptions, PrintWriter)}, also serving the dashboard in front of
     * the stack's Ditto API (its Ditto URL is the stack's) and printing its URL.
     *
     * @param dashboard the dashboard's config, or {@code null} for none
     */
    public static UpSession start(LocalStackConfig config, DashboardConfig dashboard, DemoOptions demo, PrintWriter out) {
        LocalStackConfig effective = demo == null ? config : Demo.withServiceUsers(config, demo.analytics(), demo.sim());
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, effective, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Demo demoRun = demo == null ? null : new Demo(vertx, stack, effective, demo.analytics(), demo.sim(), demo.pumps(),
                demo.fleet(), out);
        UpSession session = null;
        try {
            LocalStackEndpoints endpoints = await(stack.start());
            session = new UpSession(vertx, stack, effective, endpoints, demoRun, out);
            out.println("twinworks: local stack is up (state in " + effective.stateDir().toAbsolutePath() + ")");
            out.println("  Ditto API (user ditto/ditto):       " + endpoints.dittoUrl() + "/api/2/things");
            out.println("  Hono MQTT adapter:                  " + endpoints.mqttUri());
            out.println("  Hono device registry (management):  " + endpoints.registryUrl() + "/v1/tenants");
            out.println("  Kafka (Hono northbound):            " + endpoints.kafkaBootstrapServers());
            out.println("  WoT validation of modelled things:  " + (effective.dittoWotValidation() ? "on" : "off"));
            if (dashboard != null) {
                // closed with Vert.x when the session stops
                DashboardServer server = new DashboardServer(vertx, dashboard.withDittoUrl(URI.create(endpoints.dittoUrl())));
                await(server.start());
                session.dashboardUrl = server.url();
                out.println("  Dashboard (sign in as a Ditto user): " + server.url());
            }
            out.flush();
            if (demoRun != null) {
                await(demoRun.start(endpoints));
            }
            return session;
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            } else {
                stop(vertx, stack, demoRun);
            }
            throw new IllegalStateException("twinworks up failed: " + rootMessage(e), e);
        }
    }

    /** Prints a status block every {@code interval} (demo only; failures are printed, never fatal). */
    public void printStatusEvery(Duration interval) {
        if (demo == null) {
            return;
        }
        statusTimer = vertx.setPeriodic(Math.max(100, interval.toMillis()), tick -> Future.<Void>succeededFuture()
                .compose(v -> demo.printStatus()) // a client closed by a concurrent stop throws: keep it a failure
                .onFailure(failure -> {
                    if (!closed.get()) {
                        out.println("status: " + failure.getMessage());
                        out.flush();
                    }
                }));
    }

    /** The stack's endpoints. */
    public LocalStackEndpoints endpoints() {
        return endpoints;
    }

    /** The stack's config as started (with the demo's service users). */
    public LocalStackConfig config() {
        return config;
    }

    /** The dashboard's address, when the session serves one. */
    public Optional<String> dashboardUrl() {
        return Optional.ofNullable(dashboardUrl);
    }

    /** The demo, when one runs. */
    public Optional<Demo> demo() {
        return Optional.ofNullable(demo);
    }

    /** The session's Vert.x (for clients of tests). */
    public Vertx vertx() {
        return vertx;
    }

    /** Stops the demo, the stack and Vert.x, each awaited; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // no status read may start while the demo's clients close
            vertx.cancelTimer(statusTimer);
            stop(vertx, stack, demo);
        }
    }

    private static void stop(Vertx vertx, LocalStack stack, Demo demo) {
        // each step is awaited on this thread: a future chained past vertx.close() would try to
        // complete on an event loop that no longer exists
        if (demo != null) {
            awaitQuietly(demo.stop());
        }
        awaitQuietly(stack.stop());
        awaitQuietly(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(rootMessage(e), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a start/stop step took longer than " + STEP_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            await(future);
        } catch (IllegalStateException e) {
            System.err.println("twinworks: while stopping: " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
