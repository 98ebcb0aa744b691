package io.twinworks.cli;

import io.twinworks.cli.provision.ProvisionStep;
import io.twinworks.cli.provision.ProvisionTargets;
import io.twinworks.cli.provision.Provisioner;
import io.twinworks.cli.provision.plant.Plant;
import io.twinworks.cli.provision.plant.PlantFile;
import io.twinworks.cli.provision.plant.PlantFileException;
import io.twinworks.connections.HonoConnectionType;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.policies.PolicyTemplates;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * {@code twinworks provision}: one plant file in, the Hono tenant, devices and credentials and the
 * Ditto policies, things and connection out — idempotent, with a dry run.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Create or update the Hono tenant, devices, credentials and the Ditto policies, things and connection of a plant file.")
public final class ProvisionCommand implements Callable<Integer> {

    @Option(names = "--plant", required = true, paramLabel = "FILE", description = "The plant file (YAML).")
    Path plantFile;

    @Option(names = "--ditto", defaultValue = "http://localhost:8080", paramLabel = "URL", description = "Ditto's base URL (default: ${DEFAULT-VALUE}).")
    URI dittoUrl;

    @Option(names = "--hono-registry", defaultValue = "http://localhost:28080", paramLabel = "URL",
            description = "Hono's device-registry management API (default: ${DEFAULT-VALUE}).")
    URI registryUrl;

    @Option(names = "--ditto-user", defaultValue = "ditto", description = "Ditto API user; must be an admin subject of the plant (default: ${DEFAULT-VALUE}).")
    String dittoUser;

    @Option(names = "--ditto-password", defaultValue = "ditto", description = "Its password (default: ${DEFAULT-VALUE}).")
    String dittoPassword;

    @Option(names = "--devops-user", defaultValue = "devops", description = "Ditto devops user for the connection (default: ${DEFAULT-VALUE}).")
    String devopsUser;

    @Option(names = "--devops-password", defaultValue = "foobar", description = "Its password (default: Ditto's ${DEFAULT-VALUE}).")
    String devopsPassword;

    @Option(names = "--registry-user", description = "HTTP Basic user of the device registry, if it needs one.")
    String registryUser;

    @Option(names = "--registry-password", description = "Its password.")
    String registryPassword;

    @Option(names = "--models-base-url", defaultValue = "${env:TWINWORKS_MODELS_BASE_URL}", paramLabel = "URL",
            description = "Where the Thing Models are served (<URL>/models/<name>-<version>.tm.jsonld): the things' "
                    + "definitions name it and Ditto downloads the models from it (default: $TWINWORKS_MODELS_BASE_URL, "
                    + "else the --ditto URL, where the local stack serves them).")
    String modelsBaseUrl;

    @Option(names = "--connection-type", defaultValue = "kafka", paramLabel = "kafka|hono",
            description = "The Ditto connection to Hono: kafka (any Ditto; Twinworks names Hono's topics) or hono "
                    + "(Ditto 3.2+'s Hono connection type, which takes Kafka and the topics from Ditto's Hono settings); "
                    + "created through /api/2/connections, or the devops API on Ditto 2.x (kafka only) "
                    + "(default: ${DEFAULT-VALUE}).")
    String connectionType;

    @Option(names = "--dry-run", description = "Only read and show what would change.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelsBaseUrl modelsBase;
        try {
            modelsBase = ModelsBaseUrl.parse(modelsBaseUrl == null || modelsBaseUrl.isBlank() ? dittoUrl.toString() : modelsBaseUrl);
        } catch (IllegalArgumentException e) {
            err.println("twinworks provision: --models-base-url: " + e.getMessage());
            err.flush();
            return 2;
        }
        HonoConnectionType type;
        try {
            type = HonoConnectionType.of(connectionType);
        } catch (IllegalArgumentException e) {
            err.println("twinworks provision: --connection-type: " + e.getMessage());
            err.flush();
            return 2;
        }
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath().rebased(modelsBase);
        Plant plant;
        try {
            plant = new PlantFile(catalog, System.getenv()).read(plantFile);
        } catch (PlantFileException e) {
            err.println("twinworks provision: " + e.getMessage());
            err.flush();
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        Provisioner provisioner = new Provisioner(vertx, new ProvisionTargets(dittoUrl, dittoUser, dittoPassword,
                devopsUser, devopsPassword, registryUrl, registryUser, registryPassword),
                catalog, PolicyTemplates.fromClasspath(catalog), type);
        try {
            out.println((dryRun ? "Plan for " : "Provisioning ") + plant.assets().size() + " asset(s) of tenant "
                    + plant.tenant() + " (Ditto " + dittoUrl + ", Hono registry " + registryUrl + ", Thing Models "
                    + modelsBase.modelsPrefix() + "):");
            List<ProvisionStep> steps = provisioner.provision(plant, dryRun).toCompletionStage().toCompletableFuture().join();
            steps.forEach(step -> out.println("  " + step.line(dryRun)));
            long changes = steps.stream().filter(ProvisionStep::changes).count();
            out.println(changes == 0 ? "No changes: everything is up to date."
                    : (dryRun ? changes + " change(s) planned; run without --dry-run to apply." : changes + " change(s) applied."));
            out.flush();
            return 0;
        } catch (CompletionException e) {
            err.println("twinworks provision: " + (e.getCause() == null ? e : e.getCause()).getMessage());
            err.flush();
            return 1;
        } finally {
            provisioner.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
