package io.twinworks.adapters.config;

import io.twinworks.adapters.bridge.TopicRule;
import io.twinworks.adapters.codec.FieldTarget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plant-broker side of the MQTT adapter.
 *
 * @param uri                  the plant broker, e.g. {@code tcp://plant-broker:1883}
 * @param clientId             stable client ID: the broker keeps the session (and QoS 1 messages) under it
 * @param username             optional
 * @param password             optional
 * @param sharedGroup          when set, subscriptions are {@code $share/<group>/<filter>} so several
 *                             adapter instances split the load
 * @param sessionExpirySeconds how long the broker keeps the session while the adapter is away
 * @param rules                mapping rules, first match wins
 * @param commands             Hono command name → plant-broker publish (topic template with {@code {thingId}},
 *                             {@code {namespace}}, {@code {name}}; QoS)
 */
public record BridgeSettings(String uri, String clientId, String username, String password, String sharedGroup,
                             long sessionExpirySeconds, List<TopicRule> rules, Map<String, CommandRoute> commands) {

    /** Where a command goes on the plant broker. */
    public record CommandRoute(String topic, int qos) {
    }

    static BridgeSettings validate(ConfigFile.Bridge raw, List<String> problems) {
        String uri = raw.uri();
        if (uri == null || !uri.matches("(tcp|ssl)://[^/]+:\\d+")) {
            problems.add("bridge.uri '" + uri + "' is not tcp://host:port or ssl://host:port");
        }
        List<TopicRule> rules = new ArrayList<>();
        if (raw.rules() == null || raw.rules().isEmpty()) {
            problems.add("bridge.rules must list at least one rule");
        } else {
            for (int i = 0; i < raw.rules().size(); i++) {
                ConfigFile.Rule rule = raw.rules().get(i);
                String key = "bridge.rules[" + i + "]";
                try {
                    Map<String, FieldTarget> pointers = rule.pointers() == null ? null
                            : AdapterConfig.targets(key + ".pointers", rule.pointers());
                    FieldTarget value = rule.value() == null ? null : AdapterConfig.target(key + ".value", rule.value());
                    rules.add(new TopicRule(rule.topic(), rule.thingId(), pointers, value,
                            rule.qos() == null ? 1 : rule.qos(), rule.messageId()));
                } catch (IllegalArgumentException e) {
                    problems.add(key + ": " + e.getMessage());
                }
            }
        }
        Map<String, CommandRoute> commands = new LinkedHashMap<>();
        if (raw.commands() != null) {
            raw.commands().forEach((name, command) -> {
                if (command == null || command.topic() == null || command.topic().isBlank()) {
                    problems.add("bridge.commands." + name + ".topic must be set");
                } else {
                    int qos = command.qos() == null ? 1 : command.qos();
                    if (qos < 0 || qos > 2) {
                        problems.add("bridge.commands." + name + ".qos must be 0, 1 or 2");
                    }
                    commands.put(name, new CommandRoute(command.topic(), qos));
                }
            });
        }
        long expiry = raw.sessionExpirySeconds() == null ? 3_600 : raw.sessionExpirySeconds();
        if (expiry < 0) {
            problems.add("bridge.sessionExpirySeconds must not be negative");
        }
        String clientId = raw.clientId() == null ? "twinworks-bridge-" + UUID.randomUUID() : raw.clientId();
        return new BridgeSettings(uri, clientId, raw.username(), raw.password(), raw.sharedGroup(), expiry,
                List.copyOf(rules), Map.copyOf(commands));
    }
}
