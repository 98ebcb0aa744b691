package io.twinworks.helm;

import java.util.List;
import java.util.Map;

/**
 * Where each service config record of the code base is deployed by the chart: the registry that ties
 * {@link ServiceConfigs#scan} to the rendered workloads. A config record missing here fails
 * {@code ServiceConfigContractTest}: a new service must be mapped to chart components, or named as not
 * deployed with the reason. One record may be deployed by several components (the device adapters' config by
 * the MQTT bridge Deployment and the serial adapter DaemonSet).
 */
final class ChartComponents {

    /** The workload kind a component renders. */
    enum Workload { DEPLOYMENT, DAEMON_SET }

    /**
     * A chart component.
     *
     * @param valuesKey       its top-level key in values.yaml
     * @param component       its app.kubernetes.io/component label and resource name suffix
     * @param workload        the kind of its workload
     * @param notApplicable   variables of the config record this component's service does not read, with the reason
     * @param notDeployedWhy  non-null when the chart deliberately does not deploy this config's service
     */
    record Component(String valuesKey, String component, Workload workload, Map<String, String> notApplicable,
                     String notDeployedWhy) {

        static Component deployment(String valuesKey, String component) {
            return new Component(valuesKey, component, Workload.DEPLOYMENT, Map.of(), null);
        }

        static Component notDeployed(String why) {
            return new Component(null, null, null, Map.of(), why);
        }

        boolean deployed() {
            return notDeployedWhy == null;
        }

        /** The workload's name for the test release. */
        String resourceName() {
            return Chart.RELEASE + "-twinworks-" + component;
        }
    }

    static final Map<String, List<Component>> BY_CONFIG_SOURCE = Map.of(
            "analytics-service/src/main/java/io/twinworks/analytics/AnalyticsConfig.java",
            List.of(Component.deployment("analytics", "analytics")),
            "sim-service/src/main/java/io/twinworks/sim/SimConfig.java",
            List.of(Component.deployment("sim", "sim")),
            "device-adapters/src/main/java/io/twinworks/adapters/config/AdapterConfig.java",
            List.of(Component.deployment("mqttBridge", "mqtt-bridge"),
                    new Component("serialAdapter", "serial-adapter", Workload.DAEMON_SET,
                            Map.of("TWINWORKS_ADAPTER_BRIDGE_PASSWORD", "only the mqtt adapter has a plant broker (bridge section)"),
                            null)),
            "dashboard/src/main/java/io/twinworks/dashboard/DashboardConfig.java",
            List.of(Component.deployment("dashboard", "dashboard")),
            "local-stack/src/main/java/io/twinworks/localstack/LocalStackConfig.java",
            List.of(Component.notDeployed("the embedded single-machine stand-in for Hono and Ditto; on Kubernetes the "
                    + "official Hono and Ditto charts (or an existing Ditto and Hono) take its place")));

    private ChartComponents() {
    }

    /** The components deploying a config record (empty when the record is unknown to the chart). */
    static List<Component> of(String configSource) {
        return BY_CONFIG_SOURCE.getOrDefault(configSource, List.of());
    }
}
