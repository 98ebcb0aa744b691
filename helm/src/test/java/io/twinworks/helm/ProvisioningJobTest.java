package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The post-install/post-upgrade Job running {@code twinworks provision} on the plant file: its exact command
 * line (the options of {@code cli ProvisionCommand}), the plant file mounted where {@code --plant} points,
 * and every credential in a Secret — none in a ConfigMap, none in the pod spec.
 *
 * <p>helm-java 0.0.15's {@code template} returns the release manifest without hooks (Helm keeps hook
 * resources apart from the manifest), so the Job is rendered from a copy of the chart whose hook annotation
 * keys are renamed ({@code helm.sh/hook*} → {@code test.twinworks.io/hook*}): the Job then renders as a plain
 * resource and its renamed annotations show the hook settings the chart declares.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningJobTest {

    private static final String PLANT_FILE = "/etc/twinworks/provisioning/plant/plant.yaml";
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private Path hooksAsPlainResources;
    private Path plant;
    private Path attach;

    @BeforeAll
    void copyChart(@TempDir Path work) throws IOException {
        hooksAsPlainResources = Chart.twinworksPartOnly(work);
        Path job = hooksAsPlainResources.resolve("templates/provisioning.yaml");
        String template = Files.readString(job);
        assertThat(template).contains("helm.sh/hook:", "helm.sh/hook-weight:", "helm.sh/hook-delete-policy:");
        Files.writeString(job, template.replace("helm.sh/hook", "test.twinworks.io/hook"));
        plant = Chart.sourceDir().resolve("ci/plant-values.yaml");
        attach = Chart.sourceDir().resolve("ci/attach-values.yaml");
    }

    private Manifests render(Map<String, Object> sets) {
        return Manifests.parse(Chart.template(hooksAsPlainResources, List.of(plant), sets));
    }

    private static Job job(Manifests manifests) {
        return manifests.get(Job.class, "tw-twinworks-provisioning");
    }

    @Test
    void theJobRunsTwinworksProvisionOnTheMountedPlantFileAgainstTheProfilesDittoAndHono() {
        Container container = Manifests.container(job(render(Map.of())).getSpec().getTemplate());

        assertThat(container.getImage()).isEqualTo("twinworks/cli:0.1.0");
        assertThat(container.getArgs()).containsExactly("provision",
                "--plant", PLANT_FILE,
                "--ditto", "http://c2e-ditto-nginx.iot:8080",
                "--hono-registry", "http://c2e-hono-service-device-registry-ext.iot:28080",
                "--ditto-user", "ditto", "--ditto-password=$(TWINWORKS_PROVISION_DITTO_PASSWORD)",
                "--devops-user", "devops", "--devops-password=$(TWINWORKS_PROVISION_DEVOPS_PASSWORD)",
                "--models-base-url", "http://tw-twinworks-dashboard.plant.svc:8088");
    }

    @Test
    void theOptionsTheJobPassesAreTheOptionsOfTheProvisionCommand() throws IOException {
        String command = Files.readString(Chart.repoRoot().resolve("cli/src/main/java/io/twinworks/cli/ProvisionCommand.java"));
        Container container = Manifests.container(job(render(Map.of("provisioning.registryUser", "registry",
                "provisioning.secretConfig.registryPassword", "", "provisioning.extraArgs[0]", "--dry-run")))
                .getSpec().getTemplate());

        assertThat(container.getArgs().get(0)).isEqualTo("provision");
        assertThat(command).contains("@Command(name = \"provision\"");
        container.getArgs().stream().filter(arg -> arg.startsWith("--")).map(arg -> arg.replaceFirst("=.*", ""))
                .forEach(option -> assertThat(command).as("ProvisionCommand declares %s", option)
                        .contains("names = \"" + option + "\""));
        assertThat(container.getArgs()).contains("--registry-user", "registry",
                "--registry-password=$(TWINWORKS_PROVISION_REGISTRY_PASSWORD)").endsWith("--dry-run");
    }

    @Test
    void thePlantFileIsMountedWhereThePlantOptionPointsFromItsConfigMap() {
        Manifests manifests = render(Map.of());
        Job job = job(manifests);
        Container container = Manifests.container(job.getSpec().getTemplate());
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> PLANT_FILE.equals(m.getMountPath() + "/plant.yaml")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted for " + PLANT_FILE + ": " + container.getVolumeMounts()));
        Volume volume = AdapterComponentsTest.volume(job.getSpec().getTemplate(), mount.getName());

        assertThat(mount.getReadOnly()).isTrue();
        ConfigMap plantFile = manifests.get(ConfigMap.class, volume.getConfigMap().getName());
        assertThat(plantFile.getData()).containsOnlyKeys("plant.yaml");
        assertThat(plantFile.getData().get("plant.yaml"))
                .isEqualTo(Chart.values(plant).path("provisioning").path("plant").asText())
                .contains("passwordEnv: PUMP_1_PASSWORD");
    }

    @Test
    void everyVariableTheArgumentsReferToComesFromASecret() {
        Manifests manifests = render(Map.of());
        Container container = Manifests.container(job(manifests).getSpec().getTemplate());
        Map<String, EnvVar> env = Manifests.env(container);

        List<String> referenced = container.getArgs().stream().flatMap(arg -> {
            Matcher matcher = VARIABLE_REFERENCE.matcher(arg);
            List<String> names = new java.util.ArrayList<>();
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names.stream();
        }).toList();

        assertThat(referenced).containsExactly("TWINWORKS_PROVISION_DITTO_PASSWORD", "TWINWORKS_PROVISION_DEVOPS_PASSWORD");
        // Kubernetes substitutes only variables defined in env; an undefined one would reach the CLI as "$(NAME)"
        referenced.forEach(name -> assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("twinworks-provisioning"));
        // the plant file's passwordEnv variables come from the operator's Secret
        assertThat(container.getEnvFrom()).singleElement()
                .satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo("twinworks-device-passwords"));
    }

    @Test
    void noPasswordAppearsInAnyConfigMapInThePodSpecOrInTheArguments() {
        Map<String, Object> sets = new HashMap<>(Map.of(
                "provisioning.existingSecret", "",
                "provisioning.secretConfig.dittoPassword", "ditto-s3cret",
                "provisioning.secretConfig.devopsPassword", "devops-s3cret",
                "provisioning.devicePasswordsExistingSecret", "",
                "provisioning.devicePasswords.PUMP_1_PASSWORD", "pump-1-s3cret",
                "provisioning.devicePasswords.PUMP_2_PASSWORD", "pump-2-s3cret",
                "provisioning.devicePasswords.PUMP_3_PASSWORD", "pump-3-s3cret"));
        Manifests manifests = render(sets);
        String podSpec = job(manifests).getSpec().getTemplate().toString();

        for (String password : List.of("ditto-s3cret", "devops-s3cret", "pump-1-s3cret", "pump-2-s3cret", "pump-3-s3cret")) {
            assertThat(podSpec).doesNotContain(password);
            manifests.all(ConfigMap.class).forEach(configMap -> assertThat(configMap.getData().values())
                    .as("ConfigMap %s", configMap.getMetadata().getName()).noneMatch(value -> value.contains(password)));
        }
        manifests.all(ConfigMap.class).forEach(configMap ->
                assertThat(Manifests.credentialsIn(configMap)).as("ConfigMap %s", configMap.getMetadata().getName()).isEmpty());
        assertThat(decoded(manifests.get(Secret.class, "tw-twinworks-provisioning"), "TWINWORKS_PROVISION_DITTO_PASSWORD"))
                .isEqualTo("ditto-s3cret");
        assertThat(decoded(manifests.get(Secret.class, "tw-twinworks-provisioning-device-passwords"), "PUMP_3_PASSWORD"))
                .isEqualTo("pump-3-s3cret");
        assertThat(Manifests.container(job(manifests).getSpec().getTemplate()).getEnvFrom()).singleElement()
                .satisfies(from -> assertThat(from.getSecretRef().getName()).isEqualTo("tw-twinworks-provisioning-device-passwords"));
    }

    @Test
    void aPlantFileWithInlineDevicePasswordsIsASecretNotAConfigMap() {
        String inline = Chart.values(plant).path("provisioning").path("plant").asText()
                .replace("passwordEnv: PUMP_1_PASSWORD", "password: pump-1-inline");
        Manifests manifests = render(Map.of("provisioning.plant", inline));
        Job job = job(manifests);

        assertThat(manifests.find(ConfigMap.class, "tw-twinworks-provisioning-plant")).isEmpty();
        Secret plantFile = manifests.get(Secret.class, "tw-twinworks-provisioning-plant");
        assertThat(decoded(plantFile, "plant.yaml")).contains("password: pump-1-inline");
        Volume volume = job.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("plant"))
                .findFirst().orElseThrow();
        assertThat(volume.getConfigMap()).isNull();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("tw-twinworks-provisioning-plant");
        manifests.all(ConfigMap.class).forEach(configMap -> assertThat(configMap.getData().values())
                .noneMatch(value -> value.contains("pump-1-inline")));
    }

    @Test
    void theJobIsAPostInstallAndPostUpgradeHookRunningNonRoot() {
        Job job = job(render(Map.of()));
        Container container = Manifests.container(job.getSpec().getTemplate());

        assertThat(job.getMetadata().getAnnotations())
                .containsEntry("test.twinworks.io/hook", "post-install,post-upgrade")
                .containsEntry("test.twinworks.io/hook-delete-policy", "before-hook-creation,hook-succeeded");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void aChangedPlantFileChangesTheJobTemplate() {
        String before = job(render(Map.of())).getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/plant");
        String after = job(render(Map.of("provisioning.plant",
                Chart.values(plant).path("provisioning").path("plant").asText() + "# changed\n")))
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/plant");

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void withoutProvisioningEnabledNoJobIsDeclaredEvenAsAHook() {
        assertThat(Manifests.parse(Chart.template(hooksAsPlainResources, attach)).all(Job.class)).isEmpty();
    }

    @Test
    void theJobNeedsAPlantFile() {
        assertThatThrownBy(() -> Chart.template(hooksAsPlainResources, List.of(attach), Map.of("provisioning.enabled", true)))
                .hasMessageContaining("provisioning.enabled is true but provisioning.plant is empty");
    }

    @Test
    void aRegistryUserWithoutItsPasswordIsRefused() {
        assertThatThrownBy(() -> render(Map.of("provisioning.registryUser", "registry")))
                .hasMessageContaining("provisioning.registryUser is set but provisioning.secretConfig.registryPassword is not");
    }

    @Test
    void aDevicePasswordUnderANameNoEnvironmentVariableCanHaveIsRefused() {
        assertThatThrownBy(() -> render(Map.of("provisioning.devicePasswords.pump-1", "pw")))
                .hasMessageContaining("\"pump-1\" is not an environment variable name");
    }

    @Test
    void theDittoPasswordMustBeProvided() {
        assertThatThrownBy(() -> render(Map.of("provisioning.secretConfig.dittoPassword", "null")))
                .hasMessageContaining("provisioning.secretConfig.dittoPassword must be set");
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
