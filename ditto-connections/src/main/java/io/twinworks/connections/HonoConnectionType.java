package io.twinworks.connections;

import java.util.Arrays;
import java.util.Locale;

/**
 * The two ways a Ditto connection can join a Hono tenant: a plain {@code kafka} connection on Hono's northbound topics
 * (Ditto 2.x and 3.x; Twinworks names every topic and reply address itself), or Ditto's {@code hono} connection type
 * (Ditto 3.2+), which derives the Kafka topics, bootstrap servers and reply addresses from Ditto's own Hono settings.
 */
public enum HonoConnectionType {

    /** A {@code kafka} connection with Hono's topic names ({@code hono-kafka-connection.json}). */
    KAFKA("kafka", "ditto-connections/hono-kafka-connection.json"),
    /** Ditto's {@code hono} connection type ({@code hono-connection.json}); no twin-events target (addresses are Hono's). */
    HONO("hono", "ditto-connections/hono-connection.json");

    private final String value;
    private final String resource;

    HonoConnectionType(String value, String resource) {
        this.value = value;
        this.resource = resource;
    }

    /** The {@code connectionType} Ditto knows it by. */
    public String value() {
        return value;
    }

    /** The template's classpath resource. */
    public String resource() {
        return resource;
    }

    /** The type named {@code kafka} or {@code hono} (any case). */
    public static HonoConnectionType of(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("connection type '" + value + "' is neither kafka nor hono"));
    }
}
