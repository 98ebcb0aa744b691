package io.twinworks.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard ConfigMap: off by default, labelled for the Grafana sidecar when on, a dashboard whose panels
 * cover ingest, refusals, outbox depth and age, prediction writes and model versions, every query naming a metric the
 * services really export (taken from the code's meter names) and selecting this release's pods.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METER_NAME = Pattern.compile(
            "(?:Counter|Gauge|Timer|DistributionSummary|FunctionCounter)\\.builder\\(\"([a-z_.]+)\"|\\.(?:counter|gauge|timer)\\(\"([a-z_.]+)\"");
    private static final Pattern QUERIED_METRIC = Pattern.compile("\\b([a-z][a-z0-9_]+)\\{");

    private Path chart;
    private Path attach;

    @BeforeAll
    void copyChart(@TempDir Path work) {
        chart = Chart.twinworksPartOnly(work);
        attach = Chart.sourceDir().resolve("ci/attach-values.yaml");
    }

    private Manifests render(Map<String, Object> sets) {
        return Manifests.parse(Chart.template(chart, List.of(attach), sets));
    }

    private JsonNode dashboard(Manifests manifests) throws IOException {
        ConfigMap configMap = manifests.get(ConfigMap.class, "tw-twinworks-grafana-dashboard");
        return JSON.readTree(configMap.getData().get("twinworks.json"));
    }

    /** Every meter name the services' main code registers (Micrometer: dots to underscores), without suffix. */
    private static Set<String> exportedMeterNames() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Chart.repoRoot())) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java") && path.toString().contains("/src/main/java/")
                    && !path.toString().contains("/target/")).toList()) {
                Matcher matcher = METER_NAME.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(withoutSuffix((matcher.group(1) != null ? matcher.group(1) : matcher.group(2)).replace('.', '_')));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The name without the suffix Prometheus naming adds ({@code _total} for counters, the base unit for gauges). */
    private static String withoutSuffix(String name) {
        return name.replaceFirst("_(total|seconds)$", "");
    }

    @Test
    void withoutTheValueNoDashboardIsRendered() {
        assertThat(render(Map.of()).find(ConfigMap.class, "tw-twinworks-grafana-dashboard")).isEmpty();
    }

    @Test
    void theConfigMapCarriesTheSidecarsLabelAndTheDashboard() throws IOException {
        Manifests manifests = render(Map.of("grafanaDashboard.enabled", true, "grafanaDashboard.annotations.grafana_folder", "Twinworks"));
        ConfigMap configMap = manifests.get(ConfigMap.class, "tw-twinworks-grafana-dashboard");

        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/instance", "tw");
        assertThat(configMap.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(configMap.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Twinworks");
        JsonNode dashboard = dashboard(manifests);
        assertThat(dashboard.path("uid").asText()).isEqualTo("twinworks-services");
        assertThat(dashboard.path("panels")).isNotEmpty();
    }

    @Test
    void theSidecarLabelAndNamespaceFollowTheValues() {
        ConfigMap configMap = render(Map.of("grafanaDashboard.enabled", true, "grafanaDashboard.label", "dashboards",
                "grafanaDashboard.labelValue", "twinworks", "grafanaDashboard.namespace", "monitoring"))
                .get(ConfigMap.class, "tw-twinworks-grafana-dashboard");

        assertThat(configMap.getMetadata().getLabels()).containsEntry("dashboards", "twinworks").doesNotContainKey("grafana_dashboard");
        assertThat(configMap.getMetadata().getNamespace()).isEqualTo("monitoring");
    }

    @Test
    void thePanelsCoverWhatOperatorsWatch() throws IOException {
        JsonNode dashboard = dashboard(render(Map.of("grafanaDashboard.enabled", true)));
        List<String> rows = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            if ("row".equals(panel.path("type").asText())) {
                rows.add(panel.path("title").asText());
            }
        });

        assertThat(rows).containsExactly("Ingest", "Refusals", "Outbox", "Predictions", "Models");
        assertThat(dashboard.toString()).contains("adapter_outbox_messages", "adapter_outbox_oldest_age_seconds",
                "twinworks_analytics_predictions_written_total", "adapter_hono_refused_total", "twinworks_analytics_model_reloads_total");
    }

    @Test
    void everyQueryNamesAMetricTheServicesExportAndSelectsThisReleasesPods() throws IOException {
        JsonNode dashboard = dashboard(render(Map.of("grafanaDashboard.enabled", true)));
        Set<String> exported = exportedMeterNames();
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));

        assertThat(expressions).hasSizeGreaterThan(15).allSatisfy(expr -> {
            assertThat(expr).contains("pod=~\"tw-twinworks-.*\"").doesNotContain("__FULLNAME__");
            Matcher metric = QUERIED_METRIC.matcher(expr);
            assertThat(metric.find()).as(expr).isTrue();
            String base = withoutSuffix(metric.group(1));
            assertThat(exported).as("metric of " + expr).contains(base);
        });
    }
}
