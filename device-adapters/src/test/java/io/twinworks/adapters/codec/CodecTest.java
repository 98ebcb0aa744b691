package io.twinworks.adapters.codec;

import io.twinworks.adapters.bridge.TopicRule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecTest {

    private final CsvLineCodec csv = new CsvLineCodec(",", Arrays.asList(FieldTarget.parse("temperature/value"), null,
            new FieldTarget("pressure", "value", FieldTarget.Type.NUMBER, 0.001, 0),
            new FieldTarget("status", "running", FieldTarget.Type.BOOLEAN, 1, 0)));

    @Test
    void csvColumnsGoToTheirTargetsIntegersStayIntegersAndScalingApplies() throws Exception {
        var features = csv.decode("21,skipped,1013,on");

        assertThat(features.get("temperature")).containsEntry("value", 21L);
        assertThat(features.get("pressure")).containsEntry("value", 1.013);
        assertThat(features.get("status")).containsEntry("running", true);
        assertThat(features).doesNotContainKey("skipped");
    }

    @Test
    void decimalsAreKeptAsSent() throws Exception {
        assertThat(csv.decode("21.25,x,0,off").get("temperature")).containsEntry("value", 21.25);
    }

    @Test
    void csvRefusesWrongColumnCountsAndBadValuesWithAReason() {
        assertThatThrownBy(() -> csv.decode("1,2,3")).isInstanceOf(FrameException.class)
                .satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("column_count"));
        assertThatThrownBy(() -> csv.decode("warm,x,1,on"))
                .satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("bad_value"));
        assertThatThrownBy(() -> csv.decode("1,x,1,maybe")).hasMessageContaining("not a boolean");
        assertThatThrownBy(() -> csv.decode(",x,1,on")).hasMessageContaining("empty value");
        assertThatThrownBy(() -> csv.decode("NaN,x,1,on")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> csv.decode("1e99999,x,1e99999,on")).hasMessageContaining("out of range");
    }

    @Test
    void keyValueLinesIgnoreUnmappedKeysButNeedOneMappedKey() throws Exception {
        KeyValueLineCodec kv = new KeyValueLineCodec(Map.of("T", FieldTarget.parse("temperature/value")));

        assertThat(kv.decode("T=5 X=1;Y=2").get("temperature")).containsEntry("value", 5L);
        assertThatThrownBy(() -> kv.decode("X=1")).satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("no_mapped_field"));
        assertThatThrownBy(() -> kv.decode("T5")).satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("not_key_value"));
    }

    @Test
    void jsonPointersExtractNestedValuesAndRefuseNonScalars() throws Exception {
        Map<String, FieldTarget> pointers = new LinkedHashMap<>();
        pointers.put("/sensors/0/t", FieldTarget.parse("temperature/value"));
        pointers.put("/label", new FieldTarget("info", "label", FieldTarget.Type.STRING, 1, 0));
        JsonLineCodec json = new JsonLineCodec(pointers);

        var features = json.decode("{\"sensors\":[{\"t\":3.5}],\"label\":\"A\"}");
        assertThat(features.get("temperature")).containsEntry("value", 3.5);
        assertThat(features.get("info")).containsEntry("label", "A");
        assertThatThrownBy(() -> json.decode("{\"sensors\":[{\"t\":{}}]}")).hasMessageContaining("not a scalar");
        assertThatThrownBy(() -> json.decode("{broken")).satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("malformed_json"));
        assertThatThrownBy(() -> json.decode("{}")).satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("no_mapped_field"));
        assertThatThrownBy(() -> new JsonLineCodec(Map.of("no-slash", FieldTarget.parse("a/b")))).hasMessageContaining("JSON pointer");
    }

    @Test
    void topicRulesCaptureSegmentsIntoTheThingIdAndConvertUnits() throws Exception {
        TopicRule rule = new TopicRule("plant/{line}/{machine}/temp", "plant.{line}:{machine}", null,
                new FieldTarget("temperature", "value", FieldTarget.Type.NUMBER, 5.0 / 9, -160.0 / 9), 1);

        assertThat(rule.filter()).isEqualTo("plant/+/+/temp");
        assertThat(rule.thingId("plant/a/pump-7/temp")).contains("plant.a:pump-7");
        assertThat(rule.thingId("plant/a/pump-7/rpm")).isEmpty();
        assertThat(rule.thingId("plant/a/temp")).isEmpty();
        assertThat((Double) rule.decode("212".getBytes(StandardCharsets.UTF_8)).get("temperature").get("value"))
                .isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThatThrownBy(() -> rule.decode(new byte[]{(byte) 0xC3, 0x28}))
                .satisfies(e -> assertThat(((FrameException) e).reason()).isEqualTo("not_utf8"));
    }

    @Test
    void targetsRefuseInvalidPaths() {
        assertThatThrownBy(() -> FieldTarget.parse("only-feature")).hasMessageContaining("not feature/property");
        assertThatThrownBy(() -> FieldTarget.parse("a/b/c")).hasMessageContaining("not feature/property");
        assertThatThrownBy(() -> new FieldTarget("f", "p", FieldTarget.Type.NUMBER, Double.NaN, 0)).hasMessageContaining("finite");
    }

    @Test
    void aRulesMessageIdIsReadByJsonPointerAndAbsentOrUnreadableIdsGiveNone() {
        var rule = new io.twinworks.adapters.bridge.TopicRule("plant/{machine}/state", "plant.a:{machine}",
                java.util.Map.of("/t", FieldTarget.parse("temperature/value")), null, 1, "/meta/seq");
        assertThat(rule.messageId("{\"t\":1,\"meta\":{\"seq\":42}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .contains("42");
        assertThat(rule.messageId("{\"t\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
        assertThat(rule.messageId("{\"t\":1,\"meta\":{\"seq\":{}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
        assertThat(rule.messageId("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
        var noId = new io.twinworks.adapters.bridge.TopicRule("plant/{machine}/state", "plant.a:{machine}",
                java.util.Map.of("/t", FieldTarget.parse("temperature/value")), null, 1);
        assertThat(noId.messageId("{\"meta\":{\"seq\":42}}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void aMessageIdNeedsAJsonRuleAndAValidPointer() {
        assertThatThrownBy(() -> new io.twinworks.adapters.bridge.TopicRule("plant/{machine}/rpm", "plant.a:{machine}", null,
                FieldTarget.parse("speed/rpm"), 1, "/seq")).hasMessageContaining("JSON payload");
        assertThatThrownBy(() -> new io.twinworks.adapters.bridge.TopicRule("plant/{machine}/state", "plant.a:{machine}",
                java.util.Map.of("/t", FieldTarget.parse("temperature/value")), null, 1, "seq"))
                .hasMessageContaining("not a JSON pointer");
    }
}
