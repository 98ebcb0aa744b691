package io.twinworks.ditto3;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.wot.model.Property;
import org.eclipse.ditto.wot.model.SingleDataSchema;
import org.eclipse.ditto.wot.model.ThingModel;
import org.eclipse.ditto.wot.model.TmOptionalElement;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Thing Model as served, read by Ditto 3.8's WoT model: a {@code tm:ThingModel} whose id is the URL it is
 * served at, whose submodel links and refs resolve to served models, whose {@code tm:optional} entries name its
 * affordances, and whose property schemas are typed data schemas Ditto understands.
 */
class ThingModelsDitto38Test {

    private final ServedThingModels38 models = ServedThingModels38.load();

    @Test
    void everyModelIsAThingModelWhoseIdIsTheUrlItIsServedAt() {
        assertThat(models.byUrl()).hasSize(17);
        models.byUrl().forEach((url, model) -> {
            assertThat(model.getAtType().map(Object::toString)).as(url).contains("tm:ThingModel");
            assertThat(model.getId().map(Object::toString)).as(url).contains(url);
            assertThat(model.getVersion().flatMap(version -> version.getModel())).as(url).isPresent();
            assertThat(ThingModel.fromJson(model.toJson())).as(url + " round trip").isEqualTo(model);
        });
    }

    @Test
    void everySubmodelLinkResolvesToAServedModelUnderAUniqueInstanceName() {
        int links = 0;
        for (Map.Entry<String, ThingModel> entry : models.byUrl().entrySet()) {
            var submodels = ServedThingModels38.submodels(entry.getValue());
            assertThat(submodels).extracting(ServedThingModels38.Submodel::instanceName).as(entry.getKey()).doesNotHaveDuplicates();
            for (ServedThingModels38.Submodel submodel : submodels) {
                assertThat(models.at(submodel.href())).as(entry.getKey() + " -> " + submodel.href()).isPresent();
                links++;
            }
        }
        assertThat(links).as("the four thing-level models embed their features as submodels").isGreaterThanOrEqualTo(20);
    }

    @Test
    void everyRefResolvesIntoAServedModel() {
        models.byUrl().forEach((url, model) -> ServedThingModels38.refs(model.toJson()).forEach(ref ->
                assertThat(models.resolveRef(ref)).as(url + " tm:ref " + ref).isPresent()));
    }

    @Test
    void anUnresolvableRefOrSubmodelIsFound() {
        String prefix = Artifacts.modelsBaseUrl() + "/models/";
        assertThat(models.resolveRef(prefix + "drive-1.0.0.tm.jsonld#/properties/nope")).isEmpty();
        assertThat(models.resolveRef(prefix + "nowhere-1.0.0.tm.jsonld#/properties/speed")).isEmpty();
        assertThat(models.resolveRef(prefix + "drive-1.0.0.tm.jsonld#/properties/speed")).isPresent();
        assertThat(ServedThingModels38.refs(JsonObject.newBuilder().set("properties", JsonObject.newBuilder()
                .set("x", JsonObject.newBuilder().set("tm:ref", prefix + "drive-1.0.0.tm.jsonld#/properties/speed").build())
                .build()).build())).containsExactly(prefix + "drive-1.0.0.tm.jsonld#/properties/speed");
    }

    @Test
    void tmOptionalNamesOnlyAffordancesOfTheModel() {
        models.byUrl().forEach((url, model) -> model.getTmOptional().ifPresent(optional -> {
            for (TmOptionalElement element : optional) {
                assertThat(model.toJson().getValue(element.toString())).as(url + " tm:optional " + element).isPresent();
            }
        }));
    }

    @Test
    void everyPropertyIsATypedDataSchemaAndNumbersCarryUnitAndRange() {
        models.byUrl().forEach((url, model) -> model.getProperties().ifPresent(properties -> {
            for (Property property : properties.values()) {
                String where = url + " property " + property.getPropertyName();
                assertThat(property.getType()).as(where).isPresent();
                SingleDataSchema reparsed = SingleDataSchema.fromJson(property.toJson());
                assertThat(reparsed.getType()).as(where).isEqualTo(property.getType());
                String type = property.getType().orElseThrow().getName();
                if (type.equals("number") || type.equals("integer")) {
                    JsonObject json = property.toJson();
                    assertThat(property.getUnit()).as(where + " unit").isPresent();
                    assertThat(json.contains("minimum") && json.contains("maximum")).as(where + " range").isTrue();
                }
            }
        }));
    }

    @Test
    void theThingLevelModelsAreThoseProvisioningUses() {
        assertThat(Artifacts.all("things").values()).extracting(thing -> thing.getValue("definition").map(JsonValue::asString)
                .orElseThrow()).allSatisfy(definition -> assertThat(models.at(definition)).isPresent());
    }
}
