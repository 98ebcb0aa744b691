package io.twinworks.helm;

import java.util.Map;
import java.util.Optional;

/**
 * Where each service config record of the code base is deployed by the chart: the registry that ties
 * {@link ServiceConfigs#scan} to the rendered workloads. A config record missing here fails
 * {@code ServiceConfigContractTest}: a new service (or the sim-service, the adapters and {@code twinworks
 * provision} landing) must be mapped to a chart component, or named as not deployed with the reason.
 */
final class ChartComponents {

    /**
     * A chart component.
     *
     * @param valuesKey       its top-level key in values.yaml
     * @param component       its app.kubernetes.io/component label and resource name suffix
     * @param notDeployedWhy  non-null when the chart deliberately does not deploy this config's service
     */
    record Component(String valuesKey, String component, String notDeployedWhy) {

        boolean deployed() {
            return notDeployedWhy == null;
        }

        /** The workload's name for the test release. */
        String resourceName() {
            return Chart.RELEASE + "-twinworks-" + component;
        }
    }

    static final Map<String, Component> BY_CONFIG_SOURCE = Map.of(
            "analytics-service/src/main/java/io/twinworks/analytics/AnalyticsConfig.java",
            new Component("analytics", "analytics", null),
            "sim-service/src/main/java/io/twinworks/sim/SimConfig.java",
            new Component("sim", "sim", null),
            "device-adapters/src/main/java/io/twinworks/adapters/config/AdapterConfig.java",
            new Component(null, null, "not wired yet: the mqttBridge Deployment and serialAdapter DaemonSet templates "
                    + "exist (disabled) but still need the adapter's config file as a ConfigMap and the four "
                    + "TWINWORKS_ADAPTER_* variables (next step of the Helm issue)"),
            "dashboard/src/main/java/io/twinworks/dashboard/DashboardConfig.java",
            new Component(null, null, "runs beside `twinworks up` or alone against any Ditto URL; a chart component "
                    + "(Deployment + Ingress, /metrics) is a next step"),
            "local-stack/src/main/java/io/twinworks/localstack/LocalStackConfig.java",
            new Component(null, null, "the embedded single-machine stand-in for Hono and Ditto; on Kubernetes the "
                    + "official Hono and Ditto charts (or an existing Ditto and Hono) take its place"));

    private ChartComponents() {
    }

    static Optional<Component> of(String configSource) {
        return Optional.ofNullable(BY_CONFIG_SOURCE.get(configSource));
    }
}
