package io.twinworks.core.ditto;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeaturesMergeTest {

    @Test
    void encodesADittoProtocolMergeAtFeaturesWithAMergePatchContentType() {
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        properties.put("vibration", Map.of("rms", 0.31));
        properties.put("drive", Map.of("running", true));
        JsonObject json = new JsonObject(new FeaturesMerge("plant.a:pump-7", properties).encode());
        assertThat(json.getString("topic")).isEqualTo("plant.a/pump-7/things/twin/commands/merge");
        assertThat(json.getJsonObject("headers").getString("content-type")).isEqualTo("application/merge-patch+json");
        assertThat(json.getString("path")).isEqualTo("/features");
        assertThat(json.getJsonObject("value").getJsonObject("vibration").getJsonObject("properties").getDouble("rms"))
                .isEqualTo(0.31);
        assertThat(json.getJsonObject("value").getJsonObject("drive").getJsonObject("properties").getBoolean("running"))
                .isTrue();
    }

    @Test
    void featuresAndPropertiesKeepTheirOrder() {
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        Map<String, Object> sensors = new LinkedHashMap<>();
        sensors.put("T24", 642.5);
        sensors.put("cycle", 3L);
        properties.put("sensors", sensors);
        properties.put("operatingSettings", Map.of("setting1", 0.0));
        String text = new FeaturesMerge("plant.a:engine-1", properties).encode();
        assertThat(text).contains("\"value\":{\"sensors\":{\"properties\":{\"T24\":642.5,\"cycle\":3}},\"operatingSettings\"");
    }

    @Test
    void utf8BytesAreTheEncodedText() {
        FeaturesMerge merge = new FeaturesMerge("plant.a:pumpe-ü", Map.of("f", Map.of("name", "Pumpe ü")));
        assertThat(new String(merge.encodeUtf8(), StandardCharsets.UTF_8)).isEqualTo(merge.encode());
    }

    @Test
    void laterChangesToTheGivenMapsDoNotChangeTheCommand() {
        Map<String, Object> values = new HashMap<>(Map.of("rms", 1.0));
        Map<String, Map<String, Object>> properties = new HashMap<>(Map.of("vibration", values));
        FeaturesMerge merge = new FeaturesMerge("plant.a:pump-7", properties);
        values.put("rms", 2.0);
        properties.put("other", Map.of());
        assertThat(merge.properties()).containsOnlyKeys("vibration");
        assertThat(merge.properties().get("vibration")).containsEntry("rms", 1.0);
    }

    @Test
    void aThingIdWithoutNamespaceOrNameIsRefused() {
        for (String bad : List.of("pump-7", ":pump-7", "plant.a:")) {
            assertThatThrownBy(() -> new FeaturesMerge(bad, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> FeaturesMerge.topic("pump-7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingFeaturePropertiesMapIsRefused() {
        Map<String, Map<String, Object>> properties = new HashMap<>();
        properties.put("vibration", null);
        assertThatThrownBy(() -> new FeaturesMerge("plant.a:pump-7", properties)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("vibration");
    }
}
