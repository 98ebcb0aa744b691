package io.twinworks.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.config.AdapterConfig;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code twinworks adapter serial|mqtt --config FILE}: runs a device adapter in the foreground until Ctrl-C. */
@Command(name = "adapter", mixinStandardHelpOptions = true,
        description = {"Runs a device adapter: serial ports or the plant MQTT broker to Hono, with a durable outbox.",
                "Serves /health and /metrics (Prometheus). See device-adapters/README.md for the config file."})
public final class AdapterCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "serial or mqtt")
    String kind;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML or JSON configuration file")
    Path configFile;

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Long runSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AdapterConfig.Kind adapterKind;
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "serial" -> adapterKind = AdapterConfig.Kind.SERIAL;
            case "mqtt" -> adapterKind = AdapterConfig.Kind.MQTT;
            default -> {
                spec.commandLine().getErr().println("twinworks adapter: KIND must be serial or mqtt, was '" + kind + "'");
                return 2;
            }
        }
        AdapterConfig config = AdapterConfig.load(configFile, adapterKind, System.getenv());
        Vertx vertx = Vertx.vertx();
        AdapterRuntime adapter = new AdapterRuntime(vertx, config, adapterKind, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            adapter.stop().toCompletionStage().toCompletableFuture().join();
            vertx.close().toCompletionStage().toCompletableFuture().join();
            stopped.countDown();
        }, "adapter-shutdown"));
        int httpPort = adapter.start().toCompletionStage().toCompletableFuture().join();
        out.println("twinworks: " + kind + " adapter up: Hono " + config.hono().serverUri() + " as "
                + config.hono().username() + ", outbox " + config.outbox().file().toAbsolutePath()
                + ", /health and /metrics on port " + httpPort);
        out.println("Press Ctrl-C to stop.");
        out.flush();
        if (runSeconds != null) {
            stopped.await(runSeconds, TimeUnit.SECONDS);
            System.exit(0);
        }
        stopped.await();
        return 0;
    }
}
