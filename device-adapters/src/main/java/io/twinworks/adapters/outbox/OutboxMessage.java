package io.twinworks.adapters.outbox;

/**
 * One message waiting in the outbox for its PUBACK.
 *
 * @param id       the outbox position (ascending in append order)
 * @param deviceId the Hono device the message is for
 * @param seq      the device's sequence number carried in the payload
 * @param topic    the Hono MQTT topic to publish to
 * @param qos      the MQTT QoS to publish with
 * @param payload  the payload bytes
 */
public record OutboxMessage(long id, String deviceId, long seq, String topic, int qos, byte[] payload) {
}
