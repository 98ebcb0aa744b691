package io.twinworks.localstack.hono.mqtt;

/**
 * A point-in-time snapshot of the MQTT endpoint's counters, for a live status line.
 *
 * @param activeConnections     devices connected now
 * @param connectionsAccepted   CONNECTs accepted since start
 * @param connectionsRefused    CONNECTs refused since start (all reasons)
 * @param messagesIn            PUBLISH packets received from authenticated devices (all types)
 * @param recordsWritten        records Kafka acknowledged (telemetry, events, command responses)
 * @param messagesRefused       PUBLISH packets refused (all reasons)
 * @param kafkaWriteFailures    records Kafka did not acknowledge
 * @param commandsDelivered     commands published to devices
 * @param commandsUndeliverable commands that could not be delivered (not connected, invalid, ...)
 * @param commandResponses      command responses forwarded to Kafka by devices
 */
public record MqttEndpointStatus(
        int activeConnections,
        long connectionsAccepted,
        long connectionsRefused,
        long messagesIn,
        long recordsWritten,
        long messagesRefused,
        long kafkaWriteFailures,
        long commandsDelivered,
        long commandsUndeliverable,
        long commandResponses) {

    /** One line for a CLI, e.g. {@code mqtt: 3 connected, 1200 messages in, 1198 records written, ...}. */
    public String toStatusLine() {
        return "mqtt: " + activeConnections + " connected, " + messagesIn + " messages in, "
                + recordsWritten + " records written, " + messagesRefused + " refused messages, "
                + connectionsRefused + " refused connections, " + commandsDelivered + " commands delivered, "
                + commandResponses + " command responses";
    }
}
