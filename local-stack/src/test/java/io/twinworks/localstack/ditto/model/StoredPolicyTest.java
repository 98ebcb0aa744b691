package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PolicyId;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StoredPolicyTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");
    private static final String ENTRIES = """
            {"DEVICE":{"subjects":{"integration:hono":{"type":"device"}},
                       "resources":{"thing:/features":{"grant":["READ","WRITE"],"revoke":[]}}},
             "OPERATOR":{"subjects":{"nginx:ditto":{"type":"user"}},
                         "resources":{"thing:/":{"grant":["READ"],"revoke":[]},"policy:/":{"grant":["READ","WRITE"],"revoke":[]}}}}""";

    private static StoredPolicy policy(String id, String entries) {
        return new StoredPolicy(PolicyId.of(id), JsonObject.of("{\"policyId\":\"" + id + "\",\"entries\":" + entries + "}"),
                1, AT, AT, false);
    }

    @Test
    void policiesWithEqualEntriesShareOneEntriesObjectAndKeepTheirOwnJson() {
        StoredPolicy first = policy("plant.a:pump-1", ENTRIES);
        StoredPolicy second = policy("plant.a:pump-2", ENTRIES);

        assertThat(second.json().getValue("entries").orElseThrow()).isSameAs(first.json().getValue("entries").orElseThrow());
        assertThat(second.json().toString()).isEqualTo(
                JsonObject.of("{\"policyId\":\"plant.a:pump-2\",\"entries\":" + ENTRIES + "}").toString());
        assertThat(second.toPolicy().getEntityId()).contains(PolicyId.of("plant.a:pump-2"));
    }

    @Test
    void entriesInAnotherFieldOrderOrWithAnotherGrantAreNotShared() {
        StoredPolicy first = policy("plant.a:pump-1", ENTRIES);
        JsonObject entries = JsonObject.of(ENTRIES);
        String reordered = JsonObject.newBuilder()
                .set("OPERATOR", entries.getValue("OPERATOR").orElseThrow())
                .set("DEVICE", entries.getValue("DEVICE").orElseThrow())
                .build().toString();
        StoredPolicy otherOrder = policy("plant.a:pump-2", reordered);
        StoredPolicy otherGrant = policy("plant.a:pump-3", ENTRIES.replace("\"grant\":[\"READ\"]", "\"grant\":[\"READ\",\"WRITE\"]"));

        assertThat(otherOrder.json().getValue("entries").orElseThrow()).isNotSameAs(first.json().getValue("entries").orElseThrow());
        assertThat(otherOrder.json().toString()).contains("{\"OPERATOR\"");
        assertThat(otherGrant.json().getValue("entries").orElseThrow()).isNotEqualTo(first.json().getValue("entries").orElseThrow());
    }

    @Test
    void aPolicyWithoutEntriesOrWithNonObjectEntriesIsKeptAsItIs() {
        JsonObject noEntries = JsonObject.of("{\"policyId\":\"plant.a:odd\"}");
        JsonObject scalarEntries = JsonObject.of("{\"policyId\":\"plant.a:odd\",\"entries\":3}");

        assertThat(new StoredPolicy(PolicyId.of("plant.a:odd"), noEntries, 1, AT, AT, true).json()).isSameAs(noEntries);
        assertThat(new StoredPolicy(PolicyId.of("plant.a:odd"), scalarEntries, 1, AT, AT, true).json()).isSameAs(scalarEntries);
    }
}
