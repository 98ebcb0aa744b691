package io.twinworks.localstack;

/**
 * Where the running local stack can be reached: what a client configures to talk to it, and what
 * it would configure instead to talk to real Hono and Ditto.
 *
 * @param kafkaBootstrapServers Hono's Kafka northbound ({@code host:port})
 * @param mqttUri               Hono's MQTT protocol adapter ({@code tcp://host:port})
 * @param registryUrl           Hono's device-registry management API base URL (paths {@code /v1/...})
 * @param dittoUrl              Ditto's API base URL (paths {@code /api/2/...}, {@code /ws/2})
 * @param modelsBaseUrl         where the Thing Models are served ({@code <base>/models/<name>-<version>.tm.jsonld}),
 *                              the base of the definitions provisioning writes
 */
public record LocalStackEndpoints(String kafkaBootstrapServers, String mqttUri, String registryUrl, String dittoUrl,
                                  String modelsBaseUrl) {
}
