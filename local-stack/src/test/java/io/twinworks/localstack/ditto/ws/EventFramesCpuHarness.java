package io.twinworks.localstack.ditto.ws;

import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A micro harness, not a test of behaviour and not a benchmark: thread CPU per frame of a device's merge, written by
 * {@link EventFrames} and through Ditto's adapter, printed (the frames must be equal; the times are not asserted).
 * Surefire does not pick it up by name; run it with {@code -Dtest=EventFramesCpuHarness}.
 */
class EventFramesCpuHarness {

    private static final ThingId THING = ThingId.of("plant.a:pump-7");
    private static final Instant MODIFIED = Instant.parse("2026-12-07T03:00:00.123Z");

    @Test
    void printsTheThreadCpuPerFrameOfTheWriterAndOfTheAdapter() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<ThingEvent<?>> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            DittoHeaders headers = DittoHeaders.newBuilder().correlationId("device-" + i + "-" + (1_000_000 + i))
                    .authorizationContext(AuthorizationModelFactory.newAuthContext(
                            DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION,
                            AuthorizationSubject.newInstance("integration:hono")))
                    .responseRequired(false).build();
            events.add(ThingMerged.of(THING, JsonPointer.of("/features/vibration/properties"),
                    JsonObject.of("{\"rms\":" + (0.31 + i / 1e4) + ",\"ts\":\"2026-12-07T05:00:00." + (100 + i % 900) + "Z\"}"),
                    i + 1, MODIFIED.plusMillis(i), headers, null));
        }
        for (int round = 0; round < 5; round++) {
            long adapter = 0;
            long writer = 0;
            for (int repeat = 0; repeat < 20; repeat++) {
                long start = threads.getCurrentThreadCpuTime();
                List<String> viaAdapter = new ArrayList<>(events.size());
                for (ThingEvent<?> event : events) {
                    viaAdapter.add(ProtocolJson.toText(EventProjection.outgoingMessage(event), null));
                }
                long middle = threads.getCurrentThreadCpuTime();
                List<String> written = new ArrayList<>(events.size());
                for (ThingEvent<?> event : events) {
                    written.add(EventFrames.write(event, JsonObject.empty()));
                }
                long end = threads.getCurrentThreadCpuTime();
                assertThat(written).isEqualTo(viaAdapter);
                adapter += middle - start;
                writer += end - middle;
            }
            System.out.printf(Locale.ROOT, "round %d: adapter + Ditto JSON %.2f us/frame, EventFrames %.2f us/frame%n",
                    round, adapter / 20_000.0 / 1_000, writer / 20_000.0 / 1_000);
        }
    }
}
