package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every CI profile ({@code ci/*-values.yaml}) rendered with Helm's own template engine and checked against
 * the contract: the services get every variable their config record reads (and no invented one), probes on
 * /health/live and /health/ready, non-root read-only security contexts, credentials only in Secrets, Helm's standard labels.
 *
 * <p>What is rendered: the Twinworks part of the chart only ({@link Chart#twinworksPartOnly}), because the
 * official Hono and Ditto charts cannot be downloaded here. {@link #theChartAsShippedNeedsOnlyTheHonoAndDittoCharts}
 * proves that their absence is the one thing keeping the unmodified chart from rendering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartProfilesTest {

    private final Map<String, Manifests> rendered = new HashMap<>();
    private Map<String, Set<String>> configs;

    @BeforeAll
    void renderEveryProfile(@TempDir Path work) {
        assertThat(Chart.ciProfiles()).extracting(Chart::profileName).contains("standalone", "attach");
        Path chart = Chart.twinworksPartOnly(work);
        for (Path profile : Chart.ciProfiles()) {
            rendered.put(Chart.profileName(profile), Manifests.parse(Chart.template(chart, profile)));
        }
        configs = ServiceConfigs.scan(Chart.repoRoot());
    }

    static List<String> profiles() {
        return Chart.ciProfiles().stream().map(Chart::profileName).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void theChartAsShippedNeedsOnlyTheHonoAndDittoCharts(String profile) {
        // Helm checks every declared dependency before rendering, enabled or not (action.CheckDependencies):
        // with `helm dependency build` run (network), this is the step that passes; here it is the only error.
        assertThatThrownBy(() -> Chart.template(Chart.sourceDir(), profileFile(profile)))
                .hasMessageEndingWith("found in Chart.yaml, but missing in charts/ directory: hono, ditto");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyVariableADeployedServiceReadsIsSetAndNoOtherTwinworksVariable(String profile) {
        Manifests manifests = rendered.get(profile);
        configs.forEach((source, names) -> ChartComponents.of(source).stream().filter(ChartComponents.Component::deployed)
                .forEach(component -> workload(manifests, component).ifPresent(template -> {
                    Container container = Manifests.container(template);
                    Set<String> set = new TreeSet<>(Manifests.env(container).keySet());
                    set.removeIf(name -> !name.startsWith("TWINWORKS_"));
                    Set<String> read = new TreeSet<>(names);
                    read.removeAll(component.notApplicable().keySet());
                    assertThat(set).as("TWINWORKS_ variables of %s (read by %s)", component.resourceName(), source)
                            .containsExactlyInAnyOrderElementsOf(read);
                    Manifests.env(container).values().forEach(var -> assertThat(var.getValue() != null || var.getValueFrom() != null)
                            .as("%s has a value", var.getName()).isTrue());
                })));
    }

    @org.junit.jupiter.api.Test
    void everyDeployedComponentIsRenderedByAtLeastOneProfileSoThatItsContractIsChecked() {
        ChartComponents.BY_CONFIG_SOURCE.values().stream().flatMap(List::stream).filter(ChartComponents.Component::deployed)
                .forEach(component -> assertThat(rendered.values())
                        .as("a ci/*-values.yaml profile enabling %s", component.valuesKey())
                        .anySatisfy(manifests -> assertThat(workload(manifests, component)).isPresent()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void exactlyTheComponentsTheProfileEnablesAreRendered(String profile) {
        Manifests manifests = rendered.get(profile);
        com.fasterxml.jackson.databind.JsonNode values = Chart.values(profileFile(profile));
        ChartComponents.BY_CONFIG_SOURCE.values().stream().flatMap(List::stream).filter(ChartComponents.Component::deployed)
                .forEach(component -> assertThat(workload(manifests, component).isPresent())
                        .as("%s rendered exactly when %s.enabled", component.resourceName(), component.valuesKey())
                        .isEqualTo(values.path(component.valuesKey()).path("enabled").asBoolean()));
        assertThat(manifests.all(Deployment.class).size() + manifests.all(DaemonSet.class).size())
                .as("every workload belongs to a mapped component")
                .isEqualTo(ChartComponents.BY_CONFIG_SOURCE.values().stream().flatMap(List::stream)
                        .filter(ChartComponents.Component::deployed)
                        .filter(component -> workload(manifests, component).isPresent()).count());
        // helm template leaves hooks out: the provisioning Job is checked in ProvisioningJobTest
        assertThat(manifests.all(Job.class)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyServiceIsProbedOnLiveAndReadyAtThePortItsConfigNames(String profile) {
        Manifests manifests = rendered.get(profile);
        assertThat(longRunning(manifests)).isNotEmpty();
        longRunning(manifests).forEach((workload, template) -> {
            Container container = Manifests.container(template);
            assertThat(container.getPorts()).extracting(ContainerPort::getName).containsExactly("http");
            int port = container.getPorts().get(0).getContainerPort();
            String portVariable = Manifests.env(container).keySet().stream().filter(n -> n.endsWith("_HTTP_PORT"))
                    .findFirst().orElseThrow(() -> new AssertionError(workload.getMetadata().getName() + " has no *_HTTP_PORT"));
            assertThat(Manifests.env(container).get(portVariable).getValue()).isEqualTo(Integer.toString(port));
            for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
                assertThat(probe).as("%s probes", workload.getMetadata().getName()).isNotNull();
                assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
            }
            // liveness restarts the pod: only the process itself; readiness follows the service's dependencies
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyPodRunsNonRootWithAReadOnlyRootFileSystemAndLimits(String profile) {
        rendered.get(profile).podTemplates().forEach((workload, template) -> {
            String name = workload.getKind() + " " + workload.getMetadata().getName();
            PodSecurityContext pod = template.getSpec().getSecurityContext();
            assertThat(pod.getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getRunAsUser()).as(name).isPositive();
            assertThat(pod.getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            assertThat(template.getSpec().getAutomountServiceAccountToken()).as(name).isFalse();
            Container container = Manifests.container(template);
            SecurityContext security = container.getSecurityContext();
            assertThat(security.getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(security.getRunAsNonRoot()).as(name).isTrue();
            assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(security.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
            assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
            assertThat(container.getVolumeMounts()).as(name + ": writable /tmp on a read-only root")
                    .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void credentialsAreOnlyInSecretsNeverInConfigMapsOrPlainVariables(String profile) {
        Manifests manifests = rendered.get(profile);
        manifests.all(ConfigMap.class).forEach(configMap ->
                assertThat(Manifests.credentialsIn(configMap)).as("ConfigMap %s", configMap.getMetadata().getName()).isEmpty());
        manifests.podTemplates().forEach((workload, template) -> {
            for (EnvVar var : Manifests.container(template).getEnv()) {
                if (Manifests.looksLikeCredentialName(var.getName())) {
                    assertThat(var.getValue()).as("%s is not a plain value", var.getName()).isNull();
                    assertThat(var.getValueFrom().getSecretKeyRef()).as("%s comes from a Secret", var.getName()).isNotNull();
                }
                if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                    String secret = var.getValueFrom().getSecretKeyRef().getName();
                    // A Secret the release renders must carry the key; otherwise it is an existingSecret, named in the profile.
                    manifests.find(io.fabric8.kubernetes.api.model.Secret.class, secret).ifPresentOrElse(
                            s -> assertThat(s.getData()).containsKey(var.getValueFrom().getSecretKeyRef().getKey()),
                            () -> assertThat(profileText(profile)).as("Secret %s is not rendered, so the profile names it as existingSecret", secret)
                                    .contains("existingSecret: " + secret));
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyObjectCarriesHelmsStandardLabelsAndSelectorsMatchTheirPods(String profile) {
        Manifests manifests = rendered.get(profile);
        for (HasMetadata object : manifests.objects()) {
            Map<String, String> labels = object.getMetadata().getLabels();
            String name = object.getKind() + " " + object.getMetadata().getName();
            assertThat(labels).as(name)
                    .containsEntry("app.kubernetes.io/name", "twinworks")
                    .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsEntry("app.kubernetes.io/part-of", "twinworks")
                    .containsEntry("app.kubernetes.io/version", "0.1.0")
                    .containsEntry("helm.sh/chart", "twinworks-0.1.0")
                    .containsKey("app.kubernetes.io/component");
            assertThat(object.getMetadata().getNamespace()).as(name).isEqualTo(Chart.NAMESPACE);
            assertThat(object.getMetadata().getName()).as(name).hasSizeLessThanOrEqualTo(63).startsWith(Chart.RELEASE + "-twinworks-");
        }
        manifests.podTemplates().forEach((workload, template) ->
                assertThat(template.getMetadata().getLabels()).as(workload.getMetadata().getName())
                        .containsAllEntriesOf(workload.getMetadata().getLabels()));
        for (Deployment deployment : manifests.all(Deployment.class)) {
            Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
            assertThat(selector).doesNotContainKey("app.kubernetes.io/version").doesNotContainKey("helm.sh/chart");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        }
        for (Service service : manifests.all(Service.class)) {
            assertThat(manifests.podTemplates().values()).as("pods selected by Service %s", service.getMetadata().getName())
                    .filteredOn(t -> t.getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                    .hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyDeploymentHasAServiceADisruptionBudgetAndANetworkPolicy(String profile) {
        Manifests manifests = rendered.get(profile);
        for (Deployment deployment : manifests.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            manifests.get(Service.class, name);
            PodDisruptionBudget budget = manifests.get(PodDisruptionBudget.class, name);
            assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
            assertThat(budget.getSpec().getMinAvailable()).as("minAvailable would block drains of one replica").isNull();
            NetworkPolicy policy = manifests.get(NetworkPolicy.class, name);
            assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
            assertThat(policy.getSpec().getIngress()).singleElement()
                    .satisfies(rule -> assertThat(rule.getPorts()).singleElement()
                            .satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("http")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void serviceMonitorsScrapeMetricsExactlyWhenTheProfileAsksForThem(String profile) {
        Manifests manifests = rendered.get(profile);
        boolean wanted = profileText(profile).matches("(?s).*serviceMonitor:\\s*\\n\\s*enabled: true.*");
        List<ServiceMonitor> monitors = manifests.all(ServiceMonitor.class);
        assertThat(monitors).hasSize(wanted ? manifests.all(Service.class).size() : 0);
        for (ServiceMonitor monitor : monitors) {
            assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
                assertThat(endpoint.getPath()).isEqualTo("/metrics");
                assertThat(endpoint.getPort()).isEqualTo("http");
            });
            Service service = manifests.get(Service.class, monitor.getMetadata().getName());
            assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void analyticsTalksToTheDittoOfTheProfile(String profile) {
        Container container = Manifests.container(rendered.get(profile)
                .get(Deployment.class, Chart.RELEASE + "-twinworks-analytics").getSpec().getTemplate());
        String endpoint = Manifests.env(container).get("TWINWORKS_ANALYTICS_DITTO_ENDPOINT").getValue();
        if (!Chart.values(profileFile(profile)).path("ditto").path("enabled").asBoolean()) {
            assertThat(endpoint).isEqualTo("ws://c2e-ditto-nginx.iot:8080");
        } else {
            // The Ditto chart names its nginx service "<ditto.fullname>-nginx" on port 8080 (nginx.service.port).
            assertThat(endpoint).isEqualTo("ws://" + Chart.RELEASE + "-ditto-nginx:8080");
        }
    }

    /** The pod template of a component's workload, if the profile renders it. */
    static java.util.Optional<PodTemplateSpec> workload(Manifests manifests, ChartComponents.Component component) {
        return component.workload() == ChartComponents.Workload.DAEMON_SET
                ? manifests.find(DaemonSet.class, component.resourceName()).map(d -> d.getSpec().getTemplate())
                : manifests.find(Deployment.class, component.resourceName()).map(d -> d.getSpec().getTemplate());
    }

    private static Map<HasMetadata, PodTemplateSpec> longRunning(Manifests manifests) {
        return manifests.podTemplates().entrySet().stream().filter(e -> !(e.getKey() instanceof Job))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Path profileFile(String profile) {
        return Chart.sourceDir().resolve("ci").resolve(profile + "-values.yaml");
    }

    private static String profileText(String profile) {
        try {
            return java.nio.file.Files.readString(profileFile(profile));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
