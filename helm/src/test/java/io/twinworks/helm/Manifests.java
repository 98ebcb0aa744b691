package io.twinworks.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rendered manifests parsed into fabric8's typed Kubernetes objects, with the look-ups the contract tests
 * need. Parsing is strict: a document of an unknown kind, or a field the typed model does not know (a typo
 * such as {@code readinessprobe}, a field at the wrong level), is a failure, not a silently kept map entry.
 */
record Manifests(List<HasMetadata> objects) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    /** Parses every YAML document of {@code helm template} output. */
    static Manifests parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).readValues(rendered)) {
            while (documents.hasNext()) {
                JsonNode document = (JsonNode) documents.next();
                if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
                    continue;
                }
                KubernetesResource typed = KUBERNETES.unmarshal(document.toString(), KubernetesResource.class);
                String where = document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
                if (typed instanceof GenericKubernetesResource || !(typed instanceof HasMetadata)) {
                    throw new AssertionError(where + " has no typed model (apiVersion "
                            + document.path("apiVersion").asText() + ")");
                }
                List<String> unknown = new ArrayList<>();
                unknownFields(typed, where, unknown);
                if (!unknown.isEmpty()) {
                    throw new AssertionError("fields the Kubernetes model does not know: " + unknown);
                }
                objects.add((HasMetadata) typed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(List.copyOf(objects));
    }

    /** All objects of one type. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The object of a type and name, if rendered. */
    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** The object of a type and name; fails when it was not rendered. */
    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name
                + " not rendered; rendered: " + objects.stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    /** Every pod template of a workload (Deployment, DaemonSet, Job), by workload. */
    Map<HasMetadata, PodTemplateSpec> podTemplates() {
        Map<HasMetadata, PodTemplateSpec> templates = new java.util.LinkedHashMap<>();
        all(Deployment.class).forEach(d -> templates.put(d, d.getSpec().getTemplate()));
        all(DaemonSet.class).forEach(d -> templates.put(d, d.getSpec().getTemplate()));
        all(Job.class).forEach(j -> templates.put(j, j.getSpec().getTemplate()));
        return templates;
    }

    /** The one container of a workload's pod. */
    static Container container(PodTemplateSpec template) {
        List<Container> containers = template.getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, got " + containers.size());
        }
        return containers.get(0);
    }

    /** A container's environment variables by name. */
    static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new java.util.LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (env.put(var.getName(), var) != null) {
                throw new AssertionError("environment variable " + var.getName() + " set twice");
            }
        }
        return env;
    }

    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|credential|private.?key|api.?key).*");
    private static final Pattern URI_WITH_PASSWORD = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s\"]+:[^/@\\s\"]*@");
    private static final Pattern CREDENTIAL_ASSIGNMENT = Pattern.compile(
            "(?i)\"?(password|passwd|secret|token|pwd)\"?\\s*[:=]\\s*\"?[^\\s\",}]+");

    /** True when a name (env var, key) reads like a credential. */
    static boolean looksLikeCredentialName(String name) {
        return CREDENTIAL_NAME.matcher(name).matches();
    }

    /** Why a ConfigMap carries a credential (a credential-like key, a URI with a password, a password field), or empty. */
    static List<String> credentialsIn(ConfigMap configMap) {
        List<String> found = new ArrayList<>();
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        data.forEach((key, value) -> {
            if (looksLikeCredentialName(key)) {
                found.add("key " + key);
            }
            if (URI_WITH_PASSWORD.matcher(value).find()) {
                found.add(key + ": URI with user:password");
            }
            if (CREDENTIAL_ASSIGNMENT.matcher(value).find()) {
                found.add(key + ": password-like field");
            }
        });
        if (configMap.getBinaryData() != null && !configMap.getBinaryData().isEmpty()) {
            found.add("binaryData (cannot be checked)");
        }
        return found;
    }

    /** Names of the Secrets rendered. */
    List<String> secretNames() {
        return all(Secret.class).stream().map(s -> s.getMetadata().getName()).toList();
    }

    private static void unknownFields(Object node, String path, List<String> unknown) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum<?>) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String field = path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else if (getter.getReturnType().getName().startsWith("io.fabric8.")
                    || Collection.class.isAssignableFrom(getter.getReturnType())
                    || (Map.class.isAssignableFrom(getter.getReturnType()) && !field.endsWith(".labels")
                    && !field.endsWith(".annotations") && !field.endsWith(".data") && !field.endsWith(".stringData"))) {
                unknownFields(value, field, unknown);
            }
        }
    }
}
