package io.twinworks.adapters.hono;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HonoCommandTest {

    @Test
    void aDeviceCommandNamesNoDeviceAndIsForTheAdaptersOwnDevice() {
        HonoCommand command = HonoCommand.parse("command///req/r1/setSpeed", new byte[]{1}, "ns:own").orElseThrow();

        assertThat(command.deviceId()).isEqualTo("ns:own");
        assertThat(command.requestId()).isEqualTo("r1");
        assertThat(command.name()).isEqualTo("setSpeed");
        assertThat(command.responseTopic(200, false)).isEqualTo("command///res/r1/200");
    }

    @Test
    void aGatewayCommandNamesTheDeviceAndTheResponseNamesItToo() {
        HonoCommand command = HonoCommand.parse("command//ns:pump-2/req/r7/stop", null, "ns:gw").orElseThrow();

        assertThat(command.deviceId()).isEqualTo("ns:pump-2");
        assertThat(command.payload()).isEmpty();
        assertThat(command.responseTopic(404, true)).isEqualTo("command//ns:pump-2/res/r7/404");
    }

    @Test
    void aOneWayCommandExpectsNoResponse() {
        assertThat(HonoCommand.parse("command///req//reset", null, "ns:own").orElseThrow().expectsResponse()).isFalse();
    }

    @Test
    void topicsThatAreNoCommandRequestsAreNotParsed() {
        assertThat(HonoCommand.parse("command///res/r1/200", null, "ns:a")).isEmpty();
        assertThat(HonoCommand.parse("command///req/r1/", null, "ns:a")).isEmpty();
        assertThat(HonoCommand.parse("telemetry", null, "ns:a")).isEmpty();
        assertThat(HonoCommand.parse("command/req/r1/x", null, "ns:a")).isEmpty();
        assertThat(HonoCommand.parse(null, null, "ns:a")).isEmpty();
    }
}
