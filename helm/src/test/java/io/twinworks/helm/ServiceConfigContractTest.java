package io.twinworks.helm;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code's config records and the chart stay in step: a new service config fails here until the chart maps it
 * ({@link ChartComponents}); a new variable in a mapped record fails {@code ChartProfilesTest}.
 */
class ServiceConfigContractTest {

    private final Map<String, Set<String>> configs = ServiceConfigs.scan(Chart.repoRoot());

    @Test
    void theScanFindsTheAnalyticsConfigAndItsVariables() {
        assertThat(configs).containsKey("analytics-service/src/main/java/io/twinworks/analytics/AnalyticsConfig.java");
        assertThat(configs.get("analytics-service/src/main/java/io/twinworks/analytics/AnalyticsConfig.java"))
                .contains("TWINWORKS_ANALYTICS_DITTO_ENDPOINT", "TWINWORKS_ANALYTICS_DITTO_PASSWORD", "TWINWORKS_ANALYTICS_HTTP_PORT");
    }

    @Test
    void everyServiceConfigInTheCodeIsMappedByTheChartOrNamedAsNotDeployed() {
        assertThat(configs.keySet())
                .as("config records (EnvConfig.of) without a chart component: map each in values.yaml and ChartComponents, "
                        + "or name it as not deployed with the reason")
                .allSatisfy(source -> assertThat(ChartComponents.of(source)).as(source).isNotEmpty());
    }

    @Test
    void theRegistryNamesNoConfigThatNoLongerExists() {
        assertThat(configs.keySet()).containsAll(ChartComponents.BY_CONFIG_SOURCE.keySet());
    }

    @Test
    void everyDeployedServiceReadsItsHttpPortForProbesAndMetrics() {
        configs.forEach((source, names) -> ChartComponents.of(source).stream().filter(ChartComponents.Component::deployed)
                .forEach(component -> assertThat(names).as(source).anyMatch(name -> name.endsWith("_HTTP_PORT"))));
    }

    @Test
    void variablesNamedAsNotApplicableAreReallyReadByTheirRecord() {
        // a stale exception would silently exempt a variable from the contract
        configs.forEach((source, names) -> ChartComponents.of(source).forEach(component ->
                assertThat(names).as(source).containsAll(component.notApplicable().keySet())));
    }
}
