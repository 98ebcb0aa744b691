package io.twinworks.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks the chart tests rely on catch what they are meant to catch. */
class ManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              selector:
                matchLabels: {a: b}
              template:
                metadata:
                  labels: {a: b}
                spec:
                  containers:
                    - name: c
                      image: i
                      %s
            """;

    @Test
    void parsesEveryDocumentIntoItsTypedObject() {
        Manifests manifests = Manifests.parse("---\n# Source: x\n" + DEPLOYMENT.formatted("") + "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {k: v}\n");

        assertThat(manifests.objects()).hasSize(2);
        assertThat(manifests.get(Deployment.class, "d").getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        assertThat(manifests.get(ConfigMap.class, "m").getData()).containsEntry("k", "v");
    }

    @Test
    void aMisspelledFieldFailsParsing() {
        String typo = DEPLOYMENT.formatted("readinessprobe: {httpGet: {path: /health, port: http}}");

        assertThatThrownBy(() -> Manifests.parse(typo)).hasMessageContaining("readinessprobe");
    }

    @Test
    void aFieldAtTheWrongLevelFailsParsing() {
        String misplaced = DEPLOYMENT.formatted("").replace("  selector:", "  runAsNonRoot: true\n  selector:");

        assertThatThrownBy(() -> Manifests.parse(misplaced)).hasMessageContaining("runAsNonRoot");
    }

    @Test
    void aKindWithoutTypedModelFailsParsing() {
        assertThatThrownBy(() -> Manifests.parse("apiVersion: example.io/v1\nkind: Gadget\nmetadata: {name: g}\n"))
                .hasMessageContaining("Gadget g has no typed model");
    }

    @Test
    void aConfigMapWithACredentialKeyIsFlagged() {
        assertThat(Manifests.credentialsIn(configMap("db-password", "x"))).containsExactly("key db-password");
    }

    @Test
    void aConfigMapWithAPasswordInAUriIsFlagged() {
        assertThat(Manifests.credentialsIn(configMap("connection.json", "{\"uri\": \"tcp://ditto:s3cret@kafka:9092\"}")))
                .containsExactly("connection.json: URI with user:password");
    }

    @Test
    void aConfigMapWithAPasswordFieldIsFlagged() {
        assertThat(Manifests.credentialsIn(configMap("device.json", "{\"type\": \"hashed-password\", \"password\": \"pw\"}")))
                .containsExactly("device.json: password-like field");
    }

    @Test
    void aYamlPasswordFieldIsFlaggedButAReferenceToAnEnvironmentVariableIsNot() {
        assertThat(Manifests.credentialsIn(configMap("plant.yaml", "credentials: {authId: pump-1, password: pw}")))
                .containsExactly("plant.yaml: password-like field");
        assertThat(Manifests.credentialsIn(configMap("plant.yaml", "credentials: {authId: pump-1, passwordEnv: PUMP_1_PASSWORD}")))
                .isEmpty();
    }

    @Test
    void aConfigMapWithAPolicyIsNotFlagged() {
        String policy = "{\"entries\": {\"analytics\": {\"subjects\": {\"nginx:analytics\": {\"type\": \"basic\"}},"
                + " \"resources\": {\"thing:/features/predictions\": {\"grant\": [\"WRITE\"], \"revoke\": []}}}}}";

        assertThat(Manifests.credentialsIn(configMap("pump.policy.json", policy))).isEmpty();
    }

    @Test
    void credentialLikeNamesAreRecognised() {
        assertThat(Manifests.looksLikeCredentialName("TWINWORKS_ANALYTICS_DITTO_PASSWORD")).isTrue();
        assertThat(Manifests.looksLikeCredentialName("TWINWORKS_X_API_KEY")).isTrue();
        assertThat(Manifests.looksLikeCredentialName("TWINWORKS_ANALYTICS_DITTO_USER")).isFalse();
    }

    private static ConfigMap configMap(String key, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("m").endMetadata().addToData(key, value).build();
    }
}
