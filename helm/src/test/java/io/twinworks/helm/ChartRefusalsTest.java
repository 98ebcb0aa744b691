package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the chart refuses to render, with the message an operator gets, and how values reach the pods.
 * Rendered from the attach profile (everything of it renders here) with extra {@code --set} values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartRefusalsTest {

    private Path chart;
    private Path attach;

    @BeforeAll
    void copyChart(@TempDir Path work) {
        chart = Chart.twinworksPartOnly(work);
        attach = Chart.sourceDir().resolve("ci/attach-values.yaml");
    }

    private String render(Map<String, Object> sets) {
        return Chart.template(chart, List.of(attach), sets);
    }

    @Test
    void attachingWithoutADittoUrlIsRefused() {
        assertThatThrownBy(() -> render(Map.of("externalDitto.httpUrl", "")))
                .hasMessageContaining("externalDitto.httpUrl must be set when ditto.enabled is false");
    }

    @Test
    void aServiceWithoutHttpPortIsRefusedBecauseNothingCouldProbeIt() {
        assertThatThrownBy(() -> render(Map.of("sim.config.httpPort", "null")))
                .hasMessageContaining("sim.config.httpPort is missing");
    }

    @Test
    void severalAnalyticsReplicasOverTheWebSocketTransportAreRefused() {
        assertThatThrownBy(() -> render(Map.of("analytics.replicaCount", "3")))
                .hasMessageContaining("analytics.replicaCount is 3 with config.transport \"websocket\"")
                .hasMessageContaining("config.transport: kafka");
    }

    @Test
    void severalAnalyticsReplicasAsAKafkaConsumerGroupRender() {
        Deployment analytics = Manifests.parse(render(Map.of("analytics.replicaCount", "3", "analytics.config.transport", "kafka")))
                .get(Deployment.class, "tw-twinworks-analytics");

        assertThat(analytics.getSpec().getReplicas()).isEqualTo(3);
        assertThat(Manifests.env(Manifests.container(analytics.getSpec().getTemplate()))
                .get("TWINWORKS_ANALYTICS_TRANSPORT").getValue()).isEqualTo("kafka");
    }

    @Test
    void wholeNumbersReachTheServiceWithoutExponent() {
        // Helm reads values-file numbers as float64: toString would give "8.64e+07".
        Path big = chart.resolveSibling("big-values.yaml");
        try {
            java.nio.file.Files.writeString(big, "analytics:\n  config:\n    writeIntervalMs: 86400000\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Deployment analytics = Manifests.parse(Chart.template(chart, List.of(attach, big), Map.of()))
                .get(Deployment.class, "tw-twinworks-analytics");

        assertThat(Manifests.env(Manifests.container(analytics.getSpec().getTemplate()))
                .get("TWINWORKS_ANALYTICS_WRITE_INTERVAL_MS").getValue()).isEqualTo("86400000");
    }

    @Test
    void aChangedSecretValueRollsThePods() {
        String before = podAnnotation(Map.of("analytics.existingSecret", "", "analytics.secretConfig.dittoPassword", "a"));
        String after = podAnnotation(Map.of("analytics.existingSecret", "", "analytics.secretConfig.dittoPassword", "b"));

        assertThat(before).isNotEqualTo(after);
    }

    @Test
    void withoutExistingSecretTheReleaseRendersTheAnalyticsSecret() {
        Manifests manifests = Manifests.parse(render(Map.of("analytics.existingSecret", "", "analytics.secretConfig.dittoPassword", "pw")));

        Secret secret = manifests.get(Secret.class, "tw-twinworks-analytics");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("TWINWORKS_ANALYTICS_DITTO_PASSWORD")))).isEqualTo("pw");
        assertThat(Manifests.env(Manifests.container(manifests.get(Deployment.class, "tw-twinworks-analytics").getSpec().getTemplate()))
                .get("TWINWORKS_ANALYTICS_DITTO_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("tw-twinworks-analytics");
    }

    private String podAnnotation(Map<String, Object> sets) {
        return Manifests.parse(render(sets)).get(Deployment.class, "tw-twinworks-analytics")
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/secret");
    }
}
