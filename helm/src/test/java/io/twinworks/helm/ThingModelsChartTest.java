package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart's Thing Models: the dashboard serves them, and one value ({@code models.baseUrl}, by default the
 * dashboard's Service) is both the base the served models name and the base the provisioning Job writes into the
 * things' definitions, so that Ditto downloads exactly the models the things name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThingModelsChartTest {

    private Path chart;
    private Path plant;

    @BeforeAll
    void copyChart(@TempDir Path work) throws IOException {
        chart = Chart.twinworksPartOnly(work);
        // helm template leaves hooks out of the parsed manifests: render the provisioning Job as a plain resource
        Path job = chart.resolve("templates/provisioning.yaml");
        Files.writeString(job, Files.readString(job).replace("helm.sh/hook", "test.twinworks.io/hook"));
        plant = Chart.sourceDir().resolve("ci/plant-values.yaml");
    }

    private Manifests render(Map<String, Object> sets) {
        return Manifests.parse(Chart.template(chart, List.of(plant), sets));
    }

    private static String dashboardBase(Manifests manifests) {
        Container dashboard = Manifests.container(manifests.get(Deployment.class, "tw-twinworks-dashboard").getSpec().getTemplate());
        return Manifests.env(dashboard).get("TWINWORKS_DASHBOARD_MODELS_BASE_URL").getValue();
    }

    private static String provisionedBase(Manifests manifests) {
        List<String> args = Manifests.container(manifests.get(Job.class, "tw-twinworks-provisioning").getSpec().getTemplate()).getArgs();
        return args.get(args.indexOf("--models-base-url") + 1);
    }

    @Test
    void byDefaultTheDashboardsServiceServesTheModelsTheJobWritesIntoTheDefinitions() {
        Manifests manifests = render(Map.of());

        assertThat(dashboardBase(manifests)).isEqualTo("http://tw-twinworks-dashboard.plant.svc:8088");
        assertThat(provisionedBase(manifests)).isEqualTo(dashboardBase(manifests));
    }

    @Test
    void theDashboardsPortFollowsItsHttpPort() {
        assertThat(dashboardBase(render(Map.of("dashboard.config.httpPort", 9099))))
                .isEqualTo("http://tw-twinworks-dashboard.plant.svc:9099");
    }

    @Test
    void oneBaseUrlValueMovesBothTheServedIdsAndTheDefinitions() {
        Manifests manifests = render(Map.of("models.baseUrl", "https://twins.plant.example.com/"));

        assertThat(dashboardBase(manifests)).isEqualTo("https://twins.plant.example.com");
        assertThat(provisionedBase(manifests)).isEqualTo("https://twins.plant.example.com");
    }

    @Test
    void withoutTheDashboardABaseUrlIsRequired() {
        assertThatThrownBy(() -> render(Map.of("dashboard.enabled", false)))
                .hasMessageContaining("models.baseUrl must be set when dashboard.enabled is false");
        assertThat(provisionedBase(render(Map.of("dashboard.enabled", false, "models.baseUrl", "http://models.example"))))
                .isEqualTo("http://models.example");
    }
}
