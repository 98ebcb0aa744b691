package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
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
 * How the serial adapter DaemonSet reaches the plant's serial device on a labelled edge node: a hostPath
 * device (privileged container) or a device plugin's resource (unprivileged). Rendered from profile
 * {@code plant} with the device settings changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SerialAdapterDeviceTest {

    private Path chart;
    private Path plant;

    @BeforeAll
    void copyChart(@TempDir Path work) {
        chart = Chart.twinworksPartOnly(work);
        plant = Chart.sourceDir().resolve("ci/plant-values.yaml");
    }

    /** The plant profile's serial adapter with a hostPath device (the profile uses a device plugin) and {@code extra}. */
    private Manifests serialAdapter(Map<String, Object> extra) {
        Map<String, Object> sets = new HashMap<>(Map.of("serialAdapter.device.resourceName", ""));
        sets.putAll(extra);
        return Manifests.parse(Chart.template(chart, List.of(plant), sets));
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
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(Manifests.env(container)).containsKey("TWINWORKS_ADAPTER_HTTP_PORT");
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
    void theSerialAdapterNeedsADevice() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serialAdapter(Map.of("serialAdapter.device.hostPath", "")))
                .hasMessageContaining("serialAdapter.device: set resourceName (device plugin) or hostPath");
    }
}
