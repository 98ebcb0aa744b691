package io.twinworks.adapters.hono;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.adapters.StackFixture;
import io.twinworks.adapters.model.Reading;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OverflowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Hono side against the local stack: every stored reading reaches Kafka and the twin. */
class HonoUplinkIT {

    static final List<String> PUMPS = List.of("plant.a:pump-1", "plant.a:pump-2", "plant.a:pump-3");

    @TempDir
    Path dir;

    private StackFixture stack;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HonoUplink uplink;

    @BeforeEach
    void startStack() throws Exception {
        stack = new StackFixture(dir, PUMPS);
    }

    @AfterEach
    void stopAll() {
        if (uplink != null) {
            uplink.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private HonoUplink open(HonoSettings settings, int maxPayloadBytes) {
        return open(settings, maxPayloadBytes, 0);
    }

    private HonoUplink open(HonoSettings settings, int maxPayloadBytes, int deadLetterAfter) {
        return HonoUplink.open(settings, new OutboxSettings(dir.resolve("outbox.db"), 100_000, OverflowPolicy.REJECT_NEW,
                        Outbox.SyncMode.NORMAL, maxPayloadBytes, 100, 1_000, deadLetterAfter),
                command -> CommandResult.of(404, "no commands here"), meters);
    }

    static Reading reading(String device, int n) {
        return Reading.of(device, "temperature", Map.of("value", 20.0 + n, "n", n));
    }

    @ParameterizedTest
    @EnumSource(HonoSettings.MqttProtocol.class)
    void aGatewayDeliversEveryReadingOfEveryDeviceInOrderToKafkaAndTheTwin(HonoSettings.MqttProtocol protocol) {
        uplink = open(stack.gatewaySettings(protocol), 2048);
        uplink.start();
        int perDevice = 50;
        for (int n = 1; n <= perDevice; n++) {
            for (String pump : PUMPS) {
                assertThat(uplink.publisher().telemetry(reading(pump, n))).isEqualTo(ReadingPublisher.Outcome.STORED);
            }
        }

        var tally = stack.readNorthbound(Map.of(PUMPS.get(0), perDevice, PUMPS.get(1), perDevice, PUMPS.get(2), perDevice),
                Duration.ofSeconds(60));

        for (String pump : PUMPS) {
            assertThat(tally.seqs(pump)).containsExactlyElementsOf(LongStream.rangeClosed(1, perDevice).boxed().toList());
            assertThat(tally.telemetryArrivalOrder(pump)).as("arrival order of %s in Kafka", pump)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, perDevice).boxed().toList());
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(uplink.outbox().size()).isZero());
        // The twin shows a delivered reading. Not necessarily the last: a reading resent after a dropped
        // connection may reach Kafka after newer ones (at least once); consumers order by seq.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.property(PUMPS.get(2), "temperature", "seq"))
                .isInstanceOf(Integer.class).satisfies(seq -> assertThat((Integer) seq).isBetween(1, perDevice)));
    }

    @ParameterizedTest
    @EnumSource(HonoSettings.MqttProtocol.class)
    void aSingleDeviceAdapterSendsTelemetryAndEventsOnItsOwnTopics(HonoSettings.MqttProtocol protocol) {
        uplink = open(stack.soloSettings(protocol), 2048);
        uplink.start();
        for (int n = 1; n <= 10; n++) {
            uplink.publisher().telemetry(reading(StackFixture.SOLO, n));
        }
        uplink.publisher().event(Reading.of(StackFixture.SOLO, "status", Map.of("state", "stopped")));

        var tally = stack.readNorthbound(Map.of(StackFixture.SOLO, 11), Duration.ofSeconds(60));

        assertThat(tally.seqs(StackFixture.SOLO)).hasSize(11).first().isEqualTo(1L);
        assertThat(tally.telemetryArrivalOrder(StackFixture.SOLO)).as("telemetry arrival order in Kafka")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stack.property(StackFixture.SOLO, "status", "state"))
                .isEqualTo("stopped"));
    }

    @Test
    void aSingleDeviceAdapterRefusesReadingsOfOtherDevicesAndCountsThem() {
        uplink = open(stack.soloSettings(HonoSettings.MqttProtocol.MQTT_3_1_1), 2048);

        assertThat(uplink.publisher().telemetry(reading(PUMPS.get(0), 1))).isEqualTo(ReadingPublisher.Outcome.WRONG_DEVICE);

        assertThat(uplink.outbox().size()).isZero();
        assertThat(meters.get("adapter.readings.refused").tag("reason", "wrong_device").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aReadingOverHonosPayloadLimitIsSplitAndEveryPartArrives() {
        uplink = open(stack.gatewaySettings(HonoSettings.MqttProtocol.MQTT_5), 2048);
        uplink.start();
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            features.put("channel" + i, Map.of("value", 100.0 + i, "unit", "mA"));
        }

        assertThat(uplink.publisher().telemetry(new Reading(PUMPS.get(0), features))).isEqualTo(ReadingPublisher.Outcome.SPLIT);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var thingFeatures = stack.thing(PUMPS.get(0)).getJsonObject("features", new io.vertx.core.json.JsonObject());
            assertThat(thingFeatures.fieldNames()).containsAll(features.keySet());
        });
        assertThat(meters.get("adapter.readings.split").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aSingleFeatureOverTheLimitIsRefusedAndCounted() {
        uplink = open(stack.gatewaySettings(HonoSettings.MqttProtocol.MQTT_5), 2048);

        var outcome = uplink.publisher().telemetry(Reading.of(PUMPS.get(0), "blob", Map.of("data", "z".repeat(2100))));

        assertThat(outcome).isEqualTo(ReadingPublisher.Outcome.TOO_LARGE);
        assertThat(meters.get("adapter.readings.refused").tag("reason", "payload_too_large").counter().count()).isEqualTo(1.0);
    }

    @Test
    void onMqtt5AMessageForADeviceNotRegisteredBehindTheGatewayIsRefusedCountedAndDoesNotBlockTheOthers() {
        uplink = open(stack.gatewaySettings(HonoSettings.MqttProtocol.MQTT_5), 2048);
        uplink.start();

        uplink.publisher().telemetry(reading(StackFixture.STRAY, 1));
        uplink.publisher().telemetry(reading(PUMPS.get(0), 1));

        var tally = stack.readNorthbound(Map.of(PUMPS.get(0), 1), Duration.ofSeconds(30));
        assertThat(tally.seqs(PUMPS.get(0))).containsExactly(1L);
        assertThat(tally.seqs(StackFixture.STRAY)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("adapter.hono.refused").counter().count()).isEqualTo(1.0);
            assertThat(uplink.outbox().size()).isZero();
            assertThat(uplink.outbox().deadLetterCount()).as("kept in the dead letters").isEqualTo(1);
        });
    }

    /**
     * On MQTT 3.1.1 Hono closes the connection on a message it refuses and cannot say why: the adapter
     * finds the message alone in flight at repeated losses and, with {@code deadLetterAfter}, takes it out.
     */
    @Test
    void onMqtt311AMessageHonoKeepsRefusingMovesToTheDeadLettersAndTheOthersFollow() {
        uplink = open(stack.gatewaySettings(HonoSettings.MqttProtocol.MQTT_3_1_1), 2048, 3);
        uplink.start();

        uplink.publisher().telemetry(reading(StackFixture.STRAY, 1));
        uplink.publisher().telemetry(reading(PUMPS.get(0), 1));
        uplink.publisher().telemetry(reading(PUMPS.get(0), 2));

        var tally = stack.readNorthbound(Map.of(PUMPS.get(0), 2), Duration.ofSeconds(60));
        assertThat(tally.seqs(PUMPS.get(0))).containsExactly(1L, 2L);
        assertThat(tally.seqs(StackFixture.STRAY)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(uplink.outbox().deadLetterCount()).isEqualTo(1);
            assertThat(meters.get("adapter.outbox.dead.lettered").counter().count()).isEqualTo(1.0);
            assertThat(uplink.outbox().size()).isZero();
        });
        assertThat(meters.get("adapter.hono.connections.lost").counter().count()).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void onMqtt311WithoutDeadLetteringAMessageHonoKeepsRefusingStaysStoredAndIsNotDropped() {
        uplink = open(stack.gatewaySettings(HonoSettings.MqttProtocol.MQTT_3_1_1), 2048, 0);
        uplink.start();

        uplink.publisher().telemetry(reading(StackFixture.STRAY, 1));
        uplink.publisher().telemetry(reading(PUMPS.get(0), 1));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                meters.get("adapter.hono.connections.lost").counter().count() >= 4.0);
        assertThat(uplink.outbox().deadLetterCount()).isZero();
        assertThat(uplink.outbox().size()).as("nothing dropped: both still stored").isEqualTo(2);
        assertThat(meters.get("adapter.outbox.oldest.age").gauge().value()).isGreaterThan(0.0);
    }

    @Test
    void wrongCredentialsKeepEverythingInTheOutboxAndCountFailedConnects() {
        HonoSettings good = stack.soloSettings(HonoSettings.MqttProtocol.MQTT_5);
        HonoSettings wrong = new HonoSettings(good.serverUri(), good.tenantId(), good.authId(), "not-the-password",
                good.protocol(), good.deviceId(), false, 1, good.clientId(), 10);
        uplink = open(wrong, 2048);
        uplink.start();
        uplink.publisher().telemetry(reading(StackFixture.SOLO, 1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.get("adapter.hono.connects").tag("outcome", "failure").counter().count()).isGreaterThanOrEqualTo(2.0));
        assertThat(uplink.isConnected()).isFalse();
        assertThat(uplink.outbox().size()).isEqualTo(1);
    }
}
