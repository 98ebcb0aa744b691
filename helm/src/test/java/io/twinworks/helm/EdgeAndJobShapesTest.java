package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shapes of the serial adapter DaemonSet and the provisioning Job, whose services' configuration is
 * not in this code base yet. To render them at all, these tests give the serial adapter only
 * {@code config.httpPort} (the /health and /metrics port every Twinworks service has) and the Job the
 * command {@code provision}: test input standing in for the real keys, NOT a claim about them.
 *
 * <p>helm-java 0.0.15's {@code template} returns the release manifest without hooks (Helm keeps hook
 * resources apart from the manifest), so the Job is rendered from a copy of the chart whose hook
 * annotation keys are renamed ({@code helm.sh/hook*} → {@code test.twinworks.io/hook*}): the Job then
 * renders as a plain resource and its renamed annotations show the hook settings the chart declares.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeAndJobShapesTest {

    private Path chart;
    private Path hooksAsPlainResources;
    private Path attach;

    @BeforeAll
    void copyChart(@TempDir Path work) throws java.io.IOException {
        chart = Chart.twinworksPartOnly(work.resolve("plain"));
        hooksAsPlainResources = Chart.twinworksPartOnly(work.resolve("hooks"));
        Path job = hooksAsPlainResources.resolve("templates/provisioning.yaml");
        String template = java.nio.file.Files.readString(job);
        assertThat(template).contains("helm.sh/hook:", "helm.sh/hook-weight:", "helm.sh/hook-delete-policy:");
        java.nio.file.Files.writeString(job, template.replace("helm.sh/hook", "test.twinworks.io/hook"));
        attach = Chart.sourceDir().resolve("ci/attach-values.yaml");
    }

    private Manifests serialAdapter(Map<String, Object> extra) {
        Map<String, Object> sets = new HashMap<>(Map.of("serialAdapter.enabled", true, "serialAdapter.config.httpPort", 8090));
        sets.putAll(extra);
        return Manifests.parse(Chart.template(chart, List.of(attach), sets));
    }

    @Test
    void theSerialAdapterRunsOnLabelledEdgeNodesWithTheDeviceMounted() {
        DaemonSet daemonSet = serialAdapter(Map.of()).get(DaemonSet.class, "tw-twinworks-serial-adapter");
        PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
        Container container = Manifests.container(daemonSet.getSpec().getTemplate());

        assertThat(pod.getNodeSelector()).containsEntry("twinworks.io/serial-adapter", "true");
        assertThat(pod.getSecurityContext().getSupplementalGroups()).containsExactly(20L);
        Volume device = pod.getVolumes().stream().filter(v -> v.getName().equals("serial-device")).findFirst().orElseThrow();
        assertThat(device.getHostPath().getPath()).isEqualTo("/dev/ttyUSB0");
        assertThat(device.getHostPath().getType()).isEqualTo("CharDevice");
        assertThat(container.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("serial-device");
            assertThat(m.getMountPath()).isEqualTo("/dev/ttyUSB0");
        });
        // A hostPath device needs a privileged container; the API rejects privileged without privilege escalation.
        assertThat(container.getSecurityContext().getPrivileged()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isTrue();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(Manifests.env(container)).containsKey("TWINWORKS_SERIAL_HTTP_PORT");
    }

    @Test
    void withADevicePluginTheSerialAdapterStaysUnprivilegedAndRequestsTheDevice() {
        DaemonSet daemonSet = serialAdapter(Map.of("serialAdapter.device.resourceName", "squat.ai/serial"))
                .get(DaemonSet.class, "tw-twinworks-serial-adapter");
        PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
        Container container = Manifests.container(daemonSet.getSpec().getTemplate());

        assertThat(container.getResources().getLimits()).containsEntry("squat.ai/serial", new Quantity("1"));
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("serial-device");
        assertThat(container.getSecurityContext().getPrivileged()).isNull();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    }

    @Test
    void withoutProvisioningEnabledNoJobIsDeclaredEvenAsAHook() {
        assertThat(Manifests.parse(Chart.template(hooksAsPlainResources, attach)).all(Job.class)).isEmpty();
    }

    @Test
    void theSerialAdapterNeedsADevice() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serialAdapter(Map.of("serialAdapter.device.hostPath", "")))
                .hasMessageContaining("serialAdapter.device: set resourceName (device plugin) or hostPath");
    }

    @Test
    void provisioningRunsAsAPostInstallAndPostUpgradeHookWithItsInputsMounted() {
        Manifests manifests = Manifests.parse(Chart.template(hooksAsPlainResources, List.of(attach), Map.of(
                "provisioning.enabled", true,
                "provisioning.args[0]", "provision",
                "provisioning.policies.pump\\.policy\\.json", "{}",
                "provisioning.credentials.devices\\.json", "[]")));
        Job job = manifests.get(Job.class, "tw-twinworks-provisioning");
        Container container = Manifests.container(job.getSpec().getTemplate());

        assertThat(job.getMetadata().getAnnotations())
                .containsEntry("test.twinworks.io/hook", "post-install,post-upgrade")
                .containsEntry("test.twinworks.io/hook-delete-policy", "before-hook-creation,hook-succeeded");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(container.getArgs()).containsExactly("provision");
        assertThat(container.getImage()).isEqualTo("twinworks/cli:0.1.0");
        assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactlyInAnyOrder("/tmp", "/etc/twinworks/provisioning/policies", "/etc/twinworks/provisioning/credentials");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("credentials");
            assertThat(v.getSecret().getSecretName()).isEqualTo("tw-twinworks-provisioning-credentials");
        });
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }
}
