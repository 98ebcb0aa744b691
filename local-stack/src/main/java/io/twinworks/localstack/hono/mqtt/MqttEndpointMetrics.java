package io.twinworks.localstack.hono.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MQTT endpoint's Micrometer meters (all prefixed {@code twinworks.hono.mqtt.}) and the totals
 * behind {@link MqttEndpointStatus}.
 *
 * <ul>
 *   <li>{@code connections.accepted}, {@code connections.refused{reason}}, gauge {@code connections.active}</li>
 *   <li>{@code messages.received{type,qos}} — type telemetry, event, command-response</li>
 *   <li>{@code messages.refused{reason}} — reason = {@link Refusal#tag()}</li>
 *   <li>{@code subscriptions.refused{reason}} — reason = the SUBACK reason code name</li>
 *   <li>{@code records.written{type}}, {@code records.failed{type}} — Kafka outcomes</li>
 *   <li>{@code commands.delivered}, {@code commands.undeliverable{reason}},
 *       {@code command.responses{outcome}} — outcome forwarded, timed_out</li>
 * </ul>
 */
public final class MqttEndpointMetrics {

    private static final String PREFIX = "twinworks.hono.mqtt.";

    private final MeterRegistry registry;
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong connectionsRefused = new AtomicLong();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong messagesRefused = new AtomicLong();
    private final AtomicLong kafkaWriteFailures = new AtomicLong();
    private final AtomicLong commandsDelivered = new AtomicLong();
    private final AtomicLong commandsUndeliverable = new AtomicLong();
    private final AtomicLong commandResponses = new AtomicLong();
    /*
     * The two meters counted per message, kept once registered: building a meter ID (tags sorted and merged) and
     * looking it up in the registry per message was ~4 % of the MQTT side's event-loop CPU (JFR, bench ingest).
     */
    private final Map<String, Counter[]> messagesReceived = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsWrittenByType = new ConcurrentHashMap<>();
    private static final int MQTT_QOS_LEVELS = 3;

    /** Registers the meters in the given registry. */
    public MqttEndpointMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder(PREFIX + "connections.active", activeConnections, AtomicInteger::get)
                .description("Devices connected to the MQTT endpoint now")
                .register(registry);
    }

    void connectionAccepted() {
        connectionsAccepted.incrementAndGet();
        activeConnections.incrementAndGet();
        Counter.builder(PREFIX + "connections.accepted").register(registry).increment();
    }

    void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    void connectionRefused(String reason) {
        connectionsRefused.incrementAndGet();
        Counter.builder(PREFIX + "connections.refused").tag("reason", reason).register(registry).increment();
    }

    void messageReceived(String type, int qos) {
        messagesIn.incrementAndGet();
        Counter[] byQos = messagesReceived.computeIfAbsent(type, t -> new Counter[MQTT_QOS_LEVELS]);
        Counter counter = qos >= 0 && qos < MQTT_QOS_LEVELS ? byQos[qos] : null;
        if (counter == null) {
            counter = Counter.builder(PREFIX + "messages.received").tag("type", type).tag("qos", Integer.toString(qos))
                    .register(registry);
            if (qos >= 0 && qos < MQTT_QOS_LEVELS) {
                // a benign race: two threads register the same meter, the registry returns the same instance
                byQos[qos] = counter;
            }
        }
        counter.increment();
    }

    void messageRefused(Refusal refusal) {
        messagesRefused.incrementAndGet();
        Counter.builder(PREFIX + "messages.refused").tag("reason", refusal.tag()).register(registry).increment();
    }

    void subscriptionRefused(io.vertx.mqtt.messages.codes.MqttSubAckReasonCode code) {
        Counter.builder(PREFIX + "subscriptions.refused").tag("reason", code.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).increment();
    }

    void recordWritten(String type) {
        recordsWritten.incrementAndGet();
        recordsWrittenByType.computeIfAbsent(type,
                t -> Counter.builder(PREFIX + "records.written").tag("type", t).register(registry)).increment();
    }

    void recordFailed(String type) {
        kafkaWriteFailures.incrementAndGet();
        Counter.builder(PREFIX + "records.failed").tag("type", type).register(registry).increment();
    }

    void commandDelivered() {
        commandsDelivered.incrementAndGet();
        Counter.builder(PREFIX + "commands.delivered").register(registry).increment();
    }

    void commandUndeliverable(String reason) {
        commandsUndeliverable.incrementAndGet();
        Counter.builder(PREFIX + "commands.undeliverable").tag("reason", reason).register(registry).increment();
    }

    void commandResponse(String outcome) {
        if ("forwarded".equals(outcome)) {
            commandResponses.incrementAndGet();
        }
        Counter.builder(PREFIX + "command.responses").tag("outcome", outcome).register(registry).increment();
    }

    /** The current totals. */
    public MqttEndpointStatus snapshot() {
        return new MqttEndpointStatus(activeConnections.get(), connectionsAccepted.get(), connectionsRefused.get(),
                messagesIn.get(), recordsWritten.get(), messagesRefused.get(), kafkaWriteFailures.get(),
                commandsDelivered.get(), commandsUndeliverable.get(), commandResponses.get());
    }
}
