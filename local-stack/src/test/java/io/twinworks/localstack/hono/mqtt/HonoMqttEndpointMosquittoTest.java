package io.twinworks.localstack.hono.mqtt;

import io.twinworks.localstack.hono.kafka.HonoKafkaHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.twinworks.localstack.hono.mqtt.MqttEndpointTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint against real MQTT clients nobody here wrote: Debian's mosquitto_pub/mosquitto_sub,
 * in MQTT 3.1.1 and MQTT 5, with a real in-JVM Kafka broker behind it.
 */
class HonoMqttEndpointMosquittoTest {

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(20);
    private static MqttEndpointTestSupport stack;

    @BeforeAll
    static void startStack() throws Exception {
        mosquittoBinary("mosquitto_pub");
        mosquittoBinary("mosquitto_sub");
        stack = new MqttEndpointTestSupport(3_000);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static String user(String authId, String tenant) {
        return authId + "@" + tenant;
    }

    // ---------------------------------------------------------------- accepted messages

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void telemetryWithRightCredentialsIsWrittenToKafkaWithHonoHeadersAfterPuback(String version) throws Exception {
        String tenant = stack.newTenant();
        long before = System.currentTimeMillis();

        ProcessResult result = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "telemetry", 1, "-m", "{\"temp\":5}");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        // mosquitto_pub at QoS 1 exits only after its PUBACK: the record must be in Kafka already
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isEqualTo(1);
        List<ConsumerRecord<String, byte[]>> records = stack.awaitRecords("hono.telemetry." + tenant, 1, KAFKA_WAIT);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo(SENSOR_DEVICE_ID);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":5}");
        assertThat(header(record, "device_id")).isEqualTo(SENSOR_DEVICE_ID);
        assertThat(header(record, "tenant_id")).isEqualTo(tenant);
        assertThat(header(record, "content-type")).isEqualTo("application/octet-stream");
        assertThat(header(record, "qos")).isEqualTo("1");
        assertThat(Long.parseLong(header(record, "creation-time"))).isBetween(before, System.currentTimeMillis());
        assertThat(header(record, "orig_adapter")).isEqualTo("hono-mqtt");
        assertThat(header(record, "orig_address")).isEqualTo("telemetry");
    }

    @Test
    void recordsOfOneDeviceStayInPublishOrderWhenTheRegistryAnswersOutOfOrder() throws Exception {
        String tenant = stack.newTenant();
        List<String> messages = java.util.stream.IntStream.rangeClosed(1, 10).mapToObj(Integer::toString).toList();
        stack.registry.answerNextRegistrationChecksInReverse(stack.vertx, messages.size());

        ProcessResult result = stack.mosquittoPubLines("mqttv5", user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "telemetry", 1, messages);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<ConsumerRecord<String, byte[]>> records = stack.awaitRecords("hono.telemetry." + tenant, 10, KAFKA_WAIT);
        assertThat(records).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(messages);
    }

    @Test
    void telemetryAtQos0WithContentTypeInPropertyBagIsWrittenWithThatContentTypeAndQos0() throws Exception {
        String tenant = stack.newTenant();

        ProcessResult result = stack.mosquittoPub("mqttv311", user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "t/?content-type=application%2Fvnd.eclipse.ditto%2Bjson", 0, "-m", "{\"topic\":\"x\"}");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        ConsumerRecord<String, byte[]> record = stack.awaitRecords("hono.telemetry." + tenant, 1, KAFKA_WAIT).get(0);
        assertThat(header(record, "content-type")).isEqualTo("application/vnd.eclipse.ditto+json");
        assertThat(header(record, "qos")).isEqualTo("0");
    }

    @Test
    void mqtt5ContentTypePropertyIsUsedWhenTheTopicHasNoPropertyBag() throws Exception {
        String tenant = stack.newTenant();

        ProcessResult result = stack.mosquittoPub("mqttv5", user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "telemetry", 1, "-D", "publish", "content-type", "application/json", "-m", "{}");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        ConsumerRecord<String, byte[]> record = stack.awaitRecords("hono.telemetry." + tenant, 1, KAFKA_WAIT).get(0);
        assertThat(header(record, "content-type")).isEqualTo("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void eventWithHonoTtlIsWrittenToTheEventTopicWithTtlInMilliseconds(String version) throws Exception {
        String tenant = stack.newTenant();

        ProcessResult result = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "e/?hono-ttl=30", 1, "-m", "{\"alarm\":1}");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        ConsumerRecord<String, byte[]> record = stack.awaitRecords("hono.event." + tenant, 1, KAFKA_WAIT).get(0);
        assertThat(record.key()).isEqualTo(SENSOR_DEVICE_ID);
        assertThat(header(record, "ttl")).isEqualTo("30000");
        assertThat(header(record, "qos")).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"telemetry/%s/" + DEVICE_BEHIND_GATEWAY, "telemetry//" + DEVICE_BEHIND_GATEWAY,
            "event/%s/" + DEVICE_BEHIND_GATEWAY})
    void gatewayPublishesForADeviceThatListsItAsVia(String topicPattern) throws Exception {
        String tenant = stack.newTenant();
        String topic = topicPattern.formatted(tenant);
        String kafkaTopic = (topic.startsWith("event") ? "hono.event." : "hono.telemetry.") + tenant;

        ProcessResult result = stack.mosquittoPub("mqttv311", user(GATEWAY_AUTH_ID, tenant), GATEWAY_PASSWORD,
                topic, 1, "-m", "42");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        ConsumerRecord<String, byte[]> record = stack.awaitRecords(kafkaTopic, 1, KAFKA_WAIT).get(0);
        assertThat(record.key()).isEqualTo(DEVICE_BEHIND_GATEWAY);
        assertThat(header(record, "device_id")).isEqualTo(DEVICE_BEHIND_GATEWAY);
    }

    // ---------------------------------------------------------------- refused connections

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void wrongPasswordIsRefusedWithBadUserNameOrPassword(String version) throws Exception {
        String tenant = stack.newTenant();
        double refusedBefore = stack.counter("connections.refused", "reason", "bad_credentials");

        ProcessResult result = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), "wrong", "telemetry", 1,
                "-m", "x");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).containsIgnoringCase("bad user name or password");
        assertThat(stack.counter("connections.refused", "reason", "bad_credentials")).isEqualTo(refusedBefore + 1);
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isZero();
    }

    @Test
    void unknownTenantIsRefusedWithBadUserNameOrPassword() throws Exception {
        ProcessResult result = stack.mosquittoPub("mqttv311", user(SENSOR_AUTH_ID, "no-such-tenant"), SENSOR_PASSWORD,
                "telemetry", 1, "-m", "x");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).containsIgnoringCase("bad user name or password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void disabledDeviceIsRefusedAsNotAuthorized(String version) throws Exception {
        String tenant = stack.newTenant();

        ProcessResult result = stack.mosquittoPub(version, user(DISABLED_AUTH_ID, tenant), DISABLED_PASSWORD,
                "telemetry", 1, "-m", "x");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).containsIgnoringCase("not authori");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void anonymousConnectIsRefused(String version) throws Exception {
        double refusedBefore = stack.counter("connections.refused", "reason", "missing_credentials");

        ProcessResult result = stack.mosquittoPub(version, null, null, "telemetry", 1, "-m", "x");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).containsIgnoringCase("bad user name or password");
        assertThat(stack.counter("connections.refused", "reason", "missing_credentials")).isEqualTo(refusedBefore + 1);
    }

    @Test
    void userNameWithoutTenantIsRefused() throws Exception {
        ProcessResult result = stack.mosquittoPub("mqttv5", SENSOR_AUTH_ID, SENSOR_PASSWORD, "telemetry", 1, "-m", "x");

        assertThat(result.exitCode()).isNotZero();
        assertThat(stack.counter("connections.refused", "reason", "malformed_username")).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void unavailableRegistryRefusesConnectionsAsServerUnavailable(String version) throws Exception {
        String tenant = stack.newTenant();
        stack.registry.setUnavailable(true);
        try {
            ProcessResult result = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                    "telemetry", 1, "-m", "x");

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).containsIgnoringCase("unavailable");
        } finally {
            stack.registry.setUnavailable(false);
        }
    }

    // ---------------------------------------------------------------- refused messages

    private void assertRefused(String version, String tenant, String authId, String password, String topic, int qos,
                               String reason, String... payloadArgs) throws Exception {
        double before = stack.counter("messages.refused", "reason", reason);

        ProcessResult result = stack.mosquittoPub(version, user(authId, tenant), password, topic, qos, payloadArgs);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stack.counter("messages.refused", "reason", reason)).isEqualTo(before + 1));
        if (qos == 1) {
            // no PUBACK with success: MQTT 3.1.1 loses its connection, MQTT 5 gets an error reason code
            assertThat(result.exitCode() != 0 || !result.stderr().isBlank())
                    .as("mosquitto_pub reported the refusal: exit %d, stderr %s", result.exitCode(), result.stderr())
                    .isTrue();
        }
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isZero();
        assertThat(stack.recordCount("hono.event." + tenant)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void gatewayPublishingForADeviceThatDoesNotListItIsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        assertRefused(version, tenant, GATEWAY_AUTH_ID, GATEWAY_PASSWORD,
                "telemetry/" + tenant + "/" + DEVICE_NOT_BEHIND_GATEWAY, 1, "gateway_not_authorized", "-m", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void gatewayPublishingForAnUnknownDeviceIsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        assertRefused(version, tenant, GATEWAY_AUTH_ID, GATEWAY_PASSWORD,
                "telemetry//no-such-device", 1, "device_not_registered", "-m", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void payloadOverTheLimitIsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        assertRefused(version, tenant, SENSOR_AUTH_ID, SENSOR_PASSWORD, "telemetry", 1, "payload_too_large",
                "-m", "x".repeat(2_049));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void packetFarOverTheLimitClosesTheConnectionWithoutARecord(String version) throws Exception {
        String tenant = stack.newTenant();

        ProcessResult result = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD, "telemetry",
                1, "-m", "x".repeat(64 * 1024));

        assertThat(result.exitCode()).isNotZero();
        assertThat(stack.recordCount("hono.telemetry." + tenant)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void eventAtQos0IsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        assertRefused(version, tenant, SENSOR_AUTH_ID, SENSOR_PASSWORD, "event", 0, "event_qos_0", "-m", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void qos2IsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        assertRefused(version, tenant, SENSOR_AUTH_ID, SENSOR_PASSWORD, "telemetry", 2, "qos_2", "-m", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo/bar", "telemetry/%s/", "telemetry/%s", "telemetry/%s/a/b", "/telemetry"})
    void malformedOrUnknownTopicIsRefused(String topicPattern) throws Exception {
        String tenant = stack.newTenant();
        assertRefused("mqttv5", tenant, SENSOR_AUTH_ID, SENSOR_PASSWORD, topicPattern.formatted(tenant), 1,
                "malformed_topic", "-m", "x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void topicNamingAnotherTenantIsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        String otherTenant = stack.newTenant();
        assertRefused(version, tenant, SENSOR_AUTH_ID, SENSOR_PASSWORD, "telemetry/" + otherTenant + "/"
                + SENSOR_DEVICE_ID, 1, "tenant_mismatch", "-m", "x");
        assertThat(stack.recordCount("hono.telemetry." + otherTenant)).isZero();
    }

    @Test
    void emptyPayloadWithoutContentTypeIsRefused() throws Exception {
        String tenant = stack.newTenant();
        assertRefused("mqttv311", tenant, SENSOR_AUTH_ID, SENSOR_PASSWORD, "telemetry", 1,
                "empty_payload_without_content_type", "-n");
    }

    // ---------------------------------------------------------------- command & control

    private static ProducerRecord<String, byte[]> command(String tenant, String deviceId, String name,
                                                          String correlationId, String payload) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("hono.command." + tenant, deviceId,
                payload.getBytes(StandardCharsets.UTF_8));
        record.headers().add(new RecordHeader("device_id", deviceId.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("subject", name.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));
        if (correlationId != null) {
            record.headers().add(new RecordHeader("correlation-id", correlationId.getBytes(StandardCharsets.UTF_8)));
            record.headers().add(new RecordHeader("response-required", "true".getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void commandFromKafkaReachesTheSubscribedDeviceAndItsResponseIsWrittenToKafka(String version) throws Exception {
        String tenant = stack.newTenant();
        try (Subscriber subscriber = stack.mosquittoSub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "command///req/#", 1)) {
            assertThat(subscriber.awaitLine("SUBACK", Duration.ofSeconds(10))).as("SUBACK").isNotNull();

            stack.writeRecord(command(tenant, SENSOR_DEVICE_ID, "setBrightness", "corr-" + version,
                    "{\"brightness\":79}"));

            String line = subscriber.awaitMessageLine("command///req/", Duration.ofSeconds(15));
            assertThat(line).as("command line from mosquitto_sub").isNotNull()
                    .endsWith("/setBrightness {\"brightness\":79}");
            String topic = line.substring(0, line.indexOf(' '));
            String requestId = topic.split("/")[4];
            assertThat(requestId).isNotEmpty();

            ProcessResult response = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                    "command///res/" + requestId + "/200", 1, "-m", "{\"lumen\":200}");
            assertThat(response.exitCode()).as(response.stderr()).isZero();

            ConsumerRecord<String, byte[]> record = stack.awaitRecords("hono.command_response." + tenant, 1, KAFKA_WAIT)
                    .get(0);
            assertThat(record.key()).isEqualTo(SENSOR_DEVICE_ID);
            assertThat(header(record, "correlation-id")).isEqualTo("corr-" + version);
            assertThat(header(record, "status")).isEqualTo("200");
            assertThat(header(record, "device_id")).isEqualTo(SENSOR_DEVICE_ID);
            assertThat(header(record, "tenant_id")).isEqualTo(tenant);
            assertThat(Long.parseLong(header(record, "creation-time"))).isPositive();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"lumen\":200}");
        }
    }

    @Test
    void oneWayCommandIsPublishedWithAnEmptyRequestId() throws Exception {
        String tenant = stack.newTenant();
        try (Subscriber subscriber = stack.mosquittoSub("mqttv311", user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "c///q/#", 0)) {
            assertThat(subscriber.awaitLine("SUBACK", Duration.ofSeconds(10))).isNotNull();

            stack.writeRecord(command(tenant, SENSOR_DEVICE_ID, "reset", null, "{}"));

            assertThat(subscriber.awaitMessageLine("c///q//reset", Duration.ofSeconds(15))).isNotNull();
        }
    }

    @Test
    void gatewaySubscribedForAllItsDevicesReceivesCommandsForADeviceBehindIt() throws Exception {
        String tenant = stack.newTenant();
        try (Subscriber subscriber = stack.mosquittoSub("mqttv5", user(GATEWAY_AUTH_ID, tenant), GATEWAY_PASSWORD,
                "command//+/req/#", 1)) {
            assertThat(subscriber.awaitLine("SUBACK", Duration.ofSeconds(10))).isNotNull();

            stack.writeRecord(command(tenant, DEVICE_BEHIND_GATEWAY, "open", "corr-gw", "{}"));

            String line = subscriber.awaitMessageLine("command//" + DEVICE_BEHIND_GATEWAY + "/req/", Duration.ofSeconds(15));
            assertThat(line).isNotNull();
            String requestId = line.substring(0, line.indexOf(' ')).split("/")[4];

            ProcessResult response = stack.mosquittoPub("mqttv5", user(GATEWAY_AUTH_ID, tenant), GATEWAY_PASSWORD,
                    "command//" + DEVICE_BEHIND_GATEWAY + "/res/" + requestId + "/204", 1, "-n");
            assertThat(response.exitCode()).as(response.stderr()).isZero();
            ConsumerRecord<String, byte[]> record = stack.awaitRecords("hono.command_response." + tenant, 1, KAFKA_WAIT)
                    .get(0);
            assertThat(record.key()).isEqualTo(DEVICE_BEHIND_GATEWAY);
            assertThat(header(record, "status")).isEqualTo("204");
            assertThat(header(record, "correlation-id")).isEqualTo("corr-gw");
        }
    }

    @Test
    void requestResponseCommandForADisconnectedDeviceIsAnsweredWith503DeliveryFailure() throws Exception {
        String tenant = stack.newTenant();

        stack.writeRecord(command(tenant, SENSOR_DEVICE_ID, "setBrightness", "corr-offline", "{}"));

        List<ConsumerRecord<String, byte[]>> records = stack.awaitRecords("hono.command_response." + tenant, 1, KAFKA_WAIT);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(record.key()).isEqualTo(SENSOR_DEVICE_ID);
        assertThat(header(record, "status")).isEqualTo("503");
        assertThat(header(record, "correlation-id")).isEqualTo("corr-offline");
        assertThat(header(record, "content-type")).isEqualTo(HonoKafkaHeaders.CONTENT_TYPE_DELIVERY_FAILURE_NOTIFICATION);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).startsWith("{\"error\":\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void responseWithAnUnknownRequestIdIsRefused(String version) throws Exception {
        String tenant = stack.newTenant();
        double before = stack.counter("messages.refused", "reason", "unknown_command_request");

        ProcessResult result = stack.mosquittoPub(version, user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "command///res/0123456789abcdef/200", 1, "-m", "{}");

        assertThat(result.exitCode() != 0 || !result.stderr().isBlank()).as(result.stderr()).isTrue();
        assertThat(stack.counter("messages.refused", "reason", "unknown_command_request")).isEqualTo(before + 1);
        assertThat(stack.recordCount("hono.command_response." + tenant)).isZero();
    }

    @Test
    void subscriptionToATopicOtherThanCommandsIsRefusedInTheSuback() throws Exception {
        String tenant = stack.newTenant();
        try (Subscriber subscriber = stack.mosquittoSub("mqttv5", user(SENSOR_AUTH_ID, tenant), SENSOR_PASSWORD,
                "some/other/#", 0)) {
            assertThat(subscriber.awaitLine("SUBACK", Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(stack.counter("subscriptions.refused", "reason", "topic_filter_invalid")).isPositive());
        }
    }
}
