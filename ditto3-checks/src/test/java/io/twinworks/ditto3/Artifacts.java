package io.twinworks.ditto3;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The artifacts Twinworks hands to Ditto, as files (this module sees no Twinworks class): {@code artifacts/} holds what
 * {@code twinworks provision} produces for cli's {@code every-model-plant.yaml} (kept current by cli's
 * {@code ProvisionedArtifactsCurrentTest}), the Thing Models as served under one base, and thing-definitions'
 * example payloads under that base.
 */
final class Artifacts {

    static final Path DIR = Path.of("src/test/resources/artifacts");

    private Artifacts() {
    }

    /** The base every served model and every definition names. */
    static String modelsBaseUrl() {
        try {
            return Files.readString(DIR.resolve("models-base-url.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File name → JSON of every file in {@code artifacts/<folder>}; fails when the folder is empty. */
    static Map<String, JsonObject> all(String folder) {
        Map<String, JsonObject> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(DIR.resolve(folder))) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), JsonFactory.newObject(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no artifacts in " + DIR.resolve(folder));
        }
        return files;
    }

    /** One artifact. */
    static JsonObject one(String relativePath) {
        try {
            return JsonFactory.newObject(Files.readString(DIR.resolve(relativePath)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
