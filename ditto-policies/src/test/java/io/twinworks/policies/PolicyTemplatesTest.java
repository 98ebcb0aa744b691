package io.twinworks.policies;

import io.twinworks.definitions.ThingModelCatalog;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTemplatesTest {

    private final ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
    private final PolicyTemplates templates = PolicyTemplates.fromClasspath(catalog);

    private static Map<PolicyRole, JsonObject> shippedWith(PolicyRole role, String json) {
        Map<PolicyRole, JsonObject> documents = new EnumMap<>(PolicyRole.class);
        for (PolicyRole each : PolicyRole.values()) {
            documents.put(each, JsonFactory.newObject("{\"label\":\"" + each.name() + "\",\"description\":\"d\","
                    + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]}}}"));
        }
        documents.put(role, JsonFactory.newObject(json));
        return documents;
    }

    @Test
    void shippedTemplatesHaveNoProblems() {
        assertThat(templates.problems()).isEmpty();
    }

    @Test
    void anUnknownPermissionIsReportedThoughDittosModelAcceptsIt() {
        List<String> problems = PolicyTemplates.of(shippedWith(PolicyRole.OPERATOR,
                "{\"label\":\"OPERATOR\",\"description\":\"d\",\"resources\":{\"message:/\":{\"grant\":[\"EXECUTE\"],\"revoke\":[]}}}"),
                catalog).problems();
        assertThat(problems).anyMatch(p -> p.startsWith("operator.json") && p.contains("unknown permission \"EXECUTE\""));
    }

    @Test
    void anUnknownResourceTypeIsReported() {
        assertThat(PolicyTemplates.of(shippedWith(PolicyRole.DEVICE,
                "{\"label\":\"DEVICE\",\"description\":\"d\",\"resources\":{\"things:/features\":{\"grant\":[\"READ\"],\"revoke\":[]}}}"),
                catalog).problems()).singleElement().asString().contains("type must be thing:, policy: or message:");
    }

    @Test
    void anUnknownPlaceholderIsReported() {
        assertThat(PolicyTemplates.of(shippedWith(PolicyRole.OPERATOR,
                "{\"label\":\"OPERATOR\",\"description\":\"d\",\"resources\":{\"thing:/features/{{sensor}}\":{\"grant\":[\"READ\"],\"revoke\":[]}}}"),
                catalog).problems()).singleElement().asString().contains("unknown placeholder {{sensor}}");
    }

    @Test
    void grantingAndRevokingTheSamePermissionIsReported() {
        assertThat(PolicyTemplates.of(shippedWith(PolicyRole.ADMIN,
                "{\"label\":\"ADMIN\",\"description\":\"d\",\"resources\":{\"thing:/\":{\"grant\":[\"WRITE\"],\"revoke\":[\"WRITE\"]}}}"),
                catalog).problems()).singleElement().asString().contains("grants and revokes [WRITE]");
    }

    @Test
    void aDuplicateLabelAndAMissingDescriptionAreReported() {
        assertThat(PolicyTemplates.of(shippedWith(PolicyRole.ADMIN,
                "{\"label\":\"OPERATOR\",\"resources\":{\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]}}}"),
                catalog).problems()).anyMatch(p -> p.contains("label OPERATOR is used by another template"))
                .anyMatch(p -> p.contains("needs a description"));
    }

    @Test
    void operatorMayWriteDesiredPropertiesOnlyOfControllableFeaturesAndSendTheModelsActions() {
        JsonObject policy = templates.policyFor(catalog.require("centrifugal-pump"),
                new PolicySubjects(PolicyMatrixEnforcerTest.SUBJECTS));
        JsonObject operator = policy.getValue("entries/OPERATOR/resources").orElseThrow().asObject();
        assertThat(operator.getKeys()).extracting(Object::toString).contains(
                "thing:/features/drive/desiredProperties",
                "message:/inbox/messages/setSpeed", "message:/inbox/messages/stop", "message:/inbox/messages/resetAlarm",
                "message:/features/simulation/inbox/messages/simulate")
                .doesNotContain("thing:/features/vibration/desiredProperties", "thing:/features/predictions/desiredProperties");
    }

    @Test
    void rolesWithoutSubjectsGetNoEntry() {
        JsonObject policy = templates.policyFor(catalog.require("turbofan-engine"),
                new PolicySubjects(Map.of(PolicyRole.ADMIN, List.of("nginx:admin"))));
        assertThat(policy.getValue("entries").orElseThrow().asObject().getKeys()).extracting(Object::toString).containsExactly("ADMIN");
    }

    @Test
    void aPolicyWithoutAdminOrWithMalformedSubjectsIsRefused() {
        assertThatThrownBy(() -> new PolicySubjects(Map.of(PolicyRole.OPERATOR, List.of("nginx:op"))))
                .hasMessageContaining("at least one ADMIN");
        assertThatThrownBy(() -> new PolicySubjects(Map.of(PolicyRole.ADMIN, List.of("admin"))))
                .hasMessageContaining("'admin'").hasMessageContaining("<issuer>:<subject>");
    }

    @Test
    void policyProblemsFindUnknownPermissionsInAnyPolicyDocument() {
        assertThat(PolicyTemplates.policyProblems(JsonFactory.newObject(
                "{\"entries\":{\"X\":{\"subjects\":{\"a:b\":{\"type\":\"t\"}},\"resources\":{\"thing:/\":{\"grant\":[\"READ\",\"ADMIN\"],\"revoke\":[]}}}}}")))
                .singleElement().asString().contains("unknown permission \"ADMIN\"");
        assertThat(PolicyTemplates.policyProblems(JsonFactory.newObject("{\"entries\":{}}"))).containsExactly("policy has no entries");
    }
}
