package io.twinworks.definitions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThingModelCatalogTest {

    private static final Path MODELS = Path.of("src/main/resources/thing-models");
    private final ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();

    @Test
    void catalogListsEveryModelFileOfTheResourceFolder() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(MODELS)) {
            files = listing.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".tm.jsonld")).sorted().toList();
        }
        assertThat(catalog.all()).extracting(ThingModel::fileName).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void everyThingModelPassesTheStructureAndSemanticChecks() {
        ThingModelCheck check = new ThingModelCheck(catalog);
        for (ThingModel model : catalog.all()) {
            assertThat(check.problems(model)).as(model.fileName()).isEmpty();
        }
    }

    @Test
    void theRequiredModelsExistWithTheirSharedSubmodels() {
        for (String name : List.of("centrifugal-pump", "induction-motor", "turbofan-engine", "production-line")) {
            ThingModel model = catalog.require(name);
            assertThat(model.submodels()).extracting(ThingModel.Submodel::instanceName).contains("predictions", "simulation");
        }
        assertThat(catalog.require("simulation").actions()).containsKey("simulate");
        assertThat(catalog.require("centrifugal-pump").actions()).containsKeys("setSpeed", "stop", "resetAlarm");
        assertThat(catalog.require("centrifugal-pump").events()).containsKey("alarm");
    }

    @Test
    void turbofanModelsTheTwentyOneCmapssSensorsAndThreeSettings() {
        assertThat(catalog.require("turbofan-sensors").properties().keySet())
                .containsExactly("T2", "T24", "T30", "T50", "P2", "P15", "P30", "Nf", "Nc", "epr", "Ps30", "phi",
                        "NRf", "NRc", "BPR", "farB", "htBleed", "Nf_dmd", "PCNfR_dmd", "W31", "W32", "cycle", "ts");
        assertThat(catalog.require("turbofan-operating-settings").properties()).containsKeys("setting1", "setting2", "setting3");
    }

    @Test
    void resolvesByUrlFileNameAndShortName() {
        String url = ThingModelCatalog.BASE_URL + "centrifugal-pump-1.0.0.tm.jsonld";
        assertThat(catalog.resolve(url)).map(ThingModel::id).contains(url);
        assertThat(catalog.resolve("https://elsewhere.example/models/centrifugal-pump-1.0.0.tm.jsonld")).map(ThingModel::id).contains(url);
        assertThat(catalog.resolve("centrifugal-pump")).map(ThingModel::id).contains(url);
    }

    @Test
    void unknownDefinitionsDoNotResolve() {
        assertThat(catalog.resolve("https://twinworks.io/models/coffee-machine-1.0.0.tm.jsonld")).isEmpty();
        assertThat(catalog.resolve("")).isEmpty();
        assertThat(catalog.resolve(null)).isEmpty();
        assertThatThrownBy(() -> catalog.require("coffee-machine"))
                .hasMessageContaining("no Thing Model 'coffee-machine'").hasMessageContaining("centrifugal-pump");
    }

    @Test
    void checkReportsNumbersWithoutUnitOrRangeAndDanglingSubmodels() throws IOException {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree("""
                {"@context":["https://www.w3.org/2022/wot/td/v1.1"],"@type":"tm:ThingModel",
                 "id":"https://twinworks.io/models/broken-1.0.0.tm.jsonld","title":"Broken","version":{"model":"1.0.0"},
                 "links":[{"rel":"tm:submodel","href":"https://twinworks.io/models/nowhere-1.0.0.tm.jsonld","instanceName":"x"}],
                 "tm:optional":["/properties/ghost"],
                 "properties":{"speed":{"title":"Speed","type":"number"},
                               "mode":{"title":"Mode","type":"string","enum":["a"],"default":"b"}}}""");
        ThingModel broken = new ThingModel(json.get("id").asText(), "broken-1.0.0.tm.jsonld", json);
        List<String> problems = new ThingModelCheck(catalog).problems(broken);
        assertThat(problems).anyMatch(p -> p.contains("/properties/speed") && p.contains("needs a unit"))
                .anyMatch(p -> p.contains("/properties/speed") && p.contains("needs a minimum and a maximum"))
                .anyMatch(p -> p.contains("nowhere-1.0.0.tm.jsonld is not in the catalog"))
                .anyMatch(p -> p.contains("tm:optional names /properties/ghost"))
                .anyMatch(p -> p.contains("/properties/mode") && p.contains("default"));
    }

    @Test
    void checkReportsAStructurallyInvalidModel() throws IOException {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree("""
                {"@context":["https://www.w3.org/2019/wot/td/v1"],"@type":"Thing",
                 "id":"https://twinworks.io/models/bad-1.0.0.tm.jsonld","version":{"model":"one"},
                 "properties":{"p":{"title":"P","type":"decimal"}}}""");
        List<String> problems = new ThingModelCheck(catalog).problems(new ThingModel(json.get("id").asText(), "bad-1.0.0.tm.jsonld", json));
        assertThat(problems).anyMatch(p -> p.contains("title"))
                .anyMatch(p -> p.contains("@type"))
                .anyMatch(p -> p.contains("@context"))
                .anyMatch(p -> p.contains("version") || p.contains("model"))
                .anyMatch(p -> p.contains("type"));
    }

    @Test
    void aRebasedCatalogNamesTheServedUrlsInIdsAndSubmodelLinksAndStillValidates() {
        ModelsBaseUrl base = ModelsBaseUrl.parse("http://models.example:8080/twin/");
        ThingModelCatalog rebased = catalog.rebased(base);

        ThingModel pump = rebased.require("centrifugal-pump");
        assertThat(pump.id()).isEqualTo("http://models.example:8080/twin/models/centrifugal-pump-1.0.0.tm.jsonld");
        assertThat(pump.submodels()).allSatisfy(link -> {
            assertThat(link.href()).startsWith(base.modelsPrefix());
            assertThat(rebased.resolve(link.href())).map(ThingModel::id).contains(link.href());
        });
        assertThat(pump.json().toString()).doesNotContain(ThingModelCatalog.BASE_URL);
        // the shipped files keep their canonical ids
        assertThat(catalog.require("centrifugal-pump").id()).startsWith(ThingModelCatalog.BASE_URL);
        ObjectNode thing = new ThingSkeleton(rebased).skeleton(pump, java.util.Map.of());
        assertThat(thing.path("definition").asText()).isEqualTo(pump.id());
        assertThat(thing.at("/features/vibration/definition/0").asText()).isEqualTo(base.modelUrl("vibration-sensor-1.0.0.tm.jsonld"));
    }

    @Test
    void aModelsBaseUrlMustBeAnAbsoluteHttpUrlWithoutQuery() {
        assertThat(ModelsBaseUrl.parse("https://twins.example.com//").value()).isEqualTo("https://twins.example.com");
        assertThatThrownBy(() -> ModelsBaseUrl.parse("ftp://twins.example.com")).hasMessageContaining("http");
        assertThatThrownBy(() -> ModelsBaseUrl.parse("/models")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> ModelsBaseUrl.parse("http://twins.example.com/?a=b")).hasMessageContaining("query");
        assertThatThrownBy(() -> ModelsBaseUrl.parse("http://exa mple")).hasMessageContaining("not a URL");
    }
}
