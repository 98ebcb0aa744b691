package io.twinworks.cli;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.bench.AlarmBench;
import io.twinworks.cli.bench.AlarmBenchOptions;
import io.twinworks.cli.bench.AlarmBenchReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code twinworks bench alarm}: out-of-range reading → the twin's health state change, with analytics on and background traffic. */
@Command(name = "alarm", mixinStandardHelpOptions = true,
        description = {"Measures the alarm latency on a fresh local stack with the analytics service running as in production"
                + " and a virtual fleet's background traffic: one device publishes an out-of-range vibration reading and the"
                + " time until its twin's predictions.healthState changes, as an operator's /ws/2 subscriber sees it, is"
                + " measured per trial (the state is reset to ok between trials). Prints p50/p99, timeouts, the background"
                + " rate, heap and RSS.",
                "Exit code 1 when a trial timed out or was void, a background reading failed, or the trials stopped early;"
                        + " 2 bad options or a stack that cannot start."})
public final class BenchAlarmCommand implements Callable<Integer> {

    @Option(names = "--trials", defaultValue = "100", description = "Out-of-range readings, one per trial (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--devices", defaultValue = "100", description = "Background pumps, one MQTT connection each (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "10", paramLabel = "MSG_PER_S",
            description = "Readings per second of each background pump (default: ${DEFAULT-VALUE}; with the default"
                    + " devices 1,000 msg/s).")
    double rate;

    @Option(names = "--out-of-range-rms", defaultValue = "5.0", paramLabel = "MM_PER_S",
            description = "The alarm device's out-of-range vibration reading; its normal readings are 2.0 +- 0.05 mm/s"
                    + " (default: ${DEFAULT-VALUE}, above the 4.5 mm/s vibration limit of the demo's pumps).")
    double outOfRangeRms;

    @Option(names = "--trial-timeout-seconds", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long a trial waits for the health state to change (default: ${DEFAULT-VALUE}).")
    double trialTimeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AlarmBenchOptions options;
        AnalyticsConfig analytics;
        try {
            options = new AlarmBenchOptions(trials, devices, rate, outOfRangeRms,
                    Duration.ofMillis(Math.round(trialTimeoutSeconds * 1000)));
            analytics = AnalyticsConfig.fromEnv(System.getenv()).withHttpPort(0);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // a health line per trial and background pump would drown the report (and cost time inside the measurement)
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.twinworks.analytics"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AlarmBenchReport report;
        try {
            report = new AlarmBench(options, analytics, line -> {
                err.println("bench: " + line);
                err.flush();
            }).run();
        } catch (IllegalStateException e) {
            err.println("twinworks bench alarm: " + e.getMessage());
            return 2;
        }
        out.println(report.format());
        out.flush();
        return report.clean() ? 0 : 1;
    }
}
