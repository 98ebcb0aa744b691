package io.twinworks.cli;

import io.twinworks.cli.bench.IngestBench;
import io.twinworks.cli.bench.IngestBenchOptions;
import io.twinworks.cli.bench.IngestBenchReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code twinworks bench ingest}: device MQTT → twin change event, end to end, against mosquitto pub → sub. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Measures the ingest path end to end on a fresh local stack (MQTT publish as devices -> Hono endpoint -> Kafka"
                + " -> Ditto's Hono connection -> twin -> change event over /ws/2) and, in the same run, mosquitto's pub -> sub"
                + " with the same publishers and payloads. Prints rate, PUBACK rate, latency and loss of both and their ratio;"
                + " then a paced phase (--paced-rate) for the latency at a steady load, and the JVM's heap and RSS.",
                "Exit code 1 when a message was lost, a publish failed or a twin's final state is wrong."})
public final class BenchIngestCommand implements Callable<Integer> {

    // 100,000 messages after a 60,000-message warm-up: with 20,000 after 20,000 the measured phase lasted ~3 s and
    // the JIT was still compiling the hot path (half or more of its CPU), so it measured start-up, not a running stack
    @Option(names = "--messages", defaultValue = "100000", description = "Messages in total (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--devices", defaultValue = "10", description = "Devices, one MQTT connection each (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--publishers", description = "Publisher threads driving the device connections (default: one per device).")
    Integer publishers;

    @Option(names = "--payload-bytes", defaultValue = "256", description = "MQTT payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--drain-seconds", defaultValue = "10", paramLabel = "SECONDS",
            description = "After the last PUBACK, how long the receiver may make no progress before the messages not"
                    + " received count as lost (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--paced-messages", defaultValue = "10000",
            description = "Messages of the paced latency phase after the throughput phase, 0 for none (default: ${DEFAULT-VALUE}).")
    int pacedMessages;

    @Option(names = "--paced-rate", defaultValue = "1000", paramLabel = "MSG_PER_S",
            description = "Rate of the paced phase, all publishers together (default: ${DEFAULT-VALUE}).")
    int pacedRate;

    @Option(names = "--warmup-messages", defaultValue = "60000",
            description = "Messages of a warm-up phase run first on each row's stack or broker, checked for loss but in no"
                    + " figure (the JVM compiles the hot path meanwhile); 0 for none (default: ${DEFAULT-VALUE}).")
    int warmupMessages;

    @Option(names = "--mosquitto", defaultValue = "mosquitto", paramLabel = "EXECUTABLE",
            description = "The baseline broker (looked up on the PATH and in /usr/sbin; default: ${DEFAULT-VALUE}).")
    String mosquitto;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        IngestBenchOptions options;
        try {
            options = new IngestBenchOptions(messages, devices, publishers == null ? devices : publishers, payloadBytes,
                    Duration.ofSeconds(drainSeconds), mosquitto, pacedMessages, pacedRate, warmupMessages);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestBenchReport report;
        try {
            report = new IngestBench(options, line -> {
                err.println("bench: " + line);
                err.flush();
            }).run();
        } catch (IllegalStateException e) {
            err.println("twinworks bench ingest: " + e.getMessage());
            return 2;
        }
        out.println(report.format());
        out.flush();
        return report.clean() ? 0 : 1;
    }
}
