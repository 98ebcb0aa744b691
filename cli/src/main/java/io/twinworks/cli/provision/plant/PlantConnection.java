package io.twinworks.cli.provision.plant;

import java.util.Objects;

/**
 * The Ditto-Hono connection of a plant (real Ditto only; the local stack's is built in).
 *
 * @param id                    the Ditto connection ID
 * @param kafkaBootstrapServers Hono's Kafka as Ditto's connectivity service reaches it
 * @param twinEventsTopic       the Kafka topic of twin events, keyed by thing ID
 * @param analyticsSubject      the subject the twin-events target reads as
 */
public record PlantConnection(String id, String kafkaBootstrapServers, String twinEventsTopic, String analyticsSubject) {
    public PlantConnection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(twinEventsTopic, "twinEventsTopic");
        Objects.requireNonNull(analyticsSubject, "analyticsSubject");
    }
}
