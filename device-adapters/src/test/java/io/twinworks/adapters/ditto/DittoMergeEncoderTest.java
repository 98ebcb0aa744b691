package io.twinworks.adapters.ditto;

import io.twinworks.adapters.model.Reading;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DittoMergeEncoderTest {

    @Test
    void aReadingBecomesAMergeOnFeaturesWithTheSequenceNumberInEveryFeature() {
        Reading reading = new Reading("plant.a:pump-1", Map.of(
                "temperature", Map.of("value", 21.5),
                "flow", Map.of("value", 3, "unit", "l/s")));

        JsonObject merge = new JsonObject(new String(new DittoMergeEncoder(2048).encode(reading, 42), StandardCharsets.UTF_8));

        assertThat(merge.getString("topic")).isEqualTo("plant.a/pump-1/things/twin/commands/merge");
        assertThat(merge.getString("path")).isEqualTo("/features");
        assertThat(merge.getJsonObject("headers").getString("content-type")).isEqualTo("application/merge-patch+json");
        JsonObject features = merge.getJsonObject("value");
        assertThat(features.getJsonObject("temperature").getJsonObject("properties").getMap())
                .containsEntry("value", 21.5).containsEntry("seq", 42);
        assertThat(features.getJsonObject("flow").getJsonObject("properties").getMap())
                .containsEntry("value", 3).containsEntry("unit", "l/s").containsEntry("seq", 42);
    }

    @Test
    void aReadingThatFitsIsNotSplit() {
        Reading reading = Reading.of("plant.a:pump-1", "temperature", Map.of("value", 1));
        assertThat(new DittoMergeEncoder(2048).split(reading)).containsExactly(reading);
    }

    @Test
    void aReadingOverThePayloadLimitIsSplitByFeatureAndEveryPartFits() {
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            features.put("sensor" + i, Map.of("value", 1000.0 + i, "label", "x".repeat(20)));
        }
        Reading reading = new Reading("plant.a:pump-1", features);
        DittoMergeEncoder encoder = new DittoMergeEncoder(512);

        List<Reading> parts = encoder.split(reading);

        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts).allSatisfy(part -> assertThat(encoder.encode(part, Long.MAX_VALUE).length).isLessThanOrEqualTo(512));
        assertThat(parts.stream().flatMap(p -> p.features().keySet().stream()).toList())
                .containsExactlyElementsOf(features.keySet());
    }

    @Test
    void aSingleFeatureOverTheLimitIsRefusedWithSizeAndLimitNamed() {
        Reading reading = Reading.of("plant.a:pump-1", "blob", Map.of("data", "y".repeat(3000)));

        assertThatThrownBy(() -> new DittoMergeEncoder(2048).split(reading))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("'blob'").hasMessageContaining("2048");
    }

    @Test
    void readingsRejectInvalidThingIdsFeaturesAndValues() {
        assertThatThrownBy(() -> Reading.of("no-namespace-colon", "f", Map.of("v", 1)))
                .hasMessageContaining("is not a thing ID");
        assertThatThrownBy(() -> Reading.of("ns:a", "bad/feature", Map.of("v", 1)))
                .hasMessageContaining("invalid feature ID");
        assertThatThrownBy(() -> Reading.of("ns:a", "f", Map.of("v", List.of(1))))
                .hasMessageContaining("no scalar value");
        assertThatThrownBy(() -> Reading.of("ns:a", "f", Map.of()))
                .hasMessageContaining("has no properties");
    }

    @Test
    void tooSmallALimitIsRefused() {
        assertThatThrownBy(() -> new DittoMergeEncoder(10)).hasMessageContaining("at least 128");
    }
}
