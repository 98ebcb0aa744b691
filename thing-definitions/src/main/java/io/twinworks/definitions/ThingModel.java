package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One W3C WoT Thing Model (JSON-LD, TM 1.1) as read from its file: what the validator and the
 * skeleton generator need from it. The Ditto mapping (as in Ditto's WoT integration): the
 * properties of a thing-level model are the thing's attributes, each {@code tm:submodel} link is
 * a feature named by its {@code instanceName}, and a submodel's properties are that feature's
 * properties (and desired properties).
 *
 * @param id       the model's URL, which things name in their {@code definition}
 * @param fileName the resource file name (the last segment of {@code id})
 * @param json     the model document (never modified)
 */
public record ThingModel(String id, String fileName, ObjectNode json) {

    public ThingModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fileName, "fileName");
        json = json.deepCopy();
    }

    /** The model's document (a copy; the record stays immutable). */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /**
     * This model as served under another base: every text of the document that starts with {@code fromPrefix}
     * (the {@code id}, {@code tm:submodel}/{@code tm:extends} link targets, {@code tm:ref} pointers) starts with
     * {@code toPrefix} instead, so ids and links stay consistent wherever the models are served.
     */
    public ThingModel rebased(String fromPrefix, String toPrefix) {
        ObjectNode copy = json.deepCopy();
        replacePrefix(copy, fromPrefix, toPrefix);
        String newId = id.startsWith(fromPrefix) ? toPrefix + id.substring(fromPrefix.length()) : id;
        return new ThingModel(newId, fileName, copy);
    }

    private static void replacePrefix(JsonNode node, String fromPrefix, String toPrefix) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value.isTextual() && value.asText().startsWith(fromPrefix)) {
                    object.put(name, toPrefix + value.asText().substring(fromPrefix.length()));
                } else {
                    replacePrefix(value, fromPrefix, toPrefix);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual() && value.asText().startsWith(fromPrefix)) {
                    array.set(i, toPrefix + value.asText().substring(fromPrefix.length()));
                } else {
                    replacePrefix(value, fromPrefix, toPrefix);
                }
            }
        }
    }

    /** The model's title. */
    public String title() {
        return json.path("title").asText(fileName);
    }

    /** The model's version ({@code version.model}). */
    public String version() {
        return json.path("version").path("model").asText("");
    }

    /** The short name: the file name without version and extension ({@code centrifugal-pump}). */
    public String name() {
        return shortName(fileName);
    }

    static String shortName(String fileName) {
        String base = fileName.endsWith(".tm.jsonld") ? fileName.substring(0, fileName.length() - ".tm.jsonld".length()) : fileName;
        int dash = base.lastIndexOf('-');
        return dash > 0 && base.substring(dash + 1).matches("[0-9]+\\.[0-9]+\\.[0-9]+") ? base.substring(0, dash) : base;
    }

    /** Property affordances by name, in document order. */
    public Map<String, JsonNode> properties() {
        return affordances("properties");
    }

    /** Action affordances by name, in document order. */
    public Map<String, JsonNode> actions() {
        return affordances("actions");
    }

    /** Event affordances by name, in document order. */
    public Map<String, JsonNode> events() {
        return affordances("events");
    }

    /** The names of the properties listed in {@code tm:optional}; all other properties are required. */
    public Set<String> optionalProperties() {
        Set<String> optional = new LinkedHashSet<>();
        for (JsonNode pointer : json.path("tm:optional")) {
            String text = pointer.asText();
            if (text.startsWith("/properties/")) {
                optional.add(text.substring("/properties/".length()));
            }
        }
        return Collections.unmodifiableSet(optional);
    }

    /** The {@code tm:submodel} links: each becomes a feature of the thing. */
    public List<Submodel> submodels() {
        List<Submodel> submodels = new ArrayList<>();
        for (JsonNode link : json.path("links")) {
            if ("tm:submodel".equals(link.path("rel").asText())) {
                submodels.add(new Submodel(link.path("instanceName").asText(), link.path("href").asText()));
            }
        }
        return List.copyOf(submodels);
    }

    private Map<String, JsonNode> affordances(String kind) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        json.path(kind).fields().forEachRemaining(entry -> result.put(entry.getKey(), entry.getValue().deepCopy()));
        return Collections.unmodifiableMap(result);
    }

    /**
     * A {@code tm:submodel} link.
     *
     * @param instanceName the feature ID the submodel appears as
     * @param href         the submodel's URL (the feature's {@code definition})
     */
    public record Submodel(String instanceName, String href) {
        public Submodel {
            Objects.requireNonNull(instanceName, "instanceName");
            Objects.requireNonNull(href, "href");
        }
    }
}
