package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.twinworks.adapters.config.AdapterConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The device adapters as the chart deploys them (profile {@code plant}): the MQTT bridge Deployment and the
 * serial adapter DaemonSet run {@code <kind> --config <file>} with the file from their ConfigMap, the variables
 * {@code AdapterConfig} reads, the outbox on a volume that keeps it. The rendered file and variables are loaded
 * with the adapters' own {@link AdapterConfig#load}, so the chart cannot drift from what the adapters accept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdapterComponentsTest {

    /** An adapter of the chart: its kind, workload name and the ConfigMap holding its config file. */
    enum Adapter {
        MQTT_BRIDGE(AdapterConfig.Kind.MQTT, "mqttBridge", "tw-twinworks-mqtt-bridge"),
        SERIAL_ADAPTER(AdapterConfig.Kind.SERIAL, "serialAdapter", "tw-twinworks-serial-adapter");

        final AdapterConfig.Kind kind;
        final String valuesKey;
        final String name;

        Adapter(AdapterConfig.Kind kind, String valuesKey, String name) {
            this.kind = kind;
            this.valuesKey = valuesKey;
            this.name = name;
        }

        PodTemplateSpec pod(Manifests manifests) {
            return this == MQTT_BRIDGE ? manifests.get(Deployment.class, name).getSpec().getTemplate()
                    : manifests.get(DaemonSet.class, name).getSpec().getTemplate();
        }
    }

    private Path chart;
    private Path plant;
    private Path attach;
    private Manifests manifests;
    private Path work;

    @BeforeAll
    void render(@TempDir Path work) {
        this.work = work;
        chart = Chart.twinworksPartOnly(work);
        plant = Chart.sourceDir().resolve("ci/plant-values.yaml");
        attach = Chart.sourceDir().resolve("ci/attach-values.yaml");
        manifests = Manifests.parse(Chart.template(chart, plant));
    }

    private Manifests render(Map<String, Object> sets) {
        return Manifests.parse(Chart.template(chart, List.of(plant), sets));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void theRenderedConfigFileAndVariablesLoadWithTheAdaptersOwnLoader(Adapter adapter) throws IOException {
        Container container = Manifests.container(adapter.pod(manifests));
        Path file = Files.writeString(work.resolve(adapter.name + ".yaml"),
                manifests.get(ConfigMap.class, adapter.name).getData().get("adapter.yaml"));
        Map<String, String> environment = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            // a variable from a Secret gets a stand-in: the Secret is the operator's (existingSecret)
            environment.put(var.getName(), var.getValue() != null ? var.getValue() : "from-secret-" + var.getName());
        }

        AdapterConfig config = AdapterConfig.load(file, adapter.kind, environment);

        assertThat(config.hono().serverUri()).isEqualTo("tcp://c2e-hono-adapter-mqtt.iot:1883");
        assertThat(config.hono().password()).isEqualTo("from-secret-TWINWORKS_ADAPTER_HONO_PASSWORD");
        assertThat(config.httpPort()).isEqualTo(container.getPorts().get(0).getContainerPort());
        assertThat(config.outbox().file()).isEqualTo(Path.of("/var/lib/twinworks/outbox/adapter-outbox.db"));
        if (adapter == Adapter.MQTT_BRIDGE) {
            assertThat(config.bridge().password()).isEqualTo("from-secret-TWINWORKS_ADAPTER_BRIDGE_PASSWORD");
        }
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void theAdapterRunsItsKindWithTheConfigFileMountedFromItsConfigMap(Adapter adapter) {
        PodTemplateSpec pod = adapter.pod(manifests);
        Container container = Manifests.container(pod);

        assertThat(container.getArgs()).containsExactly(adapter.kind.name().toLowerCase(), "--config", "/etc/twinworks/adapter/adapter.yaml");
        assertThat(container.getImage()).isEqualTo("twinworks/device-adapters:0.1.0");
        VolumeMount mount = mount(container, "/etc/twinworks/adapter");
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(volume(pod, mount.getName()).getConfigMap().getName()).isEqualTo(adapter.name);
        assertThat(manifests.get(ConfigMap.class, adapter.name).getData()).containsOnlyKeys("adapter.yaml");
        assertThat(pod.getMetadata().getAnnotations()).containsKey("checksum/config");
    }

    @Test
    void aChangedConfigFileRollsTheAdapter() {
        String before = Adapter.MQTT_BRIDGE.pod(manifests).getMetadata().getAnnotations().get("checksum/config");
        String after = Adapter.MQTT_BRIDGE.pod(render(Map.of("mqttBridge.adapterConfig",
                Chart.values(plant).path("mqttBridge").path("adapterConfig").asText() + "# changed\n")))
                .getMetadata().getAnnotations().get("checksum/config");

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void theBridgeOutboxIsOnAClaimKeptOnUninstallAndTheBridgeIsRecreatedNotRolled() {
        Deployment bridge = manifests.get(Deployment.class, Adapter.MQTT_BRIDGE.name);
        PodTemplateSpec pod = bridge.getSpec().getTemplate();
        Volume outbox = volume(pod, mount(Manifests.container(pod), "/var/lib/twinworks/outbox").getName());

        assertThat(outbox.getPersistentVolumeClaim().getClaimName()).isEqualTo("tw-twinworks-mqtt-bridge-outbox");
        PersistentVolumeClaim claim = manifests.get(PersistentVolumeClaim.class, "tw-twinworks-mqtt-bridge-outbox");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests()).containsKey("storage");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        // two pods on one SQLite file (or one RWO claim) would be the rolling update's middle state
        assertThat(bridge.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(bridge.getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void anExistingClaimIsUsedAndNoneIsCreated() {
        Manifests withClaim = render(Map.of("mqttBridge.outbox.persistence.existingClaim", "plant-a-outbox"));
        PodTemplateSpec pod = Adapter.MQTT_BRIDGE.pod(withClaim);

        assertThat(volume(pod, "outbox").getPersistentVolumeClaim().getClaimName()).isEqualTo("plant-a-outbox");
        assertThat(withClaim.all(PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void withoutPersistenceTheBridgeOutboxIsAnEmptyDirAndNoClaimIsCreated() {
        Manifests withoutPersistence = render(Map.of("mqttBridge.outbox.persistence.enabled", false));

        assertThat(volume(Adapter.MQTT_BRIDGE.pod(withoutPersistence), "outbox").getEmptyDir()).isNotNull();
        assertThat(withoutPersistence.all(PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void theSerialOutboxIsADirectoryOnTheNodeThatMustExist() {
        PodTemplateSpec pod = Adapter.SERIAL_ADAPTER.pod(manifests);
        Volume outbox = volume(pod, mount(Manifests.container(pod), "/var/lib/twinworks/outbox").getName());

        assertThat(outbox.getHostPath().getPath()).isEqualTo("/var/lib/twinworks/serial-adapter");
        // "Directory", not "DirectoryOrCreate": a root-owned directory the kubelet made would crash-loop uid 10001
        assertThat(outbox.getHostPath().getType()).isEqualTo("Directory");
    }

    @Test
    void withoutHostPathTheSerialOutboxIsAnEmptyDir() {
        PodTemplateSpec pod = Adapter.SERIAL_ADAPTER.pod(render(Map.of("serialAdapter.outbox.hostPath", "")));

        assertThat(volume(pod, "outbox").getEmptyDir()).isNotNull();
        assertThat(volume(pod, "outbox").getHostPath()).isNull();
    }

    @Test
    void theSerialAdapterReadsNoBridgePassword() {
        assertThat(Manifests.env(Manifests.container(Adapter.SERIAL_ADAPTER.pod(manifests))))
                .containsKey("TWINWORKS_ADAPTER_HONO_PASSWORD").doesNotContainKey("TWINWORKS_ADAPTER_BRIDGE_PASSWORD");
    }

    @Test
    void withHonoInTheReleaseTheAdaptersTalkToItsMqttAdapter() {
        Manifests standalone = Manifests.parse(Chart.template(chart, List.of(Chart.sourceDir().resolve("ci/standalone-values.yaml"), plant),
                Map.of("hono.enabled", true, "ditto.enabled", true)));

        for (Adapter adapter : Adapter.values()) {
            assertThat(Manifests.env(Manifests.container(adapter.pod(standalone))).get("TWINWORKS_ADAPTER_HONO_URI").getValue())
                    .isEqualTo("tcp://tw-hono-adapter-mqtt:1883");
        }
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void aPasswordInTheConfigFileIsRefusedBecauseAConfigMapWouldHoldIt(Adapter adapter) {
        String document = Chart.values(plant).path(adapter.valuesKey).path("adapterConfig").asText()
                .replace("  authId:", "  password: plain-text\n  authId:");

        assertThatThrownBy(() -> render(Map.of(adapter.valuesKey + ".adapterConfig", document)))
                .hasMessageContaining(adapter.valuesKey + ".adapterConfig contains a password")
                .hasMessageContaining(adapter.valuesKey + ".secretConfig.honoPassword");
    }

    @Test
    void aPlantBrokerPasswordInFlowStyleIsRefusedToo() {
        String document = Chart.values(plant).path("mqttBridge").path("adapterConfig").asText()
                .replace("  username: twinworks", "  username: twinworks\n  auth: {\"password\": plain-text}");

        assertThatThrownBy(() -> render(Map.of("mqttBridge.adapterConfig", document)))
                .hasMessageContaining("mqttBridge.adapterConfig contains a password");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void anAdapterWithoutConfigFileIsRefused(Adapter adapter) {
        assertThatThrownBy(() -> Chart.template(chart, List.of(attach), Map.of(adapter.valuesKey + ".enabled", true)))
                .hasMessageContaining(adapter.valuesKey + ".adapterConfig is empty");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void anOutboxFileOffTheOutboxVolumeIsRefused(Adapter adapter) {
        assertThatThrownBy(() -> render(Map.of(adapter.valuesKey + ".config.outboxFile", "/tmp/outbox.db")))
                .hasMessageContaining(adapter.valuesKey + ".config.outboxFile /tmp/outbox.db is not on the outbox volume");
    }

    @Test
    void severalBridgeReplicasOnOneOutboxClaimAreRefused() {
        assertThatThrownBy(() -> render(Map.of("mqttBridge.replicaCount", 2)))
                .hasMessageContaining("mqttBridge.replicaCount > 1 with mqttBridge.outbox.persistence");
    }

    @Test
    void anAdapterWithoutHttpPortIsRefusedBecauseNothingCouldProbeIt() {
        assertThatThrownBy(() -> render(Map.of("mqttBridge.config.httpPort", "null")))
                .hasMessageContaining("mqttBridge.config.httpPort is missing");
    }

    private static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount at " + path + ": " + container.getVolumeMounts()));
    }

    static Volume volume(PodTemplateSpec pod, String name) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
