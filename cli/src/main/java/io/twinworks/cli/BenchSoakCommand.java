package io.twinworks.cli;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.bench.SoakBench;
import io.twinworks.cli.bench.SoakOptions;
import io.twinworks.cli.bench.SoakVerdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code twinworks bench soak}: a virtual fleet for minutes against a local stack with analytics on; loss, heap and RSS. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Runs N virtual pumps over gateways for M minutes against a local stack started for the run, with the"
                + " analytics service on. Every --report-seconds: readings published / acknowledged (PUBACK) / applied (twin"
                + " change events by sequence number), in flight, not yet applied, overdue, failed, reconnects, heap after GC"
                + " and RSS. Then a drain and a verdict.",
                "Exit code 0: no loss, bounded heap, kept up; 1: readings lost (or loss not ruled out), out of order, or heap"
                        + " grew beyond the bound; 3: no loss, but the stack could not keep up with the target rate."})
public final class BenchSoakCommand implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "10000", description = "Virtual pumps (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "1", description = "Messages per second per pump (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--gateways", defaultValue = "10",
            description = "Gateways the pumps publish through; 0 = every pump connects itself (default: ${DEFAULT-VALUE}).")
    int gateways;

    @Option(names = "--minutes", defaultValue = "10", description = "Run time in minutes (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--report-seconds", defaultValue = "60", paramLabel = "SECONDS",
            description = "Seconds between two report lines (default: ${DEFAULT-VALUE}).")
    int reportSeconds;

    @Option(names = "--drain-seconds", defaultValue = "30", paramLabel = "SECONDS",
            description = "After the fleet stopped, how long nothing may be acknowledged or applied before the missing"
                    + " readings count (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    // generous: a stack that stops making progress ends the drain after --drain-seconds anyway; one that is still
    // applying a backlog (10,000 pumps on two cores build millions) deserves the time to prove 0 lost
    @Option(names = "--max-drain-minutes", defaultValue = "60", paramLabel = "MINUTES",
            description = "The longest drain: what the stack still applies after it is reported as not yet applied and"
                    + " the run as inconclusive (default: ${DEFAULT-VALUE}).")
    double maxDrainMinutes;

    @Option(names = "--time-scale", defaultValue = "60",
            description = "Model seconds per wall-clock second of the pumps, so that wear, alarms and repairs happen within"
                    + " the run (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SoakOptions options;
        AnalyticsConfig analytics;
        try {
            options = new SoakOptions(devices, rate, gateways, Duration.ofMillis(Math.round(minutes * 60_000)),
                    Duration.ofSeconds(reportSeconds), Duration.ofSeconds(drainSeconds), timeScale,
                    Duration.ofMillis(Math.round(maxDrainMinutes * 60_000)));
            analytics = AnalyticsConfig.fromEnv(System.getenv()).withHttpPort(0);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // per-asset health lines of 10,000 pumps would drown the report
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.twinworks.analytics"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        PrintWriter out = spec.commandLine().getOut();
        SoakVerdict verdict;
        try {
            verdict = new SoakBench(options, analytics, null, line -> {
                out.println(line);
                out.flush();
            }).run();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("twinworks bench soak: " + e.getMessage());
            return 2;
        }
        return verdict.exitCode();
    }
}
