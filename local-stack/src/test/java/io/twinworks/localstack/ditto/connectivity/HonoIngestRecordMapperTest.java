package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.localstack.hono.kafka.HonoKafkaHeaders;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How one Hono record becomes a twin command (or not), without Kafka: the rules of Ditto's Hono connection. */
class HonoIngestRecordMapperTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final HonoConnectionSettings SETTINGS = new HonoConnectionSettings("localhost:9092", "group",
            List.of("pre-authenticated:hono-connection"));
    private final HonoRecordMapper mapper = new HonoRecordMapper(SETTINGS.authorizationContext(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static final String MERGE = """
            {"topic":"plant.a/pump-7/things/twin/commands/merge","path":"/features/vibration/properties",
             "value":{"rms":0.31},"headers":{"content-type":"application/merge-patch+json","correlation-id":"c-1"}}""";

    /** A record exactly as Hono's MQTT adapter (here: the local stack's) writes it. */
    private static ConsumerRecord<String, byte[]> honoRecord(String deviceId, String contentType, String payload,
                                                            Long ttl, long creationTime) {
        ProducerRecord<String, byte[]> produced = HonoRecords.downstream(HonoTopic.Type.TELEMETRY, "plant-tenant",
                deviceId, contentType, 0, ttl, "telemetry", false, payload.getBytes(StandardCharsets.UTF_8),
                creationTime);
        return new ConsumerRecord<>(produced.topic(), 0, 42L, NOW.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, produced.key(), produced.value(), produced.headers(), Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> honoRecord(String deviceId, String contentType, byte[] payload) {
        ProducerRecord<String, byte[]> produced = HonoRecords.downstream(HonoTopic.Type.TELEMETRY, "plant-tenant",
                deviceId, contentType, 0, null, "telemetry", false, payload, NOW.toEpochMilli());
        return new ConsumerRecord<>(produced.topic(), 0, 42L, NOW.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, produced.key(), produced.value(), produced.headers(), Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> honoRecord(String deviceId, String contentType, String payload) {
        return honoRecord(deviceId, contentType, payload, null, NOW.toEpochMilli());
    }

    private RecordMapping.NotApplied refused(ConsumerRecord<String, byte[]> record) {
        RecordMapping mapping = mapper.map(record);
        assertThat(mapping).isInstanceOf(RecordMapping.NotApplied.class);
        return (RecordMapping.NotApplied) mapping;
    }

    @Test
    void dittoProtocolMergeFromTheThingsOwnDeviceBecomesAMergeThingRunningAsTheConnectionSubject() {
        RecordMapping mapping = mapper.map(honoRecord("plant.a:pump-7", "application/vnd.eclipse.ditto+json", MERGE));

        assertThat(mapping).isInstanceOf(RecordMapping.Apply.class);
        RecordMapping.Apply apply = (RecordMapping.Apply) mapping;
        assertThat(apply.command()).isInstanceOf(MergeThing.class);
        assertThat(apply.command().getEntityId().toString()).isEqualTo("plant.a:pump-7");
        assertThat(apply.command().getDittoHeaders().getAuthorizationContext().getType().toString())
                .isEqualTo(DittoAuthorizationContextType.PRE_AUTHENTICATED_CONNECTION.toString());
        assertThat(apply.command().getDittoHeaders().getAuthorizationContext().getAuthorizationSubjectIds())
                .containsExactly("pre-authenticated:hono-connection");
        assertThat(apply.command().getDittoHeaders().getCorrelationId()).contains("c-1");
        assertThat(apply.origin().tenant()).isEqualTo("plant-tenant");
        assertThat(apply.origin().deviceId()).isEqualTo("plant.a:pump-7");
    }

    @Test
    void plainApplicationJsonWithACharsetIsMappedLikeDittoProtocol() {
        RecordMapping mapping = mapper.map(honoRecord("plant.a:pump-7", "application/json; charset=UTF-8", MERGE));

        assertThat(mapping).isInstanceOf(RecordMapping.Apply.class);
    }

    @Test
    void createCommandOfTheDevicesOwnThingIsMapped() {
        RecordMapping mapping = mapper.map(honoRecord("plant.a:pump-8", "application/vnd.eclipse.ditto+json", """
                {"topic":"plant.a/pump-8/things/twin/commands/create","path":"/",
                 "value":{"thingId":"plant.a:pump-8","attributes":{"site":"a"}}}"""));

        assertThat(((RecordMapping.Apply) mapping).command()).isInstanceOf(CreateThing.class);
    }

    @Test
    void commandForAnotherDevicesThingIsRefusedAsDeviceMismatch() {
        RecordMapping.NotApplied refused = refused(honoRecord("plant.a:pump-8", "application/vnd.eclipse.ditto+json", MERGE));

        assertThat(refused.reason()).isEqualTo(IngestRefusal.DEVICE_MISMATCH);
        assertThat(refused.detail()).contains("plant.a:pump-8", "plant.a:pump-7");
    }

    @Test
    void recordWithoutDeviceIdHeaderIsRefused() {
        ConsumerRecord<String, byte[]> withDevice = honoRecord("plant.a:pump-7", "application/json", MERGE);
        RecordHeaders headers = new RecordHeaders();
        withDevice.headers().forEach(header -> {
            if (!HonoKafkaHeaders.DEVICE_ID.equals(header.key())) {
                headers.add(header);
            }
        });
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(withDevice.topic(), 0, 1L, 0L,
                TimestampType.CREATE_TIME, -1, -1, withDevice.key(), withDevice.value(), headers, Optional.empty());

        assertThat(refused(record).reason()).isEqualTo(IngestRefusal.MISSING_DEVICE_ID);
    }

    @Test
    void aRepeatedDeviceIdHeaderCountsByItsFirstOccurrenceAsInHono() {
        ConsumerRecord<String, byte[]> record = honoRecord("plant.a:pump-8", "application/json", MERGE);
        RecordHeaders headers = new RecordHeaders();
        headers.add(HonoKafkaHeaders.stringHeader(HonoKafkaHeaders.DEVICE_ID, "plant.a:pump-7"));
        record.headers().forEach(headers::add);
        ConsumerRecord<String, byte[]> repeated = new ConsumerRecord<>(record.topic(), 0, 1L, 0L,
                TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), headers, Optional.empty());

        assertThat(mapper.map(repeated)).isInstanceOf(RecordMapping.Apply.class);
        assertThat(mapper.map(repeated).origin().deviceId()).isEqualTo("plant.a:pump-7");
    }

    @Test
    void aFirstDeviceIdHeaderWithoutValueLeavesTheRecordWithoutDeviceIdEvenIfALaterOneHasOne() {
        ConsumerRecord<String, byte[]> record = honoRecord("plant.a:pump-7", "application/json", MERGE);
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(HonoKafkaHeaders.DEVICE_ID, null));
        record.headers().forEach(headers::add);
        ConsumerRecord<String, byte[]> withNullFirst = new ConsumerRecord<>(record.topic(), 0, 1L, 0L,
                TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), headers, Optional.empty());

        assertThat(refused(withNullFirst).reason()).isEqualTo(IngestRefusal.MISSING_DEVICE_ID);
    }

    @Test
    void aTtlThatIsNotANumberNeverExpiresTheMessage() {
        ConsumerRecord<String, byte[]> record = honoRecord("plant.a:pump-7", "application/json", MERGE, 5_000L,
                NOW.toEpochMilli() - 10_000);
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(header -> headers.add(HonoKafkaHeaders.TTL.equals(header.key())
                ? new RecordHeader(HonoKafkaHeaders.TTL, "soon".getBytes(StandardCharsets.UTF_8)) : header));
        ConsumerRecord<String, byte[]> badTtl = new ConsumerRecord<>(record.topic(), 0, 1L, 0L,
                TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), headers, Optional.empty());

        assertThat(mapper.map(badTtl)).isInstanceOf(RecordMapping.Apply.class);
    }

    @Test
    void payloadThatIsNotJsonIsRefusedAsNotJson() {
        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", "rms=0.31")).reason())
                .isEqualTo(IngestRefusal.NOT_JSON);
        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", "[1,2]")).reason())
                .isEqualTo(IngestRefusal.NOT_JSON);
        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", "")).reason())
                .isEqualTo(IngestRefusal.NOT_JSON);
    }

    @Test
    void bytesThatAreNotUtf8TextAreRefusedAsNotJson() {
        ProducerRecord<String, byte[]> produced = HonoRecords.downstream(HonoTopic.Type.TELEMETRY, "plant-tenant",
                "plant.a:pump-7", null, 0, null, "telemetry", false, new byte[]{(byte) 0xC3, (byte) 0x28, 0x7B},
                NOW.toEpochMilli());
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 1L, produced.key(),
                produced.value());
        produced.headers().forEach(header -> record.headers().add(header));

        assertThat(refused(record).reason()).isEqualTo(IngestRefusal.NOT_JSON);
    }

    @Test
    void aDeviceMergeWithBytesThatAreNotUtf8InsideAStringIsRefusedAsNotJson() {
        byte[] payload = MERGE.replace("0.31}", "0.31,\"note\":\"x\"}").getBytes(StandardCharsets.US_ASCII);
        payload[MERGE.indexOf("0.31}") + 13] = (byte) 0xFF;   // the x

        assertThat(refused(honoRecord("plant.a:pump-7", "application/vnd.eclipse.ditto+json", payload)).reason())
                .isEqualTo(IngestRefusal.NOT_JSON);
    }

    @Test
    void anAsciiMergeDeclaredAsUtf16IsDecodedAsUtf16AndRefusedAsNotJson() {
        byte[] ascii = MERGE.getBytes(StandardCharsets.US_ASCII);

        assertThat(refused(honoRecord("plant.a:pump-7", "application/json; charset=UTF-16", ascii)).reason())
                .isEqualTo(IngestRefusal.NOT_JSON);
    }

    @Test
    void mergesWithCharactersBeyondAsciiAreDecodedWithTheirCharset() {
        String merge = MERGE.replace("0.31}", "0.31,\"note\":\"ü€\"}");
        String latin1Merge = MERGE.replace("0.31}", "0.31,\"note\":\"ü\"}");

        for (RecordMapping mapping : List.of(
                mapper.map(honoRecord("plant.a:pump-7", "application/vnd.eclipse.ditto+json",
                        merge.getBytes(StandardCharsets.UTF_8))),
                mapper.map(honoRecord("plant.a:pump-7", "application/json; charset=ISO-8859-1",
                        latin1Merge.getBytes(StandardCharsets.ISO_8859_1))))) {
            assertThat(mapping).isInstanceOf(RecordMapping.Apply.class);
            MergeThing command = (MergeThing) ((RecordMapping.Apply) mapping).command();
            assertThat(command.getValue().asObject().getValue("note").orElseThrow().asString()).startsWith("ü");
        }
    }

    @Test
    void jsonThatIsNotDittoProtocolIsRefusedAsNotDittoProtocol() {
        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", "{\"rms\":0.31}")).reason())
                .isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", """
                {"topic":"plant.a/pump-7/things/twin/commands/teleport","path":"/","value":{}}""")).reason())
                .isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
    }

    @Test
    void twinEventOrLiveCommandIsRefusedAsUnsupportedSignal() {
        String event = """
                {"topic":"plant.a/pump-7/things/twin/events/modified","path":"/attributes/site","value":"b",
                 "revision":3}""";
        String live = """
                {"topic":"plant.a/pump-7/things/live/commands/modify","path":"/attributes/site","value":"b"}""";

        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", event)).reason())
                .isEqualTo(IngestRefusal.UNSUPPORTED_SIGNAL);
        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", live)).reason())
                .isEqualTo(IngestRefusal.UNSUPPORTED_SIGNAL);
    }

    @Test
    void authorizationContextForgedInTheMessageHeadersIsReplacedByTheConnections() {
        String forged = """
                {"topic":"plant.a/pump-7/things/twin/commands/modify","path":"/attributes/site","value":"b",
                 "headers":{"ditto-auth-context":{"type":"pre-authenticated-http","subjects":["nginx:ditto"]},
                            "ditto-originator":"nginx:ditto"}}""";

        RecordMapping.Apply apply = (RecordMapping.Apply) mapper.map(honoRecord("plant.a:pump-7", "application/json", forged));

        assertThat(apply.command().getDittoHeaders().getAuthorizationContext().getAuthorizationSubjects())
                .containsExactly(AuthorizationSubject.newInstance("pre-authenticated:hono-connection"));
        assertThat(apply.command().getDittoHeaders()).doesNotContainKey("ditto-originator");
    }

    @Test
    void honoNotificationIsSkippedNotRefused() {
        RecordMapping.NotApplied skipped = refused(honoRecord("plant.a:pump-7",
                "application/vnd.eclipse-hono-empty-notification", "x"));

        assertThat(skipped.reason()).isEqualTo(IngestRefusal.HONO_NOTIFICATION);
        assertThat(skipped.reason().isBad()).isFalse();
    }

    @Test
    void messageWhoseTtlHasPassedIsSkippedAsExpired() {
        long tenSecondsAgo = NOW.toEpochMilli() - 10_000;

        assertThat(refused(honoRecord("plant.a:pump-7", "application/json", MERGE, 5_000L, tenSecondsAgo)).reason())
                .isEqualTo(IngestRefusal.EXPIRED);
        assertThat(mapper.map(honoRecord("plant.a:pump-7", "application/json", MERGE, 60_000L, tenSecondsAgo)))
                .isInstanceOf(RecordMapping.Apply.class);
    }
}
