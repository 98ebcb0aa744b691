package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard (Deployment, optional Ingress for the users' browsers, its NetworkPolicy open to the ingress
 * controller) and the analytics service's models volume (emptyDir, claim, or filled from a model image).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAndModelsTest {

    private Path chart;
    private Path attach;
    private Path plant;

    @BeforeAll
    void copyChart(@TempDir Path work) {
        chart = Chart.twinworksPartOnly(work);
        attach = Chart.sourceDir().resolve("ci/attach-values.yaml");
        plant = Chart.sourceDir().resolve("ci/plant-values.yaml");
    }

    private Manifests render(Path profile, Map<String, Object> sets) {
        return Manifests.parse(Chart.template(chart, List.of(profile), sets));
    }

    private static PodTemplateSpec pod(Manifests manifests, String component) {
        return manifests.get(Deployment.class, "tw-twinworks-" + component).getSpec().getTemplate();
    }

    @Test
    void theDashboardListensOnAllInterfacesAndFrontsTheProfilesDitto() {
        Container container = Manifests.container(pod(render(attach, Map.of()), "dashboard"));

        assertThat(container.getImage()).isEqualTo("twinworks/dashboard:0.1.0");
        assertThat(Manifests.env(container).get("TWINWORKS_DASHBOARD_DITTO_URL").getValue()).isEqualTo("http://c2e-ditto-nginx.iot:8080");
        // the service's own default 127.0.0.1 would answer neither the probes nor the Service
        assertThat(Manifests.env(container).get("TWINWORKS_DASHBOARD_BIND_HOST").getValue()).isEqualTo("0.0.0.0");
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8088);
    }

    @Test
    void theDashboardHoldsNoDittoCredentials() {
        Manifests manifests = render(attach, Map.of());

        assertThat(Manifests.env(Manifests.container(pod(manifests, "dashboard"))).values())
                .allSatisfy(var -> assertThat(var.getValueFrom()).isNull());
        assertThat(manifests.secretNames()).doesNotContain("tw-twinworks-dashboard");
    }

    @Test
    void withoutIngressNoneIsRendered() {
        assertThat(render(attach, Map.of()).all(Ingress.class)).isEmpty();
    }

    @Test
    void theIngressRoutesTheHostToTheDashboardServiceWithTlsAndLongLivedEventStreams() {
        Ingress ingress = render(plant, Map.of()).get(Ingress.class, "tw-twinworks-dashboard");

        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("twins.plant.example.com");
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/");
                assertThat(path.getBackend().getService().getName()).isEqualTo("tw-twinworks-dashboard");
                assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
            });
        });
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly("twins.plant.example.com");
            assertThat(tls.getSecretName()).isEqualTo("twins-plant-tls");
        });
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
    }

    @Test
    void theIngressControllerMayReachTheDashboardButNoOtherService() {
        Manifests manifests = render(plant, Map.of());
        NetworkPolicyPeer ingressNamespace = manifests.get(NetworkPolicy.class, "tw-twinworks-dashboard").getSpec()
                .getIngress().get(0).getFrom().stream().filter(peer -> peer.getNamespaceSelector() != null
                        && "ingress-nginx".equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("the ingress controller's namespace is not allowed"));

        assertThat(ingressNamespace.getPodSelector()).isNull();
        assertThat(manifests.get(NetworkPolicy.class, "tw-twinworks-analytics").getSpec().getIngress().get(0).getFrom())
                .doesNotContain(ingressNamespace);
    }

    @Test
    void anIngressWithoutHostIsRefused() {
        assertThatThrownBy(() -> render(attach, Map.of("dashboard.ingress.enabled", true)))
                .hasMessageContaining("dashboard.ingress.host is empty");
    }

    @Test
    void analyticsReadsModelsFromAnEmptyDirMountedAtItsModelDirByDefault() {
        Manifests manifests = render(attach, Map.of());
        PodTemplateSpec pod = pod(manifests, "analytics");
        Container container = Manifests.container(pod);

        String modelDir = Manifests.env(container).get("TWINWORKS_ANALYTICS_MODEL_DIR").getValue();
        assertThat(modelDir).isEqualTo("/models");
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo(modelDir);
            assertThat(mount.getName()).isEqualTo("models");
        });
        assertThat(AdapterComponentsTest.volume(pod, "models").getEmptyDir()).isNotNull();
        assertThat(pod.getSpec().getInitContainers()).isEmpty();
        assertThat(manifests.all(PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void theModelsVolumeFollowsAnotherModelDir() {
        Container container = Manifests.container(pod(render(attach, Map.of("analytics.config.modelDir", "/var/lib/twinworks/models")), "analytics"));

        assertThat(Manifests.env(container).get("TWINWORKS_ANALYTICS_MODEL_DIR").getValue()).isEqualTo("/var/lib/twinworks/models");
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/var/lib/twinworks/models"));
    }

    @Test
    void withPersistenceTheModelsAreOnAClaimKeptOnUninstall() {
        Manifests manifests = render(attach, Map.of("analytics.models.persistence.enabled", true));
        Volume models = AdapterComponentsTest.volume(pod(manifests, "analytics"), "models");

        assertThat(models.getPersistentVolumeClaim().getClaimName()).isEqualTo("tw-twinworks-analytics-models");
        assertThat(manifests.get(PersistentVolumeClaim.class, "tw-twinworks-analytics-models").getMetadata().getAnnotations())
                .containsEntry("helm.sh/resource-policy", "keep");
    }

    @Test
    void aModelImageIsCopiedIntoTheModelsVolumeByANonRootInitContainer() {
        PodTemplateSpec pod = pod(render(attach, Map.of("analytics.models.fromImage.repository", "plant/rul-models",
                "analytics.models.fromImage.tag", "2026-11")), "analytics");

        assertThat(pod.getSpec().getInitContainers()).singleElement().satisfies(init -> {
            assertThat(init.getImage()).isEqualTo("plant/rul-models:2026-11");
            // the volume is mounted aside: mounted on /models it would hide the image's own /models
            assertThat(init.getCommand()).containsExactly("sh", "-c", "cp -R /models/. /twinworks-models/");
            assertThat(init.getVolumeMounts()).singleElement().satisfies(mount -> {
                assertThat(mount.getName()).isEqualTo("models");
                assertThat(mount.getMountPath()).isEqualTo("/twinworks-models");
            });
            assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(init.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(init.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(init.getResources().getLimits()).containsKey("memory");
        });
    }

    @Test
    void aModelImageWithoutTagIsRefused() {
        assertThatThrownBy(() -> render(attach, Map.of("analytics.models.fromImage.repository", "plant/rul-models")))
                .hasMessageContaining("analytics.models.fromImage.tag must be set");
    }

    @Test
    void aRelativeModelDirIsRefusedBecauseNoVolumeCouldBeMountedThere() {
        assertThatThrownBy(() -> render(attach, Map.of("analytics.config.modelDir", "models")))
                .hasMessageContaining("analytics.config.modelDir must be an absolute path");
    }
}
