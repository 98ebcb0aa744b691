package io.twinworks.ditto3;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every thing provisioning creates, and thing-definitions' example payloads, parsed by Ditto 3.8's things model and
 * checked against the served Thing Models with Ditto's default WoT payload rules ({@link WotPayloadRules38}).
 */
class ThingsDitto38Test {

    private final ServedThingModels38 models = ServedThingModels38.load();
    private final WotPayloadRules38 rules = new WotPayloadRules38(models);

    private static Thing parse(JsonObject json) {
        return ThingsModelFactory.newThing(json);
    }

    @Test
    void everyProvisionedThingParsesWithItsIdPolicyAndDefinitions() {
        Map<String, JsonObject> things = Artifacts.all("things");

        assertThat(things).hasSize(4);
        things.forEach((file, json) -> {
            Thing thing = parse(json);
            String thingId = file.replace(".json", "").replace('_', ':');
            assertThat(thing.getEntityId().map(Object::toString)).as(file).contains(thingId);
            assertThat(thing.getPolicyId().map(Object::toString)).as(file).contains(thingId);
            assertThat(thing.getDefinition().map(Object::toString)).as(file).hasValueSatisfying(definition ->
                    assertThat(definition).startsWith(Artifacts.modelsBaseUrl() + "/models/"));
            assertThat(thing.getFeatures()).as(file).hasValueSatisfying(features -> features.forEach(feature ->
                    assertThat(feature.getDefinition()).as(file + " " + feature.getId()).isPresent()));
        });
    }

    @Test
    void everyProvisionedThingConformsToItsThingModel() {
        Artifacts.all("things").forEach((file, json) -> assertThat(rules.violations(parse(json))).as(file).isEmpty());
    }

    @Test
    void everyExamplePayloadConformsToItsThingModel() {
        Map<String, JsonObject> examples = Artifacts.all("examples");

        assertThat(examples).hasSize(4);
        examples.forEach((file, json) -> assertThat(rules.violations(parse(json))).as(file).isEmpty());
    }

    @Test
    void aValueOutsideItsSchemaIsAViolation() {
        JsonObject pump = Artifacts.one("examples/centrifugal-pump.thing.json");
        JsonObject loud = pump.setValue(JsonPointer.of("/features/vibration/properties/rms"), JsonValue.of(250.0));

        assertThat(rules.violations(parse(loud))).singleElement().asString().startsWith("/features/vibration/properties/rms:");
    }

    @Test
    void nonModeledValuesAndMissingModeledPartsAreViolations() {
        JsonObject pump = Artifacts.one("examples/centrifugal-pump.thing.json");
        JsonObject changed = pump.setValue(JsonPointer.of("/attributes/colour"), JsonValue.of("red"))
                .setValue(JsonPointer.of("/features/coffee"), JsonObject.empty())
                .remove("features/flow").remove("attributes/tenant");

        assertThat(rules.violations(parse(changed))).containsExactlyInAnyOrder(
                "/attributes/colour: non-modeled",
                "/attributes/tenant: non-optional property missing",
                "/features/coffee: non-modeled feature",
                "/features/flow: modeled feature missing");
    }

    @Test
    void aDefinitionNobodyServesIsAViolation() {
        JsonObject pump = Artifacts.one("examples/centrifugal-pump.thing.json")
                .setValue("definition", JsonValue.of("https://twinworks.io/models/centrifugal-pump-1.0.0.tm.jsonld"));

        assertThat(rules.violations(parse(pump))).singleElement().asString().startsWith("/definition: names no served Thing Model");
    }
}
