package io.twinworks.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under test ({@code helm/twinworks}) and the two Helm operations the tests run with Helm's own
 * code (helm-java): {@code helm template} and {@code helm lint}.
 *
 * <p>No chart repository can be reached here, so the official Hono and Ditto charts can never be in
 * {@code charts/}. Helm refuses to render or install a chart whose declared dependencies are missing, even
 * disabled ones ({@code action.CheckDependencies}), so {@link #twinworksPartOnly(Path)} makes a copy whose
 * Chart.yaml declares no dependencies: it renders exactly the Twinworks templates, and nothing pretends to
 * be Hono or Ditto. With {@code hono.enabled=false} and {@code ditto.enabled=false} (attach profile) this is
 * everything a real install renders; with them on (standalone profile) the subcharts' manifests are missing.
 */
final class Chart {

    static final String RELEASE = "tw";
    static final String NAMESPACE = "plant";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Chart() {
    }

    /** The chart directory in the source tree. */
    static Path sourceDir() {
        return Path.of(System.getProperty("twinworks.chart.dir", "twinworks")).toAbsolutePath().normalize();
    }

    /** The repository root (to read the services' config records). */
    static Path repoRoot() {
        return Path.of(System.getProperty("twinworks.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** Every CI profile, {@code ci/*-values.yaml}, as Helm's chart testing tool finds them. */
    static List<Path> ciProfiles() {
        try (Stream<Path> files = Files.list(sourceDir().resolve("ci"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The profile name of a CI values file ({@code ci/attach-values.yaml} → {@code attach}). */
    static String profileName(Path valuesFile) {
        return valuesFile.getFileName().toString().replace("-values.yaml", "");
    }

    /** A copy of the chart under {@code workDir} without the Hono and Ditto dependencies (see the class doc). */
    static Path twinworksPartOnly(Path workDir) {
        Path copy = copy(sourceDir(), workDir.resolve("twinworks"));
        Path chartYaml = copy.resolve("Chart.yaml");
        try {
            ObjectNode chart = (ObjectNode) YAML.readTree(chartYaml.toFile());
            chart.remove("dependencies");
            YAML.writeValue(chartYaml.toFile(), chart);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** {@code helm template RELEASE chart -n NAMESPACE -f values... --set k=v...}; throws Helm's error on failure. */
    static String template(Path chart, List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand template = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        valuesFiles.forEach(template::withValuesFile);
        sets.forEach(template::set);
        return template.call();
    }

    /** {@code helm template} with one values file. */
    static String template(Path chart, Path valuesFile) {
        return template(chart, List.of(valuesFile), Map.of());
    }

    /**
     * {@code helm lint --strict} of the chart with a values file. helm-java 0.0.15 lints only a chart
     * directory (no values flag), so the values file is layered over the chart's values.yaml in a copy
     * the way Helm coalesces user values (maps merge key by key, anything else replaces, null deletes);
     * {@code LintEmulationTest} checks that this copy renders exactly what Helm renders with {@code -f}.
     */
    static LintResult lint(Path chart, Path valuesFile, Path workDir) {
        Path copy = withValuesMerged(chart, valuesFile, workDir);
        return new Helm(copy).lint().strict().call();
    }

    /** A copy of {@code chart} under {@code workDir} whose values.yaml is values.yaml overlaid with {@code valuesFile}. */
    static Path withValuesMerged(Path chart, Path valuesFile, Path workDir) {
        Path copy = copy(chart, workDir.resolve("lint-" + profileName(valuesFile)).resolve(chart.getFileName()));
        try {
            JsonNode base = YAML.readTree(copy.resolve("values.yaml").toFile());
            JsonNode overlay = YAML.readTree(valuesFile.toFile());
            YAML.writeValue(copy.resolve("values.yaml").toFile(), coalesce(base, overlay));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** Helm's value coalescing: maps merge recursively, the user's non-map value replaces, null deletes. */
    static JsonNode coalesce(JsonNode chartValues, JsonNode userValues) {
        if (userValues == null || userValues.isMissingNode()) {
            return chartValues;
        }
        if (!(chartValues instanceof ObjectNode base) || !userValues.isObject()) {
            return userValues;
        }
        ObjectNode merged = base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = userValues.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), coalesce(merged.get(field.getKey()), field.getValue()));
            }
        }
        return merged;
    }

    /** The values Helm computes for a profile: the chart's values.yaml with the profile layered over it. */
    static JsonNode values(Path profile) {
        try {
            return coalesce(YAML.readTree(sourceDir().resolve("values.yaml").toFile()), YAML.readTree(profile.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty YAML map, for tests that need "no values file". */
    static ObjectNode emptyValues() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static Path copy(Path from, Path to) {
        try (Stream<Path> tree = Files.walk(from)) {
            List<Path> paths = new ArrayList<>(tree.toList());
            for (Path source : paths) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
