package io.twinworks.localstack.ditto.connectivity;

import java.util.Objects;

/**
 * Where a consumed Hono record came from, for logs and metrics.
 *
 * @param tenant    the Hono tenant (from the topic name)
 * @param deviceId  the record's {@code device_id} header, or {@code null} when it had none
 * @param topic     the Kafka topic
 * @param partition the partition
 * @param offset    the record's offset
 */
public record RecordOrigin(String tenant, String deviceId, String topic, int partition, long offset) {

    public RecordOrigin {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return "tenant=" + tenant + " device=" + deviceId + " (" + topic + "-" + partition + "@" + offset + ")";
    }
}
