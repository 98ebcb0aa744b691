package io.twinworks.ditto3;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.wot.model.ThingModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The served Thing Models as Ditto 3.8's WoT model reads them, indexed by the URL Ditto would download each from
 * ({@code <base>/models/<file>}), with the resolution Ditto's WoT integration performs: {@code tm:submodel} links
 * (a feature per instance name) and {@code tm:ref} pointers ({@code <model url>#<json pointer>}).
 */
final class ServedThingModels38 {

    /** A submodel link: the feature it becomes and the model URL. */
    record Submodel(String instanceName, String href) {
    }

    private final Map<String, ThingModel> byUrl;

    private ServedThingModels38(Map<String, ThingModel> byUrl) {
        this.byUrl = byUrl;
    }

    /** Every model of {@code artifacts/models}, by the URL it is served at. */
    static ServedThingModels38 load() {
        String prefix = Artifacts.modelsBaseUrl() + "/models/";
        Map<String, ThingModel> models = new LinkedHashMap<>();
        Artifacts.all("models").forEach((file, json) -> models.put(prefix + file, ThingModel.fromJson(json)));
        return new ServedThingModels38(models);
    }

    Map<String, ThingModel> byUrl() {
        return byUrl;
    }

    Optional<ThingModel> at(String url) {
        return Optional.ofNullable(byUrl.get(url));
    }

    /** The model's {@code tm:submodel} links, as Ditto's WoT model parses them. */
    static List<Submodel> submodels(ThingModel model) {
        List<Submodel> submodels = new ArrayList<>();
        model.getLinks().ifPresent(links -> links.forEach(link -> {
            if (link.getRel().filter("tm:submodel"::equals).isPresent()) {
                String instanceName = link.toJson().getValue("instanceName").map(JsonValue::formatAsString)
                        .orElseThrow(() -> new IllegalStateException("tm:submodel " + link.getHref() + " has no instanceName"));
                submodels.add(new Submodel(instanceName, link.getHref().toString()));
            }
        }));
        return submodels;
    }

    /** Every {@code tm:ref} value anywhere in the model. */
    static List<String> refs(JsonObject json) {
        List<String> refs = new ArrayList<>();
        collectRefs(json, refs);
        return refs;
    }

    private static void collectRefs(JsonValue value, List<String> refs) {
        if (value.isObject()) {
            value.asObject().forEach(field -> {
                if (field.getKeyName().equals("tm:ref") && field.getValue().isString()) {
                    refs.add(field.getValue().asString());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (value.isArray()) {
            value.asArray().forEach(element -> collectRefs(element, refs));
        }
    }

    /** What a {@code tm:ref} points at: the referenced model's JSON at the pointer, if both exist. */
    Optional<JsonValue> resolveRef(String ref) {
        int hash = ref.indexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        return at(ref.substring(0, hash)).flatMap(model -> model.toJson().getValue(JsonPointer.of(ref.substring(hash + 1))));
    }
}
