package io.twinworks.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoFleet;
import io.twinworks.cli.demo.DemoPlant;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code twinworks up}: runs the local stack in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack: in-JVM Kafka, Hono-contract MQTT endpoint and device registry, Ditto-API twin service.",
                "Configuration comes from TWINWORKS_* environment variables (see the README)."})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Also provision a demo tenant and run virtual pumps that publish telemetry.")
    boolean demo;

    @Option(names = "--demo-devices", defaultValue = "3", description = "Number of virtual pumps for --demo (default: ${DEFAULT-VALUE}).")
    int demoDevices;

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Long runSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalStackConfig config = LocalStackConfig.fromEnv(System.getenv());
        List<DemoDevice> pumps = demo ? DemoPlant.pumps(demoDevices) : List.of();
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch stopped = new CountDownLatch(1);
        DemoFleet[] fleet = new DemoFleet[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("twinworks: stopping...");
            out.flush();
            if (fleet[0] != null) {
                fleet[0].close();
            }
            // Wait for each step on this thread: a future chained past vertx.close() would try to
            // complete on an event loop that no longer exists.
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
        if (demo) {
            Path provisioningFile = config.stateDir().resolve("demo-provisioning.json");
            Files.writeString(provisioningFile, DemoPlant.provisioning(pumps).encodePrettily());
            out.println("  demo: " + await(stack.provision(provisioningFile)).summary());
            fleet[0] = new DemoFleet(endpoints.mqttUri(), pumps, Duration.ofSeconds(1));
            fleet[0].start();
            out.println("  demo: " + pumps.size() + " virtual pumps of tenant " + DemoPlant.TENANT + " publish every second");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        if (demo) {
            vertx.setPeriodic(1000, tick -> {
                out.println(stack.mqttStatus().toStatusLine() + " | demo: " + fleet[0].acknowledged() + " acknowledged, "
                        + fleet[0].failed() + " failed");
                out.flush();
            });
        }
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
