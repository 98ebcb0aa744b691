package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Thing Models Twinworks ships, loaded from this module's classpath resources
 * ({@code thing-models/catalog.json} lists the files: a jar cannot be listed). Things name their
 * model by URL in {@code definition}; the catalog resolves that URL, its file name, or the model's
 * short name ({@code centrifugal-pump}: the highest version) without any network access.
 */
public final class ThingModelCatalog implements ThingModelResolver {

    /** The classpath folder of the models. */
    public static final String RESOURCE_DIR = "thing-models/";
    /**
     * The prefix of every model's {@code id} in the files as shipped; {@link #rebased} moves them to where they are
     * really served.
     */
    public static final String BASE_URL = "https://twinworks.io/models/";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, ThingModel> byId;

    private ThingModelCatalog(Collection<ThingModel> models) {
        Map<String, ThingModel> index = new LinkedHashMap<>();
        for (ThingModel model : models) {
            if (index.putIfAbsent(model.id(), model) != null) {
                throw new IllegalArgumentException("two Thing Models have the id " + model.id());
            }
        }
        this.byId = index;
    }

    /** The shipped models. */
    public static ThingModelCatalog fromClasspath() {
        ClassLoader loader = ThingModelCatalog.class.getClassLoader();
        JsonNode catalog = readResource(loader, RESOURCE_DIR + "catalog.json");
        List<ThingModel> models = new ArrayList<>();
        for (JsonNode file : catalog.path("models")) {
            JsonNode json = readResource(loader, RESOURCE_DIR + file.asText());
            if (!(json instanceof ObjectNode object) || !object.path("id").isTextual()) {
                throw new IllegalStateException("Thing Model " + file.asText() + " has no id");
            }
            models.add(new ThingModel(object.path("id").asText(), file.asText(), object));
        }
        return new ThingModelCatalog(models);
    }

    /** A catalog of the given models (for tests and for models loaded from elsewhere). */
    public static ThingModelCatalog of(Collection<ThingModel> models) {
        return new ThingModelCatalog(models);
    }

    private static JsonNode readResource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + name + " is missing");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }

    /**
     * This catalog with every model served under {@code base}: ids, submodel links and refs that name a shipped
     * model ({@link #BASE_URL}) name {@code <base>/models/<file>} instead. Definitions written from the result
     * point where the models are served.
     */
    public ThingModelCatalog rebased(ModelsBaseUrl base) {
        String prefix = base.modelsPrefix();
        return new ThingModelCatalog(byId.values().stream().map(model -> model.rebased(BASE_URL, prefix)).toList());
    }

    /** The model of this file name ({@code <name>-<version>.tm.jsonld}), if the catalog has it. */
    public Optional<ThingModel> byFileName(String fileName) {
        return byId.values().stream().filter(model -> model.fileName().equals(fileName)).findFirst();
    }

    /** Every model, in catalog order. */
    public List<ThingModel> all() {
        return List.copyOf(byId.values());
    }

    /**
     * The model a {@code definition} names: its URL, its file name, or its short name (highest version).
     */
    @Override
    public Optional<ThingModel> resolve(String definition) {
        if (definition == null || definition.isBlank()) {
            return Optional.empty();
        }
        ThingModel exact = byId.get(definition);
        if (exact != null) {
            return Optional.of(exact);
        }
        String fileName = definition.substring(definition.lastIndexOf('/') + 1);
        return byId.values().stream()
                .filter(model -> model.fileName().equals(fileName) || model.name().equals(definition))
                .max(Comparator.comparing(ThingModel::version, ThingModelCatalog::compareVersions));
    }

    /** Like {@link #resolve} but fails with a message listing the known models. */
    public ThingModel require(String definition) {
        return resolve(definition).orElseThrow(() -> new IllegalArgumentException("no Thing Model '" + definition
                + "'; known: " + byId.values().stream().map(ThingModel::name).distinct().toList()));
    }

    private static int compareVersions(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length && a[i].matches("[0-9]+") ? Integer.parseInt(a[i]) : 0;
            int y = i < b.length && b[i].matches("[0-9]+") ? Integer.parseInt(b[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
