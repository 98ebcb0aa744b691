package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ThingPayloadValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
    private final ThingPayloadValidator validator = new ThingPayloadValidator(catalog);

    private static ObjectNode example(String name) throws IOException {
        return (ObjectNode) MAPPER.readTree(Path.of("examples", name + ".thing.json").toFile());
    }

    @Test
    void everyExampleThingValidatesAgainstItsModel() throws IOException {
        List<Path> examples;
        try (Stream<Path> listing = Files.list(Path.of("examples"))) {
            examples = listing.filter(path -> path.toString().endsWith(".thing.json")).toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        for (Path path : examples) {
            JsonNode thing = MAPPER.readTree(path.toFile());
            assertThat(validator.modelOf(thing)).as(path + " names a known model").isPresent();
            assertThat(validator.validate(thing)).as(path.toString()).isEmpty();
        }
    }

    @Test
    void everyModelsSkeletonValidates() {
        ThingSkeleton skeleton = new ThingSkeleton(catalog);
        for (ThingModel model : catalog.all()) {
            if (model.submodels().isEmpty()) {
                continue;
            }
            ObjectNode thing = skeleton.skeleton(model, Map.of("tenant", TextNode.valueOf("plant.a")));
            assertThat(validator.validate(thing)).as(model.fileName()).isEmpty();
            assertThat(thing.path("features").fieldNames()).toIterable()
                    .containsExactlyElementsOf(model.submodels().stream().map(ThingModel.Submodel::instanceName).toList());
        }
    }

    @Test
    void everyThingLevelSkeletonNamesItsAssetTypeInTheTypeAttribute() {
        ThingSkeleton skeleton = new ThingSkeleton(catalog);
        for (String name : List.of("centrifugal-pump", "induction-motor", "turbofan-engine", "production-line")) {
            ObjectNode thing = skeleton.skeleton(catalog.require(name), Map.of("tenant", TextNode.valueOf("plant.a")));
            assertThat(thing.at("/attributes/type").asText()).as(name).isEqualTo(name);
        }
    }

    @Test
    void aThingWithoutTheTypeAttributeStillValidatesSoTwinsCreatedBeforeItKeepWorking() {
        ObjectNode thing = new ThingSkeleton(catalog).skeleton(catalog.require("centrifugal-pump"),
                Map.of("tenant", TextNode.valueOf("plant.a")));
        ((ObjectNode) thing.get("attributes")).remove("type");
        assertThat(validator.validate(thing)).isEmpty();
    }

    @Test
    void theDemoPumpsReadingsValidate() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ObjectNode features = (ObjectNode) pump.get("features");
        features.set("vibration", MAPPER.readTree("{\"properties\":{\"rms\":1.1,\"seq\":1,\"ts\":\"2024-05-01T10:00:00.123456Z\"}}"));
        features.set("temperature", MAPPER.readTree("{\"properties\":{\"value\":50.2,\"ts\":\"2024-05-01T10:00:00Z\"}}"));
        features.set("flow", MAPPER.readTree("{\"properties\":{\"value\":94.4,\"ts\":\"2024-05-01T10:00:00Z\"}}"));
        features.set("pressure", MAPPER.readTree("{\"properties\":{\"value\":2.69,\"ts\":\"2024-05-01T10:00:00Z\"}}"));
        assertThat(validator.validate(pump)).isEmpty();
    }

    @Test
    void aValueAboveTheMaximumNamesThePropertyTheRuleAndTheUnit() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/vibration/properties")).put("rms", 250.0);
        List<Violation> violations = validator.validate(pump);
        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.path()).isEqualTo("/features/vibration/properties/rms");
            assertThat(violation.rule()).isEqualTo("maximum");
            assertThat(violation.message()).contains("Feature <vibration>'s property <rms>").contains("100").contains("mm/s");
        });
        assertThat(ThingPayloadValidator.describe(violations)).contains("<rms>").contains("rule: maximum");
    }

    @Test
    void everyKindOfPropertyViolationIsWordedInFullWithItsPath() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.get("attributes")).put("bogus", 1).remove("tenant");
        ((ObjectNode) pump.at("/features/vibration/properties")).put("rms", 250.0);
        ((ObjectNode) pump.at("/features/flow")).put("desiredProperties", "x");
        ((ObjectNode) pump.at("/features/pressure")).set("desiredProperties", MAPPER.readTree("{\"value\":\"high\"}"));
        String pumpModel = catalog.require("centrifugal-pump").fileName();
        Violation maximum = new Violation("/features/vibration/properties/rms", "maximum",
                "The Feature <vibration>'s property <rms> : must have a maximum value of 100 mm/s");

        List<Violation> violations = validator.validate(pump);

        assertThat(violations).containsExactly(
                new Violation("/attributes/bogus", "non-modeled",
                        "The Thing's attribute <bogus> is not modeled in " + pumpModel),
                new Violation("/attributes/tenant", "required",
                        "The Thing's attribute <tenant> is non optional and must be provided"),
                maximum,
                new Violation("/features/flow/desiredProperties", "type",
                        "/features/flow/desiredProperties must be a JSON object"),
                new Violation("/features/pressure/desiredProperties/value", "type",
                        "The Feature <pressure>'s desired property <value> : string found, number expected"));
        assertThat(validator.validateFeature(pump.path("definition").asText(), "vibration",
                pump.at("/features/vibration"))).containsExactly(maximum);
    }

    @Test
    void aWrongTypeIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/temperature/properties")).put("value", "hot");
        assertThat(validator.validate(pump)).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("type");
            assertThat(violation.path()).isEqualTo("/features/temperature/properties/value");
        });
    }

    @Test
    void aValueBelowTheMinimumIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/flow/properties")).put("value", -3);
        assertThat(validator.validate(pump)).extracting(Violation::rule).containsExactly("minimum");
    }

    @Test
    void aMalformedTimestampIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/flow/properties")).put("ts", "yesterday");
        assertThat(validator.validate(pump)).extracting(Violation::rule).containsExactly("format");
    }

    @Test
    void aValueOutsideTheEnumIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/predictions/properties")).put("healthState", "great");
        assertThat(validator.validate(pump)).extracting(Violation::rule).containsExactly("enum");
    }

    @Test
    void theLearnedDetectorStateIsAModeledPredictionsPropertyAndMustBeAnObject() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ObjectNode predictions = (ObjectNode) pump.at("/features/predictions/properties");
        predictions.putObject("learnedBaselines").putObject("vibration").putObject("rms")
                .put("mean", 3.0).put("sd", 0.7).put("n", 100).put("err", 0.8).put("errMean", 0.79).put("errVar", 0.02).put("scored", 40);
        assertThat(validator.validate(pump)).isEmpty();

        predictions.put("learnedBaselines", "relearn please");
        assertThat(validator.validate(pump)).extracting(Violation::rule).containsExactly("type");
    }

    @Test
    void aNonModeledPropertyIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/vibration/properties")).put("peak", 3.0);
        assertThat(validator.validate(pump)).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("non-modeled");
            assertThat(violation.path()).isEqualTo("/features/vibration/properties/peak");
        });
    }

    @Test
    void aNonModeledAttributeIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.get("attributes")).put("colour", "red");
        assertThat(validator.validate(pump)).extracting(Violation::path).containsExactly("/attributes/colour");
    }

    @Test
    void aNonModeledFeatureIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.get("features")).putObject("coffee").putObject("properties");
        assertThat(validator.validate(pump)).extracting(Violation::rule, Violation::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("non-modeled", "/features/coffee"));
    }

    @Test
    void aMissingModeledFeatureIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.get("features")).remove("predictions");
        assertThat(validator.validate(pump)).extracting(Violation::rule, Violation::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("presence", "/features/predictions"));
    }

    @Test
    void aMissingRequiredAttributeIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.get("attributes")).remove("tenant");
        assertThat(validator.validate(pump)).extracting(Violation::rule, Violation::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("required", "/attributes/tenant"));
    }

    @Test
    void anInvalidDesiredPropertyIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/drive/desiredProperties")).put("speed", 99_999);
        assertThat(validator.validate(pump)).extracting(Violation::path, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/features/drive/desiredProperties/speed", "maximum"));
    }

    @Test
    void aFeatureDefinitionNamingAnotherSubmodelIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/flow")).putArray("definition").add(ThingModelCatalog.BASE_URL + "pressure-sensor-1.0.0.tm.jsonld");
        assertThat(validator.validate(pump)).extracting(Violation::rule).containsExactly("definition");
    }

    @Test
    void aNestedObjectViolationNamesTheNestedPath() throws IOException {
        ObjectNode line = example("production-line");
        ((com.fasterxml.jackson.databind.node.ArrayNode) line.at("/attributes/assets")).add("not a thing id");
        assertThat(validator.validate(line)).singleElement().satisfies(violation -> {
            assertThat(violation.path()).isEqualTo("/attributes/assets/2");
            assertThat(violation.rule()).isEqualTo("pattern");
        });
    }

    @Test
    void aLineStationWithoutRateOrWithANegativeBufferIsRejected() throws IOException {
        ObjectNode line = example("production-line");
        ((ObjectNode) line.at("/attributes/stations/1")).remove("ratePerHour");
        ((com.fasterxml.jackson.databind.node.ArrayNode) line.at("/attributes/buffers")).set(0, -3);
        assertThat(validator.validate(line)).extracting(Violation::path)
                .containsExactlyInAnyOrder("/attributes/stations/1", "/attributes/buffers/0");
    }

    @Test
    void thingsWithoutOrWithUnknownDefinitionAreNotChecked() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/vibration/properties")).put("rms", "not a number");
        pump.remove("definition");
        assertThat(validator.validate(pump)).isEmpty();
        pump.put("definition", "https://example.com/other-1.0.0.tm.jsonld");
        assertThat(validator.validate(pump)).isEmpty();
    }

    @Test
    void everyViolationIsReportedNotOnlyTheFirst() throws IOException {
        ObjectNode engine = example("turbofan-engine");
        ((ObjectNode) engine.at("/features/sensors/properties")).put("T2", -1).put("Nf", "fast").put("extra", 1);
        assertThat(validator.validate(engine)).extracting(Violation::path).containsExactlyInAnyOrder(
                "/features/sensors/properties/T2", "/features/sensors/properties/Nf", "/features/sensors/properties/extra");
    }

    private static String definitionOf(JsonNode thing) {
        return thing.path("definition").asText();
    }

    @Test
    void oneFeatureIsCheckedAsTheWholeThingChecksIt() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/vibration/properties")).put("rms", 250.0).put("seq", "one");

        List<Violation> ofFeature = validator.validateFeature(definitionOf(pump), "vibration", pump.at("/features/vibration"));

        assertThat(ofFeature).isNotEmpty().containsExactlyInAnyOrderElementsOf(validator.validate(pump));
    }

    @Test
    void aValidFeatureOfAValidThingHasNoViolations() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ((ObjectNode) pump.at("/features/vibration/properties")).put("rms", 1.5).put("seq", 3)
                .put("ts", "2024-05-01T10:00:00.123456789Z");

        assertThat(validator.validateFeature(definitionOf(pump), "vibration", pump.at("/features/vibration"))).isEmpty();
    }

    @Test
    void aRemovedModeledFeatureIsMissing() throws IOException {
        ObjectNode pump = example("centrifugal-pump");

        assertThat(validator.validateFeature(definitionOf(pump), "predictions", MissingNode.getInstance()))
                .extracting(Violation::rule, Violation::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("presence", "/features/predictions"));
    }

    @Test
    void aChangedNonModeledFeatureIsRejectedAndARemovedOneIsFine() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        JsonNode coffee = MAPPER.readTree("{\"properties\":{}}");

        assertThat(validator.validateFeature(definitionOf(pump), "coffee", coffee))
                .extracting(Violation::rule, Violation::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("non-modeled", "/features/coffee"));
        assertThat(validator.validateFeature(definitionOf(pump), "coffee", MissingNode.getInstance())).isEmpty();
    }

    @Test
    void aFeatureWhoseDefinitionNamesAnotherSubmodelIsRejected() throws IOException {
        ObjectNode pump = example("centrifugal-pump");
        ObjectNode vibration = (ObjectNode) pump.at("/features/vibration");
        vibration.putArray("definition").add("https://twinworks.io/models/temperature-sensor-1.0.0.tm.jsonld");

        List<Violation> ofFeature = validator.validateFeature(definitionOf(pump), "vibration", vibration);

        assertThat(ofFeature).extracting(Violation::rule).containsExactly("definition");
        assertThat(ofFeature).containsExactlyInAnyOrderElementsOf(validator.validate(pump));
    }

    @Test
    void aFeatureOfAThingWithAnUnknownDefinitionIsNotChecked() {
        assertThat(validator.validateFeature("https://example.com/unknown.tm.jsonld", "vibration",
                MAPPER.createObjectNode().put("properties", "not an object"))).isEmpty();
    }
}
