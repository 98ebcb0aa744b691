package io.twinworks.connections;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the Ditto-Hono connection of one Hono tenant needs to know.
 *
 * @param connectionId          the Ditto connection ID ({@code hono-<tenant>} by convention)
 * @param tenant                the Hono tenant whose northbound Kafka topics are consumed
 * @param namespace             the Ditto namespace of the tenant's things (twin events are filtered to it)
 * @param kafkaBootstrapServers Hono's Kafka, {@code host:port[,host:port]}, as seen from Ditto's connectivity service
 * @param deviceSubject         the subject the connection writes device data as (policies grant it the DEVICE role)
 * @param analyticsSubject      the subject the twin-events target reads as (policies grant it the ANALYTICS role)
 * @param twinEventsTopic       the Kafka topic twin events are published to, keyed by thing ID
 */
public record HonoConnectionParameters(String connectionId, String tenant, String namespace, String kafkaBootstrapServers,
                                       String deviceSubject, String analyticsSubject, String twinEventsTopic) {

    public HonoConnectionParameters {
        requireText(connectionId, "connectionId");
        requireText(tenant, "tenant");
        requireText(namespace, "namespace");
        requireText(kafkaBootstrapServers, "kafkaBootstrapServers");
        requireText(deviceSubject, "deviceSubject");
        requireText(analyticsSubject, "analyticsSubject");
        requireText(twinEventsTopic, "twinEventsTopic");
        if (!connectionId.matches("[a-zA-Z0-9_:-]+")) {
            throw new IllegalArgumentException("connectionId '" + connectionId + "' may only contain letters, digits and _ : - (Ditto's connection ID rule)");
        }
        if (!twinEventsTopic.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("twinEventsTopic '" + twinEventsTopic + "' is not a valid Kafka topic name");
        }
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** The template variables ({@code ${name}}) these parameters fill. */
    Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("connectionId", connectionId);
        variables.put("tenant", tenant);
        variables.put("namespace", namespace);
        variables.put("kafkaBootstrapServers", kafkaBootstrapServers);
        variables.put("deviceSubject", deviceSubject);
        variables.put("analyticsSubject", analyticsSubject);
        variables.put("twinEventsTopic", twinEventsTopic);
        return variables;
    }
}
