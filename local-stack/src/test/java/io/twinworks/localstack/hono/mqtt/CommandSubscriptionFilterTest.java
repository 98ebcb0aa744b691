package io.twinworks.localstack.hono.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Hono's command subscription filters and the command topics derived from them. */
class CommandSubscriptionFilterTest {

    @Test
    void deviceFilterWithoutTenantAndDeviceYieldsTopicsWithEmptySegments() {
        CommandSubscriptionFilter filter = CommandSubscriptionFilter.parse("command///req/#").orElseThrow();
        assertThat(filter.commandTopic(null, "r1", "setBrightness")).isEqualTo("command///req/r1/setBrightness");
        assertThat(filter.commandTopic(null, null, "reset")).isEqualTo("command///req//reset");
    }

    @Test
    void shortFormWithTenantKeepsShortSegmentsAndTenant() {
        CommandSubscriptionFilter filter = CommandSubscriptionFilter.parse("c/acme//q/#").orElseThrow();
        assertThat(filter.tenantId()).isEqualTo("acme");
        assertThat(filter.commandTopic(null, "r1", "x")).isEqualTo("c/acme//q/r1/x");
    }

    @Test
    void gatewayFiltersForAllOrOneDevice() {
        assertThat(CommandSubscriptionFilter.parse("command//+/req/#").orElseThrow().isForAllDevicesOfGateway()).isTrue();
        CommandSubscriptionFilter one = CommandSubscriptionFilter.parse("command//dev-1/req/#").orElseThrow();
        assertThat(one.deviceSegment()).isEqualTo("dev-1");
        assertThat(one.commandTopic("dev-1", "r", "open")).isEqualTo("command//dev-1/req/r/open");
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "command/#", "command///req", "command///req/+", "command/+//req/#",
            "command//a+b/req/#", "command///res/#", "c///req/#", "command///q/#", "error///#", "telemetry",
            "command//#/req/#"})
    void otherFiltersAreNotCommandSubscriptions(String filter) {
        assertThat(CommandSubscriptionFilter.parse(filter)).isEmpty();
    }
}
