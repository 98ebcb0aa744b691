package io.twinworks.cli;

import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.cli.up.UpSession;
import io.twinworks.dashboard.DashboardConfig;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.sim.SimConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code twinworks up}: runs the local stack (and the demo) in the foreground until Ctrl-C or {@code --for}. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts the local stack: in-JVM Kafka, Hono-contract MQTT endpoint and device registry, Ditto-API twin service.",
                "Configuration comes from TWINWORKS_* environment variables (see the README)."})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--demo", description = {"Also provision demo pumps (Hono devices, Ditto policies and twins from the Thing Model),",
            "run the analytics and simulation services, the virtual pumps and a turbofan engine replaying recorded",
            "C-MAPSS data (a RUL model is trained in the background when the model directory has none)."})
    boolean demo;

    @Option(names = "--demo-devices", defaultValue = "3", description = "Number of virtual pumps for --demo; every third degrades (default: ${DEFAULT-VALUE}).")
    int demoDevices;

    @Option(names = "--demo-time-scale", defaultValue = "20",
            description = "Model seconds per wall-clock second of the virtual pumps (default: ${DEFAULT-VALUE}).")
    double demoTimeScale;

    @Option(names = "--demo-defect-at", defaultValue = "0.5", paramLabel = "HOURS",
            description = "Model hours after which the degrading pumps get a bearing defect (default: ${DEFAULT-VALUE}).")
    double demoDefectAtHours;

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
        UpSession.DemoOptions demoOptions;
        try {
            demoOptions = demo ? new UpSession.DemoOptions(DemoPlant.pumps(demoDevices),
                    new Demo.FleetSettings(demoTimeScale, demoDefectAtHours, 1),
                    AnalyticsConfig.fromEnv(System.getenv()).withHttpPort(0),
                    SimConfig.fromEnv(System.getenv()).withHttpPort(0)) : null;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("twinworks up: " + e.getMessage());
            return 2;
        }
        UpSession session = UpSession.start(LocalStackConfig.fromEnv(System.getenv()),
                DashboardConfig.fromEnv(System.getenv()), demoOptions, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("twinworks: stopping...");
            out.flush();
            session.close();
            stopped.countDown();
        }, "twinworks-shutdown"));
        session.printStatusEvery(Duration.ofSeconds(statusIntervalSeconds));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        if (runSeconds != null) {
            stopped.await(runSeconds, TimeUnit.SECONDS);
            out.println("twinworks: stopping after " + runSeconds + " s...");
            out.flush();
            session.close();
            return 0;
        }
        stopped.await();
        return 0;
    }
}
