package io.twinworks.adapters.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.config.AdapterConfig;
import io.twinworks.core.config.ConfigException;
import io.vertx.core.Vertx;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Runs one adapter: {@code Main serial|mqtt [--config] FILE} (the {@code twinworks adapter} command does
 * the same with picocli). Exit code 2 for an invalid configuration, 1 when start-up fails.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<Path> configFile = configFile(args);
        if (configFile.isEmpty()) {
            System.err.println("usage: Main serial|mqtt [--config] CONFIG_FILE");
            System.exit(2);
            return;
        }
        AdapterConfig.Kind kind;
        AdapterConfig config;
        try {
            kind = AdapterConfig.Kind.valueOf(args[0].toUpperCase(Locale.ROOT));
            config = AdapterConfig.load(configFile.get(), kind, System.getenv());
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
     * adapter} command's form, which the container image and the Helm chart use); empty for any other form.
     */
    static Optional<Path> configFile(String[] args) {
        if (args.length == 2 && !args[1].startsWith("--")) {
            return Optional.of(Path.of(args[1]));
        }
        if (args.length == 3 && args[1].equals("--config")) {
            return Optional.of(Path.of(args[2]));
        }
        return Optional.empty();
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C); returns 1 at once if start-up fails. */
    public static int run(AdapterConfig.Kind kind, AdapterConfig config) throws InterruptedException {
        return run(kind, config, httpPort -> { }, null);
    }

    /**
     * Runs the adapter: starts it, reports the bound /health and /metrics port, then waits until the JVM
     * is asked to stop (SIGTERM, Ctrl-C) or {@code runFor} has passed, and stops it cleanly (what is not
     * acknowledged stays in the outbox for the next start). The {@code twinworks adapter} command runs
     * adapters through here too.
     *
     * @param started told the HTTP port once the adapter is up
     * @param runFor  stop by itself after this long; {@code null}: until the JVM stops
     * @return 0 after a clean stop, 1 at once if start-up fails
     */
    public static int run(AdapterConfig.Kind kind, AdapterConfig config, IntConsumer started, @Nullable Duration runFor)
            throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        AdapterRuntime adapter = new AdapterRuntime(vertx, config, kind, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int httpPort;
        try {
            httpPort = adapter.start().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            System.err.println("adapter: start-up failed: " + e.getMessage());
            stop(adapter, vertx);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                stop(adapter, vertx);
                stopped.countDown();
            }
        };
        Thread hook = new Thread(stop, "adapter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        started.accept(httpPort);
        if (runFor == null) {
            stopped.await();
            return 0;
        }
        if (!stopped.await(runFor.toMillis(), TimeUnit.MILLISECONDS)) {
            Runtime.getRuntime().removeShutdownHook(hook);
            stop.run();
        }
        return 0;
    }

    /**
     * Stops the adapter, then Vert.x, waiting for both from this (non-Vert.x) thread. Not as one future chain
     * ({@code stop().eventually(vertx::close)}): its last step would complete on the event loop that
     * {@code close} shuts down, so a caller joining it waited forever.
     */
    private static void stop(AdapterRuntime adapter, Vertx vertx) {
        try {
            adapter.stop().toCompletionStage().toCompletableFuture().join();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
