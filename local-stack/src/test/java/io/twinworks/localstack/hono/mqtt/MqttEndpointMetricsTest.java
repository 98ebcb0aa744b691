package io.twinworks.localstack.hono.mqtt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-message meters count into the documented meter names and tags, however often they are hit. */
class MqttEndpointMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MqttEndpointMetrics metrics = new MqttEndpointMetrics(registry);

    private double received(String type, String qos) {
        return registry.get("twinworks.hono.mqtt.messages.received").tag("type", type).tag("qos", qos).counter().count();
    }

    @Test
    void receivedMessagesAreCountedPerTypeAndQos() {
        for (int i = 0; i < 3; i++) {
            metrics.messageReceived("telemetry", 1);
        }
        metrics.messageReceived("telemetry", 0);
        metrics.messageReceived("event", 1);

        assertThat(received("telemetry", "1")).isEqualTo(3);
        assertThat(received("telemetry", "0")).isEqualTo(1);
        assertThat(received("event", "1")).isEqualTo(1);
        assertThat(registry.find("twinworks.hono.mqtt.messages.received").counters()).hasSize(3);
        assertThat(metrics.snapshot().messagesIn()).isEqualTo(5);
    }

    @Test
    void aQosOutsideMqttsLevelsIsStillCountedUnderItsOwnTag() {
        metrics.messageReceived("unknown", 7);
        metrics.messageReceived("unknown", 7);
        metrics.messageReceived("unknown", -1);

        assertThat(received("unknown", "7")).isEqualTo(2);
        assertThat(received("unknown", "-1")).isEqualTo(1);
    }

    @Test
    void writtenRecordsAreCountedPerType() {
        metrics.recordWritten("telemetry");
        metrics.recordWritten("telemetry");
        metrics.recordWritten("event");

        assertThat(registry.get("twinworks.hono.mqtt.records.written").tag("type", "telemetry").counter().count()).isEqualTo(2);
        assertThat(registry.get("twinworks.hono.mqtt.records.written").tag("type", "event").counter().count()).isEqualTo(1);
        assertThat(metrics.snapshot().recordsWritten()).isEqualTo(3);
    }

    @Test
    void aMeterRemovedFromTheRegistryIsNotRecreatedByLaterMessages() {
        // documents the trade of keeping the meters: they are registered once, as Micrometer's own binders do
        metrics.recordWritten("telemetry");
        registry.clear();
        metrics.recordWritten("telemetry");

        assertThat(registry.find("twinworks.hono.mqtt.records.written").counters()).isEmpty();
        assertThat(metrics.snapshot().recordsWritten()).isEqualTo(2);
    }
}
