package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The model on demand is the stored thing's full parse, built once and then shared. */
class ThingModelOnDemandTest {

    private static final StoredThing STORED = new StoredThing(ThingId.of("plant.a:pump-1"), JsonObject.of("""
            {"thingId":"plant.a:pump-1","policyId":"plant.a:pump-1","attributes":{"site":"a"},
             "features":{"vibration":{"properties":{"rms":0.3}}}}"""), 7, Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2026-12-07T00:00:00Z"), false);

    @Test
    void theModelIsTheStoredThingsParseWithRevisionAndTimestamps() {
        Thing model = ThingModelOnDemand.of(STORED).get();

        assertThat(model).isEqualTo(STORED.toThing());
        assertThat(model.getRevision()).hasValueSatisfying(revision -> assertThat(revision.toLong()).isEqualTo(7));
    }

    @Test
    void concurrentFirstCallersAllGetEqualModelsAndLaterCallersTheKeptOne() throws Exception {
        ThingModelOnDemand onDemand = ThingModelOnDemand.of(STORED);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Thing>> models = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                models.add(threads.submit(onDemand::get));
            }
            Set<Thing> distinct = ConcurrentHashMap.newKeySet();
            for (Future<Thing> model : models) {
                distinct.add(model.get(10, TimeUnit.SECONDS));
            }
            assertThat(distinct).containsExactly(STORED.toThing());
        } finally {
            threads.shutdownNow();
        }
        assertThat(onDemand.get()).isSameAs(onDemand.get());
    }

    @Test
    void aModelBuiltByTheCheckIsHandedOutAsItIs() {
        Thing checked = ThingsModelFactory.newThing(STORED.json());

        assertThat(ThingModelOnDemand.built(STORED, checked).get()).isSameAs(checked);
    }
}
