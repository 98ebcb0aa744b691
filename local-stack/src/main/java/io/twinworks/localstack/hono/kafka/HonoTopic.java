package io.twinworks.localstack.hono.kafka;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tenant-specific Kafka topic of Hono's northbound APIs: {@code hono.<type>.<tenant>}.
 *
 * @param type     which API the topic belongs to
 * @param tenantId the tenant
 */
public record HonoTopic(Type type, String tenantId) {

    /** The Hono topic types, named as in the topic. */
    public enum Type {
        TELEMETRY("telemetry"),
        EVENT("event"),
        COMMAND("command"),
        COMMAND_RESPONSE("command_response");

        private final String segment;

        Type(String segment) {
            this.segment = segment;
        }

        /** The middle segment of the topic name. */
        public String segment() {
            return segment;
        }
    }

    /** Matches the command topics of all tenants (and not the {@code command_response} ones). */
    public static final Pattern ALL_COMMAND_TOPICS = Pattern.compile("hono\\.command\\..+");

    public HonoTopic {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenantId, "tenantId");
        if (tenantId.isEmpty()) {
            throw new IllegalArgumentException("tenantId must not be empty");
        }
    }

    /** The topic name, e.g. {@code hono.telemetry.DEFAULT_TENANT}. */
    public String topicName() {
        return "hono." + type.segment() + "." + tenantId;
    }

    /** Parses a topic name of the given type; empty if the name is of another form. */
    public static Optional<HonoTopic> parse(String topicName, Type type) {
        String prefix = "hono." + type.segment() + ".";
        if (topicName == null || !topicName.startsWith(prefix) || topicName.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(new HonoTopic(type, topicName.substring(prefix.length())));
    }

    @Override
    public String toString() {
        return topicName();
    }
}
