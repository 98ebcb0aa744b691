package io.twinworks.cli.provision;

import io.twinworks.cli.provision.plant.Plant;
import io.twinworks.cli.provision.plant.PlantAsset;
import io.twinworks.cli.provision.plant.PlantFile;
import io.twinworks.connections.HonoConnectionType;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ServedThingModels;
import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.policies.PolicyTemplates;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files {@code ditto3-checks} parses with Ditto 3.8 ({@code ditto3-checks/src/test/resources/artifacts/}) are
 * exactly what provisioning hands to Ditto for {@code every-model-plant.yaml}: every policy, every thing, the connection
 * of both types, every Thing Model as served under the same base, and thing-definitions' example payloads. A change to a template, a model or the
 * provisioning code fails here until the files are regenerated
 * ({@code mvn -pl cli -am test -Dtest=ProvisionedArtifactsCurrentTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtwinworks.artifacts.write=true}) and checked by Ditto 3.8 again.
 */
class ProvisionedArtifactsCurrentTest {

    /** The base the golden things' definitions name and the golden models are served under. */
    static final ModelsBaseUrl BASE = ModelsBaseUrl.parse("https://models.twinworks.example");
    private static final Path ARTIFACTS = Path.of("../ditto3-checks/src/test/resources/artifacts");

    /** Relative file name → content, as provisioning produces it now. */
    private static Map<String, String> produced() throws Exception {
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath().rebased(BASE);
        Plant plant = new PlantFile(catalog, Map.of()).read(Path.of("src/test/resources/every-model-plant.yaml"));
        ProvisionedArtifacts artifacts = new ProvisionedArtifacts(catalog, PolicyTemplates.fromClasspath(catalog));
        Map<String, String> files = new TreeMap<>();
        for (PlantAsset asset : plant.assets()) {
            String name = plant.deviceId(asset).replace(':', '_') + ".json";
            files.put("policies/" + name, artifacts.policy(plant, asset).encodePrettily() + "\n");
            files.put("things/" + name, artifacts.thing(plant, asset).put("thingId", plant.deviceId(asset)).encodePrettily() + "\n");
        }
        for (HonoConnectionType type : HonoConnectionType.values()) {
            files.put("connections/" + type.value() + ".json", artifacts.connection(plant, type).encodePrettily() + "\n");
        }
        ServedThingModels served = new ServedThingModels(ThingModelCatalog.fromClasspath(), BASE);
        for (ThingModel model : ThingModelCatalog.fromClasspath().all()) {
            files.put("models/" + model.fileName(),
                    new String(served.document(model.fileName()).orElseThrow().body(), StandardCharsets.UTF_8) + "\n");
        }
        // the example payloads of thing-definitions (one full thing per model), with definitions under the same base
        try (Stream<Path> examples = Files.list(Path.of("../thing-definitions/examples"))) {
            for (Path example : examples.filter(path -> path.toString().endsWith(".thing.json")).sorted().toList()) {
                files.put("examples/" + example.getFileName(), new JsonObject(Files.readString(example)
                        .replace(ThingModelCatalog.BASE_URL, BASE.modelsPrefix())).encodePrettily() + "\n");
            }
        }
        files.put("models-base-url.txt", BASE.value() + "\n");
        return files;
    }

    private static Map<String, String> committed() throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(ARTIFACTS)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(ARTIFACTS)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(ARTIFACTS.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return files;
    }

    @Test
    void theArtifactsDitto38ChecksAreWhatProvisioningProducesNow() throws Exception {
        Map<String, String> produced = produced();
        if (Boolean.getBoolean("twinworks.artifacts.write")) {
            if (Files.isDirectory(ARTIFACTS)) {
                try (Stream<Path> walk = Files.walk(ARTIFACTS)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        Files.delete(file);
                    }
                }
            }
            for (Map.Entry<String, String> file : produced.entrySet()) {
                Path target = ARTIFACTS.resolve(file.getKey());
                Files.createDirectories(target.getParent() == null ? ARTIFACTS : target.getParent());
                Files.writeString(target, file.getValue());
            }
        }
        Map<String, String> committed = committed();

        assertThat(committed.keySet()).as("artifact files (regenerate with -Dtwinworks.artifacts.write=true)")
                .containsExactlyElementsOf(produced.keySet());
        produced.forEach((name, content) -> {
            if (name.endsWith(".json")) {
                assertThat(new JsonObject(committed.get(name))).as(name + " (regenerate with -Dtwinworks.artifacts.write=true)")
                        .isEqualTo(new JsonObject(content));
            } else {
                assertThat(committed.get(name)).as(name + " (regenerate with -Dtwinworks.artifacts.write=true)").isEqualTo(content);
            }
        });
    }

    @Test
    void everyThingModelOfTheCatalogAndEveryThingLevelModelIsAmongTheArtifacts() throws Exception {
        Map<String, String> produced = produced();

        assertThat(produced.keySet()).filteredOn(name -> name.startsWith("models/")).hasSize(ThingModelCatalog.fromClasspath().all().size());
        assertThat(produced.entrySet()).filteredOn(file -> file.getKey().startsWith("things/"))
                .extracting(file -> new JsonObject(file.getValue()).getString("definition"))
                .containsExactlyInAnyOrder(BASE.modelUrl("centrifugal-pump-1.0.0.tm.jsonld"),
                        BASE.modelUrl("induction-motor-1.0.0.tm.jsonld"), BASE.modelUrl("turbofan-engine-1.0.0.tm.jsonld"),
                        BASE.modelUrl("production-line-1.0.0.tm.jsonld"));
    }
}
