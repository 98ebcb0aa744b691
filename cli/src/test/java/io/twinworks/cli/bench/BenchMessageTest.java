package io.twinworks.cli.bench;

import io.twinworks.cli.demo.DemoPlant;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BenchMessageTest {

    @Test
    void mergeCommandHasExactlyThePayloadSizeAndCarriesSeqAndSendTime() {
        for (int size = BenchMessage.MIN_PAYLOAD_BYTES; size < BenchMessage.MIN_PAYLOAD_BYTES + 40; size++) {
            byte[] payload = BenchMessage.mergeCommand(DemoPlant.pumps(1).get(0), 42, 123_456_789_012L, size);

            assertThat(payload).hasSize(size);
            JsonObject command = new JsonObject(new String(payload, StandardCharsets.US_ASCII));
            assertThat(command.getString("topic")).isEqualTo("plant.a/pump-1/things/twin/commands/merge");
            assertThat(command.getString("path")).isEqualTo("/features/vibration/properties");
            assertThat(command.getJsonObject("value").getLong("seq")).isEqualTo(42);
            // only what the vibration sensor's Thing Model knows, so WoT validation accepts it
            assertThat(command.getJsonObject("value").fieldNames()).containsExactlyInAnyOrder("rms", "seq", "ts");
        }
    }

    @Test
    void receivedEnvelopeGivesThingIdSeqAndSendTime() {
        byte[] payload = BenchMessage.mergeCommand(DemoPlant.pumps(3).get(2), 7, 99, 256);

        assertThat(BenchMessage.fromEnvelope(payload))
                .contains(new BenchMessage.Received("plant.a:pump-3", 7, 99));
    }

    @Test
    void sendTimeSurvivesTheTimestampToTheNanosecond() {
        long now = System.nanoTime();
        for (long sentAt : new long[]{now, now - 1, now + 999_999_999L, now - 86_400_000_000_000L}) {
            assertThat(BenchMessage.sentAt(BenchMessage.instantOf(sentAt).toString())).contains(sentAt);
        }
    }

    @Test
    void garbageAndForeignMessagesAreNotBenchMessages() {
        assertThat(BenchMessage.fromEnvelope("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromEnvelope("[1]".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromEnvelope("{\"topic\":5}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromEnvelope(("{\"topic\":\"a/b/things/twin/commands/merge\",\"path\":\""
                + BenchMessage.PROPERTIES_PATH + "\",\"value\":7}").getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromEnvelope("{\"topic\":\"a/b/things/twin/commands/merge\",\"path\":\"/features/x\",\"value\":{}}"
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromProperties("a:b", new JsonObject().put("seq", "one").put("ts", "2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(BenchMessage.fromProperties("a:b", new JsonObject().put("seq", 1).put("ts", "yesterday"))).isEmpty();
        assertThat(BenchMessage.fromProperties("a:b", null)).isEmpty();
    }
}
