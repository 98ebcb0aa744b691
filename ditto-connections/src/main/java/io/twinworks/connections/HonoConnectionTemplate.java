package io.twinworks.connections;

import org.eclipse.ditto.connectivity.model.Connection;
import org.eclipse.ditto.connectivity.model.ConnectivityModelFactory;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.connectivity.model.PayloadMapping;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ditto connection that joins a Hono tenant to Ditto in a real deployment
 * ({@code ditto-connections/hono-kafka-connection.json}): a Kafka connection (Ditto 2.x and 3.x)
 * consuming Hono's northbound topics with the Ditto mapping and {@code device_id} enforcement,
 * answering devices on Hono's command topic, forwarding live commands/messages to devices as Hono
 * commands with Ditto's {@code RawMessage} mapping (the device gets the message payload and content
 * type; its response, with Hono's {@code status}, becomes the message response), and publishing twin
 * events keyed by thing ID for scaled-out analytics.
 *
 * <p>Ditto 3.2+ also offers its {@code hono} connection type ({@link HonoConnectionType#HONO},
 * {@code hono-connection.json}), which takes Kafka and the topic names from Ditto's own Hono settings.
 *
 * <p>Template variables are {@code ${name}} (Ditto's own placeholders are {@code {{ ... }}} and stay).
 */
public final class HonoConnectionTemplate {

    /** The Kafka template's classpath resource. */
    public static final String RESOURCE = HonoConnectionType.KAFKA.resource();
    /** The source addresses Ditto's {@code hono} connection type accepts. */
    private static final Set<String> HONO_SOURCE_ADDRESSES = Set.of("telemetry", "event", "command_response");

    private static final String RAW_MESSAGE = "RawMessage";
    private static final String COMMAND_RESPONSE_PREFIX = "hono.command_response.";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z]+)}");
    private static final Pattern DITTO_PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Set<String> PLACEHOLDER_PREFIXES = Set.of("thing", "header", "topic", "entity", "fn");
    private static final Set<String> FUNCTIONS = Set.of("default", "substring-before", "substring-after", "lower",
            "upper", "filter", "delete", "replace", "split", "trim", "url-encode", "url-decode", "base64-encode", "base64-decode");

    private final String template;

    private HonoConnectionTemplate(String template) {
        this.template = template;
    }

    /** The shipped Kafka connection template. */
    public static HonoConnectionTemplate fromClasspath() {
        return fromClasspath(HonoConnectionType.KAFKA);
    }

    /** The shipped template of the given connection type. */
    public static HonoConnectionTemplate fromClasspath(HonoConnectionType type) {
        try (InputStream in = HonoConnectionTemplate.class.getClassLoader().getResourceAsStream(type.resource())) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + type.resource() + " is missing");
            }
            return new HonoConnectionTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A template from text (for tests). */
    static HonoConnectionTemplate of(String template) {
        return new HonoConnectionTemplate(template);
    }

    /**
     * The connection JSON for one tenant, checked.
     *
     * @throws IllegalArgumentException listing every problem when the result is not a valid connection
     */
    public JsonObject render(HonoConnectionParameters parameters) {
        var variables = parameters.variables();
        StringBuilder rendered = new StringBuilder();
        Matcher matcher = VARIABLE.matcher(template);
        List<String> unknown = new ArrayList<>();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            if (value == null) {
                unknown.add(matcher.group(0));
                value = matcher.group(0);
            }
            // values land inside JSON strings: escape them as JSON string content
            String escaped = JsonFactory.newValue(value).toString();
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(escaped.substring(1, escaped.length() - 1)));
        }
        matcher.appendTail(rendered);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("connection template uses unknown variables " + unknown);
        }
        JsonObject connection = JsonFactory.newObject(rendered.toString());
        List<String> problems = problems(connection);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("connection " + parameters.connectionId() + " is invalid: " + String.join("; ", problems));
        }
        return connection;
    }

    /** As {@link #usesRawMessage(Connection, PayloadMapping)}, on the JSON of a source or target (hono type). */
    private static boolean usesRawMessage(JsonObject connection, JsonObject sourceOrTarget) {
        JsonArray mappings = sourceOrTarget.getValue("payloadMapping").filter(JsonValue::isArray).map(JsonValue::asArray)
                .orElse(JsonFactory.newArray());
        return !mappings.isEmpty() && mappings.stream().allMatch(id -> id.isString() && (id.asString().equals(RAW_MESSAGE)
                || connection.getValue("mappingDefinitions/" + id.asString() + "/mappingEngine")
                        .filter(engine -> engine.isString() && engine.asString().equals(RAW_MESSAGE)).isPresent()));
    }

    private static boolean usesRawMessage(Connection connection, PayloadMapping mapping) {
        var definitions = connection.getPayloadMappingDefinition().getDefinitions();
        return !mapping.getMappings().isEmpty() && mapping.getMappings().stream().allMatch(id ->
                id.equals(RAW_MESSAGE) || (definitions.containsKey(id)
                        && definitions.get(id).getMappingEngine().equals(RAW_MESSAGE)));
    }

    /**
     * Problems of a connection JSON: what Ditto's connectivity model rejects, plus what a Hono
     * connection must have ({@code device_id} enforcement on every source, the Ditto mapping on the
     * telemetry/event sources, the command contract — a {@code RawMessage} mapping on the live-message
     * target and the command-response source — and a twin-events target keyed by thing ID) and Ditto
     * placeholders of unknown kinds.
     */
    public static List<String> problems(JsonObject json) {
        if (HonoConnectionType.HONO.value().equals(json.getValue("connectionType").filter(JsonValue::isString)
                .map(JsonValue::asString).orElse(""))) {
            return honoTypeProblems(json);
        }
        List<String> problems = new ArrayList<>();
        Connection connection;
        try {
            connection = ConnectivityModelFactory.connectionFromJson(json);
        } catch (RuntimeException e) {
            return List.of("Ditto's connectivity model rejects it: " + e.getMessage());
        }
        if (connection.getSources().isEmpty()) {
            problems.add("no sources: nothing reaches the twins");
        }
        connection.getSources().forEach(source -> {
            String where = "source " + source.getAddresses();
            if (source.getEnforcement().isEmpty()) {
                problems.add(where + " has no enforcement: any device could write any thing");
            } else if (!source.getEnforcement().get().getInput().contains("header:device_id")) {
                problems.add(where + " must enforce header:device_id against the thing ID");
            }
            boolean commandResponses = source.getAddresses().stream().anyMatch(a -> a.startsWith(COMMAND_RESPONSE_PREFIX));
            if (commandResponses && !usesRawMessage(connection, source.getPayloadMapping())) {
                problems.add(where + " must map with a RawMessage mapping (devices answer the bare payload, Hono's"
                        + " status header is the response status)");
            } else if (!commandResponses && !source.getPayloadMapping().getMappings().contains("Ditto")) {
                problems.add(where + " must use the Ditto payload mapping (devices send Ditto Protocol)");
            }
            if (source.getAuthorizationContext().isEmpty()) {
                problems.add(where + " has no authorizationContext");
            }
        });
        connection.getTargets().stream()
                .filter(target -> target.getTopics().stream()
                        .anyMatch(topic -> topic.getTopic().name().equals("LIVE_MESSAGES")))
                .filter(target -> !usesRawMessage(connection, target.getPayloadMapping()))
                .forEach(target -> problems.add("target " + target.getAddress() + " sends live messages without a"
                        + " RawMessage mapping: devices would get the Ditto Protocol envelope instead of the payload"));
        boolean eventsKeyedByThing = connection.getTargets().stream().anyMatch(target ->
                target.getTopics().stream().anyMatch(topic -> topic.getTopic().name().equals("TWIN_EVENTS"))
                        && target.getAddress().endsWith("/{{ thing:id }}"));
        if (!eventsKeyedByThing) {
            problems.add("no target publishes twin events keyed by thing ID (address <topic>/{{ thing:id }})");
        }
        problems.addAll(placeholderProblems(json));
        return problems;
    }

    /**
     * Problems of a {@code hono}-type connection. Ditto 2.4's connectivity model predates that type, so these checks
     * read the JSON; the {@code ditto3-checks} module parses it with Ditto 3.8's own model.
     */
    private static List<String> honoTypeProblems(JsonObject json) {
        List<String> problems = new ArrayList<>();
        if (json.getValue("id").filter(JsonValue::isString).isEmpty()) {
            problems.add("no connection id");
        }
        JsonArray sources = json.getValue("sources").filter(JsonValue::isArray).map(JsonValue::asArray).orElse(JsonFactory.newArray());
        if (sources.isEmpty()) {
            problems.add("no sources: nothing reaches the twins");
        }
        for (JsonValue value : sources) {
            JsonObject source = value.isObject() ? value.asObject() : JsonFactory.newObject();
            String addresses = source.getValue("addresses").map(JsonValue::toString).orElse("[]");
            String where = "source " + addresses;
            source.getValue("addresses").filter(JsonValue::isArray).map(JsonValue::asArray).orElse(JsonFactory.newArray())
                    .forEach(address -> {
                        if (!address.isString() || !HONO_SOURCE_ADDRESSES.contains(address.asString())) {
                            problems.add(where + ": a hono connection reads only " + HONO_SOURCE_ADDRESSES);
                        }
                    });
            String input = source.getValue("enforcement/input").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
            if (input == null) {
                problems.add(where + " has no enforcement: any device could write any thing");
            } else if (!input.contains("header:device_id")) {
                problems.add(where + " must enforce header:device_id against the thing ID");
            }
            boolean commandResponses = addresses.contains("\"command_response\"");
            if (commandResponses && !usesRawMessage(json, source)) {
                problems.add(where + " must map with a RawMessage mapping (devices answer the bare payload, Hono's"
                        + " status header is the response status)");
            } else if (!commandResponses
                    && !source.getValue("payloadMapping").map(JsonValue::toString).orElse("").contains("\"Ditto\"")) {
                problems.add(where + " must use the Ditto payload mapping (devices send Ditto Protocol)");
            }
            if (source.getValue("authorizationContext").filter(JsonValue::isArray).map(a -> a.asArray().isEmpty()).orElse(true)) {
                problems.add(where + " has no authorizationContext");
            }
        }
        json.getValue("targets").filter(JsonValue::isArray).map(JsonValue::asArray).orElse(JsonFactory.newArray())
                .forEach(target -> {
                    String address = target.isObject() ? target.asObject().getValue("address").map(JsonValue::formatAsString).orElse("") : "";
                    if (!"command".equals(address)) {
                        problems.add("target '" + address + "': a hono connection sends only to 'command'");
                    } else if (!usesRawMessage(json, target.asObject())) {
                        problems.add("target 'command' must map with a RawMessage mapping (devices get the message"
                                + " payload and content type, not a Ditto Protocol envelope)");
                    }
                });
        problems.addAll(placeholderProblems(json));
        return problems;
    }

    private static List<String> placeholderProblems(JsonObject json) {
        List<String> problems = new ArrayList<>();
        Matcher leftover = VARIABLE.matcher(json.toString());
        if (leftover.find()) {
            problems.add("template variable " + leftover.group(0) + " was not filled");
        }
        Matcher placeholders = DITTO_PLACEHOLDER.matcher(json.toString());
        while (placeholders.find()) {
            for (String stage : placeholders.group(1).split("\\|")) {
                String expression = stage.trim();
                int colon = expression.indexOf(':');
                String prefix = colon > 0 ? expression.substring(0, colon) : expression;
                if (!PLACEHOLDER_PREFIXES.contains(prefix)) {
                    problems.add("placeholder {{" + placeholders.group(1) + "}} uses unknown kind '" + prefix + "'");
                } else if (prefix.equals("fn")) {
                    String function = expression.substring(colon + 1).replaceFirst("\\(.*", "");
                    if (!FUNCTIONS.contains(function)) {
                        problems.add("placeholder {{" + placeholders.group(1) + "}} uses unknown function fn:" + function);
                    }
                }
            }
        }
        return problems;
    }
}
