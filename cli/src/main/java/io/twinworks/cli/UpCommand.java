package io.twinworks.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/** {@code twinworks up}: runs the local stack in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack (in-JVM Kafka, Hono-contract MQTT endpoint and device registry, Ditto-API twin service).",
                "Configuration comes from TWINWORKS_* environment variables (see the README)."})
public final class UpCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--demo", description = "Also provision a demo tenant and run virtual pumps that publish telemetry.")
    boolean demo;

    @Option(names = "--demo-devices", defaultValue = "3", description = "Number of virtual pumps for --demo (default: ${DEFAULT-VALUE}).")
    int demoDevices;

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Long runSeconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalStackConfig config = LocalStackConfig.fromEnv(System.getenv());
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("twinworks: stopping...");
            out.flush();
            // Wait for each step on this thread: a future chained past vertx.close() would try to
            // complete on an event loop that no longer exists.
            await(stack.stop());
            await(vertx.close());
            stopped.countDown();
        }, "twinworks-shutdown"));

        LocalStackEndpoints endpoints = await(stack.start());
        out.println("twinworks: local stack is up (state in " + config.stateDir().toAbsolutePath() + ")");
        out.println("  Kafka (Hono northbound): " + endpoints.kafkaBootstrapServers());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        if (runSeconds != null) {
            Thread.sleep(runSeconds * 1000);
            System.exit(0);
        }
        stopped.await();
        return 0;
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
