package io.twinworks.adapters.serial;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialCommandHandlerTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void placeholdersAreFilledFromTheJsonPayload() {
        assertThat(SerialCommandHandler.fill("SPEED {rpm} {dir}", json("{\"rpm\":1450,\"dir\":\"cw\"}"))).isEqualTo("SPEED 1450 cw");
        assertThat(SerialCommandHandler.fill("RAW {payload}", json("abc"))).isEqualTo("RAW abc");
        assertThat(SerialCommandHandler.fill("STOP", json(""))).isEqualTo("STOP");
    }

    @Test
    void missingFieldsNonJsonPayloadsAndLineBreaksAreRefused() {
        assertThatThrownBy(() -> SerialCommandHandler.fill("SPEED {rpm}", json("{}"))).hasMessageContaining("'rpm'");
        assertThatThrownBy(() -> SerialCommandHandler.fill("SPEED {rpm}", json("fast"))).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SerialCommandHandler.fill("SPEED {rpm}", json("{\"rpm\":\"1\\nREBOOT\"}")))
                .hasMessageContaining("line breaks");
        assertThatThrownBy(() -> SerialCommandHandler.fill("SPEED {rpm}", json("{\"rpm\":{\"a\":1}}"))).hasMessageContaining("'rpm'");
    }
}
