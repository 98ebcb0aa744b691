package io.twinworks.adapters.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.config.AdapterConfig;
import io.twinworks.core.config.ConfigException;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one adapter: {@code Main serial|mqtt [--config] FILE} (the {@code twinworks adapter} command does
 * the same with picocli). Exit code 2 for an invalid configuration, 1 when start-up fails.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path configFile = configFile(args);
        if (configFile == null) {
            System.err.println("usage: Main serial|mqtt [--config] CONFIG_FILE");
            System.exit(2);
            return;
        }
        AdapterConfig.Kind kind;
        AdapterConfig config;
        try {
            kind = AdapterConfig.Kind.valueOf(args[0].toUpperCase(Locale.ROOT));
            config = AdapterConfig.load(configFile, kind, System.getenv());
        } catch (ConfigException e) {
            System.err.println("adapter: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("adapter: the kind must be serial or mqtt, was " + args[0]);
            System.exit(2);
            return;
        }
        int exitCode = run(kind, config);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * The config file of {@code serial|mqtt FILE} or {@code serial|mqtt --config FILE} (the {@code twinworks
     * adapter} command's form, which the container image and the Helm chart use), or {@code null}.
     */
    static Path configFile(String[] args) {
        if (args.length == 2 && !args[1].startsWith("--")) {
            return Path.of(args[1]);
        }
        if (args.length == 3 && args[1].equals("--config")) {
            return Path.of(args[2]);
        }
        return null;
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C); returns 1 at once if start-up fails. */
    public static int run(AdapterConfig.Kind kind, AdapterConfig config) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        AdapterRuntime adapter = new AdapterRuntime(vertx, config, kind, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try {
            adapter.start().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            System.err.println("adapter: start-up failed: " + e.getMessage());
            adapter.stop().eventually(() -> vertx.close());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // a clean stop: what is not acknowledged stays in the outbox for the next start
            adapter.stop().eventually(() -> vertx.close()).toCompletionStage().toCompletableFuture().join();
            stopped.countDown();
        }, "adapter-shutdown"));
        stopped.await();
        return 0;
    }
}
