package io.twinworks.localstack;

/**
 * Where the running local stack can be reached; what a client configures to talk to it, and what
 * it would configure instead to talk to real Hono and Ditto.
 *
 * @param kafkaBootstrapServers Hono's Kafka northbound ({@code host:port})
 */
public record LocalStackEndpoints(String kafkaBootstrapServers) {
}
