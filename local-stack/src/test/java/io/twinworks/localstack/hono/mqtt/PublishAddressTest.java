package io.twinworks.localstack.hono.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hono's PUBLISH topic names, parsed without a broker. */
class PublishAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"telemetry", "t"})
    void shortAndLongTelemetryTopicsNameTheAuthenticatedDevice(String topic) {
        assertThat(PublishAddress.parse(topic)).isEqualTo(
                new PublishAddress.Downstream(PublishAddress.Endpoint.TELEMETRY, null, null, null, null));
    }

    @Test
    void gatewayTopicNamesTenantAndDevice() {
        assertThat(PublishAddress.parse("event/acme/dev-1")).isEqualTo(
                new PublishAddress.Downstream(PublishAddress.Endpoint.EVENT, "acme", "dev-1", null, null));
        assertThat(PublishAddress.parse("e//dev-1")).isEqualTo(
                new PublishAddress.Downstream(PublishAddress.Endpoint.EVENT, null, "dev-1", null, null));
    }

    @Test
    void propertyBagCarriesDecodedContentTypeAndTtlWithCaseInsensitiveNames() {
        PublishAddress address = PublishAddress.parse("event/?Content-Type=application%2Fjson&hono-ttl=30");
        assertThat(address).isEqualTo(new PublishAddress.Downstream(PublishAddress.Endpoint.EVENT, null, null,
                "application/json", 30L));
    }

    @Test
    void ttlIsIgnoredForTelemetryAndWhenNegativeOrNotANumber() {
        assertThat(((PublishAddress.Downstream) PublishAddress.parse("t/?hono-ttl=30")).ttlSeconds()).isNull();
        assertThat(((PublishAddress.Downstream) PublishAddress.parse("e/?hono-ttl=-1")).ttlSeconds()).isNull();
        assertThat(((PublishAddress.Downstream) PublishAddress.parse("e/?hono-ttl=soon")).ttlSeconds()).isNull();
    }

    @Test
    void commandResponseTopicCarriesRequestIdAndStatus() {
        assertThat(PublishAddress.parse("command///res/abc123/200")).isEqualTo(
                new PublishAddress.CommandResponse(null, null, "abc123", 200, null));
        assertThat(PublishAddress.parse("c//dev-2/s/abc123/503")).isEqualTo(
                new PublishAddress.CommandResponse(null, "dev-2", "abc123", 503, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/telemetry", "foo/bar", "telemetry/acme", "telemetry/acme/", "telemetry//",
            "telemetry/a/b/c", "temperature", "command///req/abc/200", "command///res//200",
            "command///res/abc/ok", "command///res/abc/99", "command///res/abc/600", "command///res/abc",
            "error///telemetry/1/400", "?content-type=x"})
    void malformedOrUnknownTopicsAreRefusedAsMalformed(String topic) {
        assertThatThrownBy(() -> PublishAddress.parse(topic))
                .isInstanceOfSatisfying(PublishRefusedException.class,
                        e -> assertThat(e.refusal()).isEqualTo(Refusal.MALFORMED_TOPIC));
    }

    @Test
    void nullTopicIsRefusedAsMalformed() {
        assertThatThrownBy(() -> PublishAddress.parse(null)).isInstanceOf(PublishRefusedException.class);
    }
}
