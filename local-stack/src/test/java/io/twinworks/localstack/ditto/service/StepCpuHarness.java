package io.twinworks.localstack.ditto.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingSkeleton;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThingResponse;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.twinworks.localstack.ditto.service.TwinApplyCpuHarness.compare;

/**
 * Not a test of behaviour: each step of a device merge timed against the way it was done before, in turns in one
 * JVM (see {@link TwinApplyCpuHarness#compare}). Runs only when asked: {@code -Dtwinworks.harness=true}.
 */
@EnabledIfSystemProperty(named = "twinworks.harness", matches = "true")
class StepCpuHarness {

    private static final JsonObject PUMP = JsonObject.of(new ThingSkeleton(ThingModelCatalog.fromClasspath())
            .skeleton(ThingModelCatalog.fromClasspath().require("centrifugal-pump"),
                    Map.of("tenant", JsonNodeFactory.instance.textNode("plant.a"),
                            "location", JsonNodeFactory.instance.textNode("hall 1"))).toString())
            .setValue("thingId", "plant.a:pump-1");
    private static final JsonPointer PROPERTIES = JsonPointer.of("/features/vibration/properties");
    private static final JsonObject READING = JsonObject.of("{\"rms\":2.05,\"seq\":12345,\"ts\":\"2026-12-07T06:00:00.123456789Z\"}");

    private static Object sink;

    @Test
    void mergeOfAReading() {
        JsonObject thing = ThingMergePatches.applyAt(PUMP, PROPERTIES, READING).asObject();
        JsonObject properties = thing.getValue(PROPERTIES).orElseThrow().asObject();
        compare("merge of a reading into the properties", () -> sink = JsonMergePatch.of(READING).applyOn(properties),
                () -> sink = ThingMergePatches.mergeValues(READING, properties), 20_000);
        compare("merge of a reading into the thing (narrowed)",
                () -> sink = JsonMergePatch.of(PROPERTIES, READING).applyOn(thing),
                () -> sink = ThingMergePatches.applyAt(thing, PROPERTIES, READING), 20_000);
    }

    @Test
    void settledHeadersOfADeviceMerge() {
        DittoHeaders headers = DittoHeaders.newBuilder()
                .authorizationContext(AuthorizationContext.newInstance(
                        DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                        AuthorizationSubject.newInstance("integration:hono")))
                .contentType("application/merge-patch+json").correlationId(UUID.randomUUID().toString()).build();
        Optional<EntityTag> tag = Optional.of(EntityTag.fromString("\"hash:-1234567\""));
        compare("settled headers of a device merge (A: builder, B: copied entries)",
                () -> sink = SettledHeaders.viaBuilder(headers, tag), () -> sink = SettledHeaders.of(headers, tag), 20_000);
    }

    @Test
    void responseOfADeviceMerge() {
        DittoHeaders headers = DittoHeaders.newBuilder()
                .authorizationContext(AuthorizationContext.newInstance(
                        DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                        AuthorizationSubject.newInstance("integration:hono")))
                .contentType("application/merge-patch+json").correlationId(UUID.randomUUID().toString()).build();
        JsonObject thing = ThingMergePatches.applyAt(PUMP, PROPERTIES, READING).asObject();
        ThingId thingId = ThingId.of("plant.a:pump-1");
        StoredThing after = new StoredThing(thingId, thing, 2, Instant.EPOCH, Instant.EPOCH, false);
        DittoHeaders eventHeaders = SettledHeaders.forEvent(headers);
        // what a merge no longer builds unless its response is asked for (B: nothing)
        compare("a device merge's response (A: built, B: not asked for)",
                () -> sink = MergeThingResponse.of(thingId, PROPERTIES, SettledHeaders.forResponse(eventHeaders,
                        ThingResources.valueAt(after, PROPERTIES).flatMap(EntityTag::fromEntity))),
                () -> sink = eventHeaders, 20_000);
    }

    @Test
    void keyCheckOfMergedProperties() {
        JsonObject thing = ThingMergePatches.applyAt(PUMP, PROPERTIES, READING).asObject();
        JsonObject properties = thing.getValue(PROPERTIES).orElseThrow().asObject();
        PropertyKeys keys = new PropertyKeys();
        compare("Ditto's key check of merged properties (A: its factory, B: remembered names)",
                () -> sink = org.eclipse.ditto.things.model.ThingsModelFactory.newFeatureProperties(properties),
                () -> keys.check(properties), 20_000);
    }
}
