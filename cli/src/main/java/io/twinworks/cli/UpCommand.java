package io.twinworks.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.dashboard.DashboardConfig;
import io.twinworks.dashboard.DashboardServer;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code twinworks up}: runs the local stack in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack: in-JVM Kafka, Hono-contract MQTT endpoint and device registry, Ditto-API twin service.",
                "Configuration comes from TWINWORKS_* environment variables (see the README)."})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Also register demo pumps, create their twins, run the analytics service and virtual pumps.")
    boolean demo;

    @Option(names = "--demo-devices", defaultValue = "3", description = "Number of virtual pumps for --demo (default: ${DEFAULT-VALUE}).")
    int demoDevices;

    @Option(names = "--status-interval", defaultValue = "2", paramLabel = "SECONDS",
            description = "Seconds between two status blocks of --demo (default: ${DEFAULT-VALUE}).")
    int statusIntervalSeconds;

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Long runSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AnalyticsConfig analyticsConfig = AnalyticsConfig.fromEnv(System.getenv()).withHttpPort(0);
        LocalStackConfig config = LocalStackConfig.fromEnv(System.getenv());
        if (demo) {
            config = Demo.withAnalyticsUser(config, analyticsConfig);
        }
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Demo demoRun = demo ? new Demo(vertx, stack, config, analyticsConfig, DemoPlant.pumps(demoDevices), out) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("twinworks: stopping...");
            out.flush();
            // Each step is awaited on this thread: a future chained past vertx.close() would try to
            // complete on an event loop that no longer exists.
            if (demoRun != null) {
                await(demoRun.stop());
            }
            await(stack.stop());
            await(vertx.close());
            stopped.countDown();
        }, "twinworks-shutdown"));

        LocalStackEndpoints endpoints = await(stack.start());
        out.println("twinworks: local stack is up (state in " + config.stateDir().toAbsolutePath() + ")");
        out.println("  Ditto API (user ditto/ditto):       " + endpoints.dittoUrl() + "/api/2/things");
        out.println("  Hono MQTT adapter:                  " + endpoints.mqttUri());
        out.println("  Hono device registry (management):  " + endpoints.registryUrl() + "/v1/tenants");
        out.println("  Kafka (Hono northbound):            " + endpoints.kafkaBootstrapServers());
        DashboardServer dashboard = new DashboardServer(vertx, DashboardConfig.fromEnv(System.getenv())
                .withDittoUrl(java.net.URI.create(endpoints.dittoUrl())));
        await(dashboard.start());
        out.println("  Dashboard (sign in as a Ditto user): " + dashboard.url());
        out.flush();
        if (demoRun != null) {
            await(demoRun.start(endpoints));
            vertx.setPeriodic(statusIntervalSeconds * 1000L, tick -> demoRun.printStatus()
                    .onFailure(failure -> out.println("status: " + failure.getMessage())));
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        if (runSeconds != null) {
            stopped.await(runSeconds, TimeUnit.SECONDS);
            System.exit(0);
        }
        stopped.await();
        return 0;
    }

    private static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
