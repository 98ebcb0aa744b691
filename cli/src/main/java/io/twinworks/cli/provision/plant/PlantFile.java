package io.twinworks.cli.provision.plant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.definitions.Violation;
import io.twinworks.policies.PolicyRole;
import io.twinworks.policies.PolicySubjects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a plant file (YAML) and checks it completely before anything is provisioned: every
 * problem is reported at once, naming where it is ({@code assets[2].type}).
 *
 * <pre>
 * tenant: plant.a
 * namespace: plant.a              # optional, default: the tenant
 * subjects:                        # policy subjects per role
 *   devices: [pre-authenticated:hono-connection]
 *   analytics: [nginx:analytics]
 *   simulation: [nginx:simulation]
 *   operators: [nginx:ditto]
 *   admins: [nginx:ditto]
 * connection:                      # the Ditto-Hono connection (real Ditto)
 *   kafkaBootstrapServers: kafka:9092
 *   twinEventsTopic: twinworks.twin-events
 * assets:
 *   - name: pump-1
 *     type: centrifugal-pump
 *     attributes: {location: hall 1}
 *     credentials: {authId: pump-1, password: secret}   # or passwordEnv: PUMP_1_PASSWORD
 *     binding: {mqtt: {}}                                # or serial: {port: /dev/ttyUSB0, ...}
 *     via: [adapter-1]                                   # optional: gateways that may publish for it
 * gateways:                        # optional: Hono gateways (e.g. device adapters in gateway mode)
 *   - name: adapter-1
 *     credentials: {authId: adapter-1, passwordEnv: ADAPTER_1_PASSWORD}
 * </pre>
 */
public final class PlantFile {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$");
    private static final Pattern ASSET_NAME = Pattern.compile("^[a-zA-Z0-9_.-]+$");
    private static final Map<String, PolicyRole> ROLE_KEYS = Map.of("devices", PolicyRole.DEVICE,
            "analytics", PolicyRole.ANALYTICS, "simulation", PolicyRole.SIMULATION,
            "operators", PolicyRole.OPERATOR, "admins", PolicyRole.ADMIN);

    private final ThingModelCatalog catalog;
    private final Map<String, String> environment;

    /**
     * @param catalog     resolves asset types
     * @param environment where {@code passwordEnv} values are looked up
     */
    public PlantFile(ThingModelCatalog catalog, Map<String, String> environment) {
        this.catalog = catalog;
        this.environment = Map.copyOf(environment);
    }

    /** Reads and checks a plant file. */
    public Plant read(Path file) throws PlantFileException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new PlantFileException(file, List.of("cannot read it as YAML: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        Plant plant = parse(root == null ? JsonNodeFactory.instance.missingNode() : root, problems);
        if (!problems.isEmpty()) {
            throw new PlantFileException(file, problems);
        }
        return plant;
    }

    private Plant parse(JsonNode root, List<String> problems) {
        if (!root.isObject()) {
            problems.add("the file must be a YAML mapping with tenant, subjects, assets");
            return null;
        }
        knownKeys(root, "", Set.of("tenant", "namespace", "subjects", "connection", "assets", "gateways"), problems);
        String tenant = text(root, "tenant", problems, true);
        if (tenant != null && !NAME.matcher(tenant).matches()) {
            problems.add("tenant '" + tenant + "' may only contain letters, digits, _ . -");
        }
        String namespace = Optional.ofNullable(text(root, "namespace", problems, false)).orElse(tenant);
        if (namespace != null && !NAME.matcher(namespace).matches()) {
            problems.add("namespace '" + namespace + "' may only contain letters, digits, _ . -");
        }
        PolicySubjects subjects = subjects(root.path("subjects"), problems);
        PlantConnection connection = connection(root.path("connection"), tenant, subjects, problems);
        List<PlantGateway> gateways = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> authIds = new HashSet<>();
        JsonNode gatewayNodes = root.path("gateways");
        if (!gatewayNodes.isMissingNode() && !gatewayNodes.isArray()) {
            problems.add("gateways must be a list of {name, credentials}");
        } else {
            for (int i = 0; i < gatewayNodes.size(); i++) {
                PlantGateway gateway = gateway(gatewayNodes.get(i), "gateways[" + i + "]", problems);
                if (gateway != null) {
                    if (!names.add(gateway.name())) {
                        problems.add("gateways[" + i + "].name '" + gateway.name() + "' is used twice");
                    }
                    if (!authIds.add(gateway.authId())) {
                        problems.add("gateways[" + i + "].credentials.authId '" + gateway.authId() + "' is used twice");
                    }
                    gateways.add(gateway);
                }
            }
        }
        Set<String> gatewayNames = new HashSet<>(gateways.stream().map(PlantGateway::name).toList());
        List<PlantAsset> assets = new ArrayList<>();
        JsonNode assetNodes = root.path("assets");
        if (!assetNodes.isArray() || assetNodes.isEmpty()) {
            problems.add("assets: at least one asset is needed");
        } else {
            for (int i = 0; i < assetNodes.size(); i++) {
                PlantAsset asset = asset(assetNodes.get(i), "assets[" + i + "]", tenant, problems);
                if (asset != null) {
                    for (String via : asset.via()) {
                        if (!gatewayNames.contains(via)) {
                            problems.add("assets[" + i + "].via names '" + via + "', which is not in gateways (known: "
                                    + gatewayNames.stream().sorted().toList() + ")");
                        }
                    }
                    if (!names.add(asset.name())) {
                        problems.add("assets[" + i + "].name '" + asset.name() + "' is used twice");
                    }
                    if (!authIds.add(asset.authId())) {
                        problems.add("assets[" + i + "].credentials.authId '" + asset.authId() + "' is used twice");
                    }
                    assets.add(asset);
                }
            }
        }
        return problems.isEmpty() ? new Plant(tenant, namespace, subjects, connection, assets, gateways) : null;
    }

    private PolicySubjects subjects(JsonNode node, List<String> problems) {
        if (!node.isObject()) {
            problems.add("subjects: a mapping of role to subject list is needed (devices, analytics, simulation, operators, admins)");
            return null;
        }
        knownKeys(node, "subjects.", ROLE_KEYS.keySet(), problems);
        Map<PolicyRole, List<String>> byRole = new EnumMap<>(PolicyRole.class);
        ROLE_KEYS.forEach((key, role) -> {
            JsonNode list = node.path(key);
            if (list.isMissingNode()) {
                return;
            }
            if (!list.isArray()) {
                problems.add("subjects." + key + " must be a list of <issuer>:<subject>");
                return;
            }
            List<String> subjects = new ArrayList<>();
            list.forEach(subject -> subjects.add(subject.asText()));
            byRole.put(role, subjects);
        });
        try {
            return new PolicySubjects(byRole);
        } catch (IllegalArgumentException e) {
            problems.add("subjects: " + e.getMessage());
            return null;
        }
    }

    private static PlantConnection connection(JsonNode node, String tenant, PolicySubjects subjects, List<String> problems) {
        if (!node.isMissingNode() && !node.isObject()) {
            problems.add("connection must be a mapping");
            return null;
        }
        knownKeys(node, "connection.", Set.of("id", "kafkaBootstrapServers", "twinEventsTopic", "analyticsSubject"), problems);
        String id = node.path("id").asText(tenant == null ? "hono" : "hono-" + tenant.replaceAll("[^a-zA-Z0-9_:-]", "-"));
        String analytics = node.path("analyticsSubject").asText(subjects == null || subjects.of(PolicyRole.ANALYTICS).isEmpty()
                ? "" : subjects.of(PolicyRole.ANALYTICS).get(0));
        if (analytics.isEmpty()) {
            problems.add("connection.analyticsSubject: needed when subjects.analytics is empty (the twin-events target reads as it)");
        }
        return new PlantConnection(id, node.path("kafkaBootstrapServers").asText("kafka:9092"),
                node.path("twinEventsTopic").asText("twinworks.twin-events"), analytics);
    }

    private PlantAsset asset(JsonNode node, String where, String tenant, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + " must be a mapping with name, type, credentials");
            return null;
        }
        int before = problems.size();
        knownKeys(node, where + ".", Set.of("name", "type", "attributes", "credentials", "binding", "via"), problems);
        String name = text(node, "name", problems, true, where + ".");
        if (name != null && !ASSET_NAME.matcher(name).matches()) {
            problems.add(where + ".name '" + name + "' may only contain letters, digits, _ . -");
        }
        String type = text(node, "type", problems, true, where + ".");
        Optional<ThingModel> model = type == null ? Optional.empty() : catalog.resolve(type);
        if (type != null && model.isEmpty()) {
            problems.add(where + ".type '" + type + "' is no known Thing Model (known: "
                    + catalog.all().stream().filter(m -> !m.submodels().isEmpty()).map(ThingModel::name).toList() + ")");
        }
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        JsonNode attributeNode = node.path("attributes");
        if (!attributeNode.isMissingNode() && !attributeNode.isObject()) {
            problems.add(where + ".attributes must be a mapping");
        } else {
            attributeNode.fields().forEachRemaining(field -> attributes.put(field.getKey(), field.getValue()));
        }
        if (tenant != null) {
            attributes.putIfAbsent("tenant", JsonNodeFactory.instance.textNode(tenant));
        }
        if (model.isPresent() && problems.size() == before) {
            // the twin this asset becomes must satisfy its model: check the skeleton with these attributes now
            JsonNode thing = new ThingSkeleton(catalog).skeleton(model.get(), attributes);
            for (Violation violation : new ThingPayloadValidator(catalog).validate(thing)) {
                problems.add(where + ".attributes: " + violation.message() + " (" + violation.rule() + ")");
            }
        }
        String[] credentials = credentials(node.path("credentials"), where, name, problems);
        String authId = credentials[0];
        String password = credentials[1];
        List<String> via = new ArrayList<>();
        JsonNode viaNode = node.path("via");
        if (!viaNode.isMissingNode() && !viaNode.isArray()) {
            problems.add(where + ".via must be a list of gateway names");
        } else {
            viaNode.forEach(gateway -> via.add(gateway.asText()));
        }
        JsonNode binding = node.path("binding");
        if (binding.isMissingNode()) {
            binding = JsonNodeFactory.instance.objectNode().set("mqtt", JsonNodeFactory.instance.objectNode());
        } else if (!binding.isObject() || binding.size() != 1 || !(binding.has("mqtt") || binding.has("serial"))) {
            problems.add(where + ".binding must be {mqtt: {...}} or {serial: {...}}");
        }
        return problems.size() == before ? new PlantAsset(name, type, attributes, authId, password, binding, via) : null;
    }

    private PlantGateway gateway(JsonNode node, String where, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + " must be a mapping with name, credentials");
            return null;
        }
        int before = problems.size();
        knownKeys(node, where + ".", Set.of("name", "credentials"), problems);
        String name = text(node, "name", problems, true, where + ".");
        if (name != null && !ASSET_NAME.matcher(name).matches()) {
            problems.add(where + ".name '" + name + "' may only contain letters, digits, _ . -");
        }
        String[] credentials = credentials(node.path("credentials"), where, name, problems);
        return problems.size() == before ? new PlantGateway(name, credentials[0], credentials[1]) : null;
    }

    /** {@code {authId (default: the name), password | passwordEnv}} → {authId, password}; problems recorded. */
    private String[] credentials(JsonNode credentials, String where, String name, List<String> problems) {
        String authId = null;
        String password = null;
        if (!credentials.isObject()) {
            problems.add(where + ".credentials: {authId, password | passwordEnv} is needed");
        } else {
            knownKeys(credentials, where + ".credentials.", Set.of("authId", "password", "passwordEnv"), problems);
            authId = credentials.path("authId").asText(name);
            if (credentials.has("passwordEnv")) {
                password = environment.get(credentials.path("passwordEnv").asText());
                if (password == null || password.isEmpty()) {
                    problems.add(where + ".credentials.passwordEnv: environment variable "
                            + credentials.path("passwordEnv").asText() + " is not set");
                }
            } else {
                password = credentials.path("password").asText("");
                if (password.isEmpty()) {
                    problems.add(where + ".credentials: password or passwordEnv is needed");
                }
            }
        }
        return new String[]{authId, password};
    }

    private static String text(JsonNode node, String field, List<String> problems, boolean required) {
        return text(node, field, problems, required, "");
    }

    private static String text(JsonNode node, String field, List<String> problems, boolean required, String prefix) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                problems.add(prefix + field + " is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add(prefix + field + " must be a non-empty text");
            return null;
        }
        return value.asText();
    }

    private static void knownKeys(JsonNode node, String prefix, Set<String> known, List<String> problems) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                problems.add(prefix + key + " is not a known key (known: " + known.stream().sorted().toList() + ")");
            }
        });
    }
}
