package io.twinworks.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.cli.bench.ScratchDirectory;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.twinworks.sim.fleet.FleetAsset;
import io.twinworks.sim.fleet.FleetProvisioning;
import io.twinworks.sim.fleet.VirtualFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code twinworks simulate fleet}: N virtual pumps publishing telemetry over the Hono MQTT contract,
 * to a running Hono endpoint or to a local stack started for the run; prints the sustained rate.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Publishes telemetry of N virtual pumps (physics models, every --degrading-every-th one with a",
                "bearing defect) over the Hono MQTT contract, as devices or through gateways; prints the rate it sustained."})
public final class SimulateFleetCommand implements Callable<Integer> {

    @Option(names = "--assets", defaultValue = "100", description = "Number of virtual pumps (default: ${DEFAULT-VALUE}).")
    int assets;

    @Option(names = "--rate", defaultValue = "1", description = "Messages per second per pump (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--gateways", defaultValue = "4",
            description = "Gateways to publish through; 0 = every pump connects itself (default: ${DEFAULT-VALUE}).")
    int gatewayCount;

    @Option(names = "--time-scale", defaultValue = "60",
            description = "Model seconds per wall-clock second, so that wear shows within minutes (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--degrading-every", defaultValue = "10",
            description = "Every n-th pump gets a bearing defect and degrades toward the vibration alarm; 0 = none (default: ${DEFAULT-VALUE}).")
    int degradingEvery;

    @Option(names = "--tenant", defaultValue = "plant.a", description = "Hono tenant = Ditto namespace (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--secret-prefix", defaultValue = "fleet-secret",
            description = "Device/gateway passwords are <prefix>-<n> / <prefix>-gw-<n> (default: ${DEFAULT-VALUE}).")
    String secretPrefix;

    @Option(names = "--mqtt-uri", description = "A running Hono MQTT endpoint whose registry already holds the fleet "
            + "(see --write-provisioning); without it a local stack is started and provisioned for the run.")
    String mqttUri;

    @Option(names = "--write-provisioning", paramLabel = "FILE",
            description = "Write the fleet's Hono registry provisioning document to FILE and exit.")
    Path provisioningOut;

    @Option(names = "--for", paramLabel = "SECONDS", defaultValue = "30", description = "Run time (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (assets < 1 || assets > 1_000_000 || !(rate > 0) || gatewayCount < 0 || seconds < 1) {
            spec.commandLine().getErr().println("twinworks simulate fleet: need --assets in [1, 1000000], --rate > 0, --gateways >= 0, --for >= 1");
            return 2;
        }
        List<FleetAsset> fleetAssets = FleetAsset.pumps(tenant, assets, secretPrefix, degradingEvery, 0.01);
        List<VirtualFleet.Gateway> gateways = FleetProvisioning.gateways(gatewayCount, secretPrefix);
        String provisioning = FleetProvisioning.document(tenant, fleetAssets, gateways).encodePrettily();
        if (provisioningOut != null) {
            Files.writeString(provisioningOut, provisioning);
            out.println("twinworks: wrote the provisioning of " + assets + " pumps and " + gatewayCount + " gateways to " + provisioningOut);
            return 0;
        }
        Vertx vertx = null;
        LocalStack stack = null;
        ScratchDirectory scratch = null;
        String uri = mqttUri;
        try {
            if (uri == null) {
                vertx = Vertx.vertx();
                scratch = ScratchDirectory.create("twinworks-fleet-");
                Path stateDir = scratch.path();
                LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                        .withStateDir(stateDir).withPorts(0, 0, 0).withDitto(0, Map.of("ditto", "ditto"));
                stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                LocalStackEndpoints endpoints = await(stack.start());
                Path file = stateDir.resolve("fleet-provisioning.json");
                Files.writeString(file, provisioning);
                out.println("twinworks: local stack up; provisioning " + assets + " pumps...");
                out.flush();
                out.println("  Hono registry " + await(stack.provision(file)).summary());
                uri = endpoints.mqttUri();
            }
            try (VirtualFleet fleet = new VirtualFleet(uri, tenant, fleetAssets, gateways, rate, timeScale)) {
                fleet.start();
                out.printf("twinworks: %d pumps -> %s via %s, target %.0f msg/s for %d s%n", assets, uri,
                        gatewayCount == 0 ? assets + " device connections" : gatewayCount + " gateways", fleet.targetRate(), seconds);
                out.flush();
                long lastAcknowledged = 0;
                for (long second = 1; second <= seconds; second++) {
                    Thread.sleep(1000);
                    long acknowledged = fleet.acknowledged();
                    out.printf("  t=%3ds published %9d acknowledged %9d failed %6d  last second %7d msg/s%n", second,
                            fleet.published(), acknowledged, fleet.failed(), acknowledged - lastAcknowledged);
                    out.flush();
                    lastAcknowledged = acknowledged;
                }
                double sustained = fleet.acknowledged() / fleet.elapsedSeconds();
                out.printf("twinworks: sustained %.0f acknowledged msg/s of %.0f targeted (%.1f %%), %d failed, %d back-pressure ticks%n",
                        sustained, fleet.targetRate(), 100 * sustained / fleet.targetRate(), fleet.failed(), fleet.backPressureEvents());
                out.flush();
            }
            return 0;
        } finally {
            if (stack != null) {
                await(stack.stop());
            }
            if (vertx != null) {
                await(vertx.close());
            }
            if (scratch != null) {
                scratch.close();
            }
        }
    }

    private static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
