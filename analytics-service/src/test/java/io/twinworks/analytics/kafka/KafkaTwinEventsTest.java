package io.twinworks.analytics.kafka;

import io.twinworks.analytics.ditto.ProtocolEventReadings;
import io.twinworks.analytics.ditto.ThingChangeReadings;
import io.twinworks.analytics.model.Reading;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ditto Protocol events as a Ditto connection's Kafka target publishes them. */
class KafkaTwinEventsTest {

    private final ProtocolEventReadings events = new ProtocolEventReadings();
    private final ThingChangeReadings extractor = new ThingChangeReadings(Set.of("vibration/rms", "temperature/value"));

    @Test
    void aMergedEventYieldsItsMonitoredReadingsAtItsRevision() {
        String event = "{\"topic\":\"plant.a/pump-1/things/twin/events/merged\",\"headers\":{\"content-type\":\"application/merge-patch+json\"},"
                + "\"path\":\"/features/vibration/properties\",\"value\":{\"rms\":1.2,\"seq\":4},\"revision\":7}";
        assertThat(events.read(event, extractor).orElseThrow().readings()).containsExactly(new Reading("plant.a:pump-1", "vibration/rms", 1.2, 7));
    }

    @Test
    void aModifiedPropertyEventYieldsOneReading() {
        String event = "{\"topic\":\"plant.a/pump-1/things/twin/events/modified\",\"headers\":{},"
                + "\"path\":\"/features/temperature/properties/value\",\"value\":51.5,\"revision\":3}";
        assertThat(events.read(event, extractor).orElseThrow().readings()).containsExactly(new Reading("plant.a:pump-1", "temperature/value", 51.5, 3));
    }

    @Test
    void aDeletedEventYieldsNoReadings() {
        String event = "{\"topic\":\"plant.a/pump-1/things/twin/events/deleted\",\"headers\":{},"
                + "\"path\":\"/features/vibration\",\"revision\":9}";
        assertThat(events.read(event, extractor).orElseThrow().readings()).isEmpty();
    }

    @Test
    void garbageAndSignalsThatAreNotThingEventsAreRefused() {
        assertThat(events.read("not json", extractor)).isEmpty();
        assertThat(events.read("{\"value\":1}", extractor)).isEmpty();
        String command = "{\"topic\":\"plant.a/pump-1/things/twin/commands/merge\",\"headers\":{\"content-type\":\"application/merge-patch+json\"},"
                + "\"path\":\"/features/vibration/properties\",\"value\":{\"rms\":1.2}}";
        assertThat(events.read(command, extractor)).isEmpty();
    }

    @Test
    void aFailureWhileReadingAValidEventPropagatesInsteadOfPassingForARefusedRecord() {
        String event = "{\"topic\":\"plant.a/pump-1/things/twin/events/modified\",\"headers\":{},"
                + "\"path\":\"/features/temperature/properties/value\",\"value\":51.5,\"revision\":3}";
        // no extractor: a programming error in reading a valid event, not a record to ignore
        assertThatThrownBy(() -> events.read(event, null)).isInstanceOf(NullPointerException.class);
    }
}
