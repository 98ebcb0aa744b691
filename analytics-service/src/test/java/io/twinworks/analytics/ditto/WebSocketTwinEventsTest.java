package io.twinworks.analytics.ditto;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.analytics.model.Reading;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The WebSocket transport's frames: odd ones counted and passed over, never thrown; events handed on in order. */
class WebSocketTwinEventsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<List<Reading>> handed = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private ThingChangeReadings extractor = new ThingChangeReadings(Set.of("vibration/rms"));
    private final WebSocketTwinEvents events = new WebSocketTwinEvents(() -> extractor, handed::add, meters,
            "twinworks_analytics_event_lag", TimeUnit.SECONDS.toNanos(10), clock::get);

    private static String event(String path, String value, long revision) {
        return "{\"topic\":\"plant.a/pump-1/things/twin/events/merged\",\"headers\":{},\"path\":\"" + path + "\",\"value\":"
                + value + ",\"revision\":" + revision + ",\"timestamp\":\"2026-12-07T11:00:00Z\"}";
    }

    private double count(String outcome) {
        return meters.counter(WebSocketTwinEvents.EVENTS_METER, "outcome", outcome).count();
    }

    @Test
    void framesThatAreNoTwinEventsAreCountedAndPassedOverWithoutThrowing() {
        for (String odd : List.of("garbage", "{}", "[1]", "START-SEND-EVENTS:ACK?", "{\"topic\":\"_/_/things/twin/errors\",\"headers\":{},"
                + "\"path\":\"/\",\"value\":{\"status\":400,\"error\":\"json.invalid\",\"message\":\"x\"},\"status\":400}")) {
            assertThatCode(() -> events.onFrame(odd)).doesNotThrowAnyException();
        }
        assertThat(count("refused")).isEqualTo(5);
        assertThat(count("used")).isZero();
        assertThat(handed).isEmpty();
    }

    @Test
    void aFrameWhoseReadingFailsIsCountedAsRefusedAndTheStreamGoesOn() {
        String badTimestamp = "{\"topic\":\"plant.a/pump-1/things/twin/events/modified\",\"headers\":{},"
                + "\"path\":\"/features/vibration/properties/rms\",\"value\":1.5,\"revision\":3,\"timestamp\":\"yesterday\"}";
        assertThatCode(() -> events.onFrame(badTimestamp)).doesNotThrowAnyException();
        events.onFrame(event("/features/vibration/properties", "{\"rms\":2.5}", 4));
        assertThat(count("refused")).isEqualTo(1);
        assertThat(handed).containsExactly(List.of(new Reading("plant.a:pump-1", "vibration/rms", 2.5, 4)));
    }

    @Test
    void theWebSocketTransportHandsOnWhatTheMappingSharedWithKafkaReadsForSeededRandomFrames() {
        extractor = new ThingChangeReadings(Set.of("vibration/rms", "vibration/axis/x", "temperature/value", "flow/rate", "flow/rate/avg"));
        ProtocolEventReadings kafkasMapping = new ProtocolEventReadings();
        List<List<Reading>> expected = new ArrayList<>();
        int refused = 0;
        ProtocolEventReadingsTest.RandomFrames frames = new ProtocolEventReadingsTest.RandomFrames(new java.util.Random(17L));
        for (int i = 0; i < 5_000; i++) {
            String frame = frames.next();
            try {
                var event = kafkasMapping.read(frame, extractor);
                if (event.isPresent()) {
                    expected.add(event.get().readings());
                } else {
                    refused++;
                }
            } catch (RuntimeException e) {
                refused++;
            }
            events.onFrame(frame);
        }
        assertThat(handed).isEqualTo(expected);
        assertThat(count("refused")).isEqualTo(refused).isPositive();
        assertThat(handed).filteredOn(readings -> !readings.isEmpty()).hasSizeGreaterThan(250);
    }

    @Test
    void eventsAreHandedOnInArrivalOrderWithTheExtractorOfTheMoment() {
        events.onFrame(event("/features/vibration/properties", "{\"rms\":1.0,\"temp\":40}", 1));
        events.onFrame(event("/features/predictions/properties", "{\"anomalyScore\":0.1}", 2));
        extractor = new ThingChangeReadings(Set.of("vibration/rms", "vibration/temp"));
        events.onFrame(event("/features/vibration/properties", "{\"rms\":1.1,\"temp\":41}", 3));
        assertThat(handed).containsExactly(
                List.of(new Reading("plant.a:pump-1", "vibration/rms", 1.0, 1)),
                List.of(),
                List.of(new Reading("plant.a:pump-1", "vibration/rms", 1.1, 3), new Reading("plant.a:pump-1", "vibration/temp", 41, 3)));
        assertThat(count("used")).isEqualTo(3);
        assertThat(meters.timer("twinworks_analytics_event_lag").count()).isEqualTo(3);
    }
}
