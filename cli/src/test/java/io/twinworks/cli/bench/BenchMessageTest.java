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
            assertThat(command.getString("path")).isEqualTo("/features/bench/properties");
            assertThat(command.getJsonObject("value").getLong("seq")).isEqualTo(42);
        }
    }

    @Test
    void receivedEnvelopeGivesThingIdSeqAndSendTime() {
        byte[] payload = BenchMessage.mergeCommand(DemoPlant.pumps(3).get(2), 7, 99, 256);

        assertThat(BenchMessage.fromEnvelope(payload))
                .contains(new BenchMessage.Received("plant.a:pump-3", 7, 99));
    }

    @Test
    void garbageAndForeignMessagesAreNotBenchMessages() {
        assertThat(BenchMessage.fromEnvelope("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromEnvelope("{\"topic\":\"a/b/things/twin/commands/merge\",\"path\":\"/features/x\",\"value\":{}}"
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(BenchMessage.fromProperties("a:b", new JsonObject().put("seq", "one").put("sentAtNanos", 1))).isEmpty();
        assertThat(BenchMessage.fromProperties("a:b", null)).isEmpty();
    }
}
