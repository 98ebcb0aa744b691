package io.twinworks.cli;

import io.twinworks.adapters.app.Main;
import io.twinworks.adapters.config.AdapterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code twinworks adapter serial|mqtt --config FILE}: runs a device adapter in the foreground until
 * Ctrl-C; {@code twinworks adapter dead-letters --config FILE [--requeue]} lists (or puts back) the
 * messages its outbox took out of delivery.
 */
@Command(name = "adapter", mixinStandardHelpOptions = true,
        description = {"Runs a device adapter: serial ports or the plant MQTT broker to Hono, with a durable outbox.",
                "Serves /health and /metrics (Prometheus). See device-adapters/README.md for the config file.",
                "KIND dead-letters lists the messages Hono refused (kept in the outbox); with --requeue, with the",
                "adapter stopped, puts them back for delivery."})
public final class AdapterCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "serial, mqtt, or dead-letters")
    String kind;

    @Option(names = "--requeue", description = "dead-letters: put them back at the end of the outbox (adapter stopped).")
    boolean requeue;

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
            case "dead-letters" -> {
                return deadLetters(out);
            }
            default -> {
                spec.commandLine().getErr().println("twinworks adapter: KIND must be serial, mqtt or dead-letters, was '"
                        + kind + "'");
                return 2;
            }
        }
        AdapterConfig config = AdapterConfig.load(configFile, adapterKind, System.getenv());
        // the adapter app's own lifecycle (start, clean stop on Ctrl-C or after --for), not a copy of it
        return Main.run(adapterKind, config, httpPort -> {
            out.println("twinworks: " + kind + " adapter up: Hono " + config.hono().serverUri() + " as "
                    + config.hono().username() + ", outbox " + config.outbox().file().toAbsolutePath()
                    + ", /health and /metrics on port " + httpPort);
            out.println(runSeconds == null ? "Press Ctrl-C to stop." : "Stops by itself after " + runSeconds + " s.");
            out.flush();
        }, runSeconds == null ? null : Duration.ofSeconds(runSeconds));
    }

    private int deadLetters(PrintWriter out) throws Exception {
        // the outbox section and its TWINWORKS_ADAPTER_OUTBOX_FILE override are the same for both kinds
        AdapterConfig config = AdapterConfig.load(configFile, System.getenv());
        Path file = config.outbox().file();
        if (!java.nio.file.Files.exists(file)) {
            spec.commandLine().getErr().println("twinworks adapter dead-letters: no outbox at " + file.toAbsolutePath());
            return 1;
        }
        if (requeue && adapterAnswers(config)) {
            spec.commandLine().getErr().println("twinworks adapter dead-letters: an adapter answers on port " + config.httpPort()
                    + "; stop it before --requeue (a running adapter keeps its own count of the outbox)");
            return 1;
        }
        try (io.twinworks.adapters.outbox.Outbox outbox = io.twinworks.adapters.outbox.Outbox.open(file,
                config.outbox().maxMessages(), config.outbox().overflowPolicy(), config.outbox().syncMode(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            var letters = outbox.deadLetters(Integer.MAX_VALUE);
            out.println("outbox " + file.toAbsolutePath() + ": " + letters.size() + " dead letter(s), " + outbox.size()
                    + " message(s) waiting");
            for (var letter : letters) {
                out.printf("  %s seq %d on %s, dead-lettered %s: %s%n", letter.deviceId(), letter.seq(), letter.topic(),
                        java.time.Instant.ofEpochMilli(letter.deadLetteredAt()), letter.reason());
            }
            if (requeue) {
                out.println("put back for delivery: " + outbox.requeueDeadLetters());
            }
        }
        out.flush();
        return 0;
    }

    private static boolean adapterAnswers(AdapterConfig config) {
        try (java.net.Socket socket = new java.net.Socket()) {
            String host = "0.0.0.0".equals(config.httpHost()) ? "127.0.0.1" : config.httpHost();
            socket.connect(new java.net.InetSocketAddress(host, config.httpPort()), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
