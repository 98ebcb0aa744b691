package io.twinworks.policies;

import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The least-privilege policy templates ({@code policy-templates/*.json}, one per {@link PolicyRole})
 * and the policy they make for a thing of a given Thing Model: placeholders in resource paths are
 * expanded from the model, so an operator may write exactly the desired properties of the
 * controllable features and send exactly the modelled actions.
 *
 * <p>Ditto's policy model accepts any permission string; {@link #problems} checks what it does not.
 */
public final class PolicyTemplates {

    /** The classpath folder of the templates. */
    public static final String RESOURCE_DIR = "policy-templates/";
    /** Ditto's permissions on thing, policy and message resources. */
    public static final Set<String> PERMISSIONS = Set.of("READ", "WRITE");

    private static final Set<String> PLACEHOLDERS = Set.of("feature", "controllableFeature", "action", "featureAction");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Pattern RESOURCE = Pattern.compile("^(thing|policy|message):/.*");
    private static final Pattern LABEL = Pattern.compile("^[A-Z][A-Z0-9_-]*$");

    private final Map<PolicyRole, PolicyTemplate> templates;
    private final ThingModelCatalog catalog;

    private PolicyTemplates(Map<PolicyRole, PolicyTemplate> templates, ThingModelCatalog catalog) {
        this.templates = Map.copyOf(templates);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** The shipped templates, checked: fails listing every problem. */
    public static PolicyTemplates fromClasspath(ThingModelCatalog catalog) {
        Map<PolicyRole, PolicyTemplate> templates = new EnumMap<>(PolicyRole.class);
        for (PolicyRole role : PolicyRole.values()) {
            templates.put(role, parse(role, readResource(RESOURCE_DIR + role.templateFile())));
        }
        PolicyTemplates loaded = new PolicyTemplates(templates, catalog);
        List<String> problems = loaded.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("policy templates are invalid: " + String.join("; ", problems));
        }
        return loaded;
    }

    /** Templates from JSON documents (for tests of the checks). */
    static PolicyTemplates of(Map<PolicyRole, JsonObject> documents, ThingModelCatalog catalog) {
        Map<PolicyRole, PolicyTemplate> templates = new EnumMap<>(PolicyRole.class);
        documents.forEach((role, json) -> templates.put(role, parse(role, json)));
        return new PolicyTemplates(templates, catalog);
    }

    private static JsonObject readResource(String name) {
        try (InputStream in = PolicyTemplates.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + name + " is missing");
            }
            return JsonFactory.newObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PolicyTemplate parse(PolicyRole role, JsonObject json) {
        return new PolicyTemplate(role,
                json.getValue("label").filter(JsonValue::isString).map(JsonValue::asString).orElse(""),
                json.getValue("description").filter(JsonValue::isString).map(JsonValue::asString).orElse(""),
                json.getValue("subjectType").filter(JsonValue::isString).map(JsonValue::asString).orElse(role.templateName()),
                json.getValue("resources").filter(JsonValue::isObject).map(JsonValue::asObject).orElse(JsonObject.empty()));
    }

    /** The template of a role. */
    public PolicyTemplate template(PolicyRole role) {
        return templates.get(role);
    }

    /**
     * The policy ({@code {"entries": {...}}}, no {@code policyId}) for a thing of the model: one
     * entry per role that has subjects.
     */
    public JsonObject policyFor(ThingModel model, PolicySubjects subjects) {
        JsonObjectBuilder entries = JsonFactory.newObjectBuilder();
        for (PolicyRole role : PolicyRole.values()) {
            List<String> roleSubjects = subjects.of(role);
            PolicyTemplate template = templates.get(role);
            if (roleSubjects.isEmpty() || template == null) {
                continue;
            }
            JsonObjectBuilder subjectsJson = JsonFactory.newObjectBuilder();
            roleSubjects.forEach(subject -> subjectsJson.set(JsonFactory.newKey(subject),
                    JsonFactory.newObjectBuilder().set("type", template.subjectType()).build()));
            JsonObjectBuilder resources = JsonFactory.newObjectBuilder();
            for (JsonField resource : template.resources()) {
                for (String key : expand(resource.getKeyName(), model)) {
                    resources.set(JsonFactory.newKey(key), resource.getValue());
                }
            }
            entries.set(JsonFactory.newKey(template.label()), JsonFactory.newObjectBuilder()
                    .set("subjects", subjectsJson.build())
                    .set("resources", resources.build())
                    .build());
        }
        return JsonFactory.newObjectBuilder().set("entries", entries.build()).build();
    }

    /** The resource keys a template key stands for on a thing of the model (none when, e.g., it has no actions). */
    List<String> expand(String key, ThingModel model) {
        Set<String> placeholders = placeholdersOf(key);
        if (placeholders.isEmpty()) {
            return List.of(key);
        }
        Set<String> keys = new LinkedHashSet<>();
        if (placeholders.contains("action")) {
            model.actions().keySet().forEach(action -> keys.add(key.replace("{{action}}", action)));
            return List.copyOf(keys);
        }
        for (ThingModel.Submodel submodel : model.submodels()) {
            ThingModel featureModel = catalog.resolve(submodel.href()).orElse(null);
            if (featureModel == null) {
                continue;
            }
            String feature = submodel.instanceName();
            if (placeholders.contains("featureAction")) {
                featureModel.actions().keySet().forEach(action ->
                        keys.add(key.replace("{{feature}}", feature).replace("{{featureAction}}", action)));
            } else if (placeholders.contains("controllableFeature")) {
                boolean controllable = featureModel.properties().values().stream()
                        .anyMatch(property -> !property.path("readOnly").asBoolean(false));
                if (controllable) {
                    keys.add(key.replace("{{controllableFeature}}", feature));
                }
            } else {
                keys.add(key.replace("{{feature}}", feature));
            }
        }
        return List.copyOf(keys);
    }

    private static Set<String> placeholdersOf(String key) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(key);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /**
     * Every problem of the templates, and of the policy each makes for every model of the catalog:
     * labels, resource types, placeholders, permissions, grant/revoke overlap, Ditto's policy model.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        for (PolicyRole role : PolicyRole.values()) {
            PolicyTemplate template = templates.get(role);
            if (template == null) {
                problems.add(role.templateFile() + ": missing");
                continue;
            }
            String where = role.templateFile();
            if (!LABEL.matcher(template.label()).matches()) {
                problems.add(where + ": label '" + template.label() + "' must be upper case letters, digits, _ or -");
            } else if (!labels.add(template.label())) {
                problems.add(where + ": label " + template.label() + " is used by another template");
            }
            if (template.description().isBlank()) {
                problems.add(where + ": needs a description saying why it grants what it grants");
            }
            if (template.resources().isEmpty()) {
                problems.add(where + ": grants nothing");
            }
            for (JsonField resource : template.resources()) {
                String key = resource.getKeyName();
                for (String placeholder : placeholdersOf(key)) {
                    if (!PLACEHOLDERS.contains(placeholder)) {
                        problems.add(where + ": resource " + key + " uses unknown placeholder {{" + placeholder + "}}");
                    }
                }
                problems.addAll(grantProblems(where + ": resource " + key, key, resource.getValue()));
            }
        }
        if (problems.isEmpty()) {
            PolicySubjects everybody = new PolicySubjects(Map.of(
                    PolicyRole.DEVICE, List.of("test:device"), PolicyRole.ANALYTICS, List.of("test:analytics"),
                    PolicyRole.SIMULATION, List.of("test:simulation"), PolicyRole.OPERATOR, List.of("test:operator"),
                    PolicyRole.ADMIN, List.of("test:admin")));
            for (ThingModel model : catalog.all()) {
                if (!model.submodels().isEmpty()) {
                    problems.addAll(policyProblems(policyFor(model, everybody)).stream()
                            .map(problem -> model.fileName() + ": " + problem).toList());
                }
            }
        }
        return problems;
    }

    /** Problems of a policy document that Ditto's model would accept silently (unknown permissions, ...). */
    public static List<String> policyProblems(JsonObject policy) {
        List<String> problems = new ArrayList<>();
        JsonObject entries = policy.getValue("entries").filter(JsonValue::isObject).map(JsonValue::asObject).orElse(null);
        if (entries == null || entries.isEmpty()) {
            return List.of("policy has no entries");
        }
        for (JsonField entry : entries) {
            JsonObject resources = entry.getValue().asObject().getValue("resources").filter(JsonValue::isObject)
                    .map(JsonValue::asObject).orElse(JsonObject.empty());
            for (JsonField resource : resources) {
                problems.addAll(grantProblems("entry " + entry.getKeyName() + " resource " + resource.getKeyName(),
                        resource.getKeyName(), resource.getValue()));
            }
        }
        try {
            org.eclipse.ditto.policies.model.PoliciesModelFactory.newPolicy(policy.setValue("policyId", "check:policy"));
        } catch (RuntimeException e) {
            problems.add("Ditto's policy model rejects it: " + e.getMessage());
        }
        return problems;
    }

    private static List<String> grantProblems(String where, String key, JsonValue value) {
        List<String> problems = new ArrayList<>();
        if (!RESOURCE.matcher(key).matches()) {
            problems.add(where + ": type must be thing:, policy: or message: followed by a path starting with /");
        }
        if (!value.isObject()) {
            problems.add(where + ": must be {grant, revoke}");
            return problems;
        }
        Set<String> granted = permissions(where + " grant", value.asObject().getValue("grant"), problems);
        Set<String> revoked = permissions(where + " revoke", value.asObject().getValue("revoke"), problems);
        if (granted.isEmpty() && revoked.isEmpty()) {
            problems.add(where + ": grants and revokes nothing");
        }
        granted.retainAll(revoked);
        if (!granted.isEmpty()) {
            problems.add(where + ": grants and revokes " + granted);
        }
        return problems;
    }

    private static Set<String> permissions(String where, java.util.Optional<JsonValue> value, List<String> problems) {
        Set<String> permissions = new LinkedHashSet<>();
        if (value.isEmpty() || !value.get().isArray()) {
            problems.add(where + ": must be an array of permissions");
            return permissions;
        }
        JsonArray array = value.get().asArray();
        for (JsonValue permission : array) {
            if (!permission.isString() || !PERMISSIONS.contains(permission.asString())) {
                problems.add(where + ": unknown permission " + permission + " (Ditto knows " + PERMISSIONS + ")");
            } else if (!permissions.add(permission.asString())) {
                problems.add(where + ": names " + permission + " twice");
            }
        }
        return permissions;
    }
}
