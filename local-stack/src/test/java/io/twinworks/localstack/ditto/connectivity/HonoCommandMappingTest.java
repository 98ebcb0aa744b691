package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.localstack.ditto.service.DittoSignals;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommandResponse;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RawMessage command contract, record by record. */
class HonoCommandMappingTest {

    private static final ThingId PUMP = ThingId.of("plant.a:pump-1");

    private static Signal<?> message(String subject, String contentType, JsonValue value) {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId("c-1").contentType(contentType).build();
        var topic = ProtocolFactory.newTopicPathBuilder(PUMP).things().live().messages().subject(subject).build();
        return DittoSignals.PROTOCOL_ADAPTER.fromAdaptable(ProtocolFactory.newAdaptableBuilder(topic)
                .withPayload(ProtocolFactory.newPayloadBuilder(JsonPointer.of("/inbox/messages/" + subject))
                        .withValue(value).build())
                .withHeaders(headers).build());
    }

    private static String header(ProducerRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, byte[]> responseRecord(String deviceId, Map<String, String> headers, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("hono.command_response.plant.a", 0, 0, deviceId, value);
        headers.forEach((key, v) -> record.headers().add(new RecordHeader(key, v.getBytes(StandardCharsets.UTF_8))));
        return record;
    }

    @Test
    void aJsonMessageGoesOutAsItsBarePayloadWithHonosCommandHeaders() {
        Signal<?> message = message("setSpeed", "application/json",
                org.eclipse.ditto.json.JsonFactory.newObject("{\"rpm\":1500}"));

        ProducerRecord<String, byte[]> record = HonoCommandMapping.commandRecord(message, PUMP, "c-1", true);

        assertThat(record.topic()).isEqualTo("hono.command.plant.a");
        assertThat(record.key()).isEqualTo("plant.a:pump-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"rpm\":1500}");
        assertThat(header(record, "device_id")).isEqualTo("plant.a:pump-1");
        assertThat(header(record, "subject")).isEqualTo("setSpeed");
        assertThat(header(record, "correlation-id")).isEqualTo("c-1");
        assertThat(header(record, "response-required")).isEqualTo("true");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
    }

    @Test
    void aBinaryMessageGoesOutAsItsBytes() {
        byte[] bytes = {1, 2, (byte) 0xff};
        Signal<?> binary = message("firmware", "application/octet-stream",
                JsonValue.of(Base64.getEncoder().encodeToString(bytes)));

        ProducerRecord<String, byte[]> record = HonoCommandMapping.commandRecord(binary, PUMP, "c-1", false);

        assertThat(record.value()).containsExactly(bytes);
        assertThat(header(record, "content-type")).isEqualTo("application/octet-stream");
        assertThat(header(record, "response-required")).isEqualTo("false");
    }

    @Test
    void aTextMessageGoesOutAsItsText() {
        Signal<?> text = message("display", "text/plain; charset=UTF-8", JsonValue.of("hi there"));

        ProducerRecord<String, byte[]> record = HonoCommandMapping.commandRecord(text, PUMP, "c-2", true);

        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("hi there");
        assertThat(header(record, "content-type")).isEqualTo("text/plain; charset=UTF-8");
    }

    @Test
    void aResponseBecomesTheMessageResponseWithHonosStatusAndTheDevicesContentType() {
        Signal<?> message = message("setSpeed", "application/json", org.eclipse.ditto.json.JsonFactory.newObject("{}"));
        var sent = HonoCommandMapping.sent(message, PUMP, "c-1");

        CommandResponse<?> response = HonoCommandMapping.response(responseRecord("plant.a:pump-1",
                Map.of("status", "202", "correlation-id", "c-1", "content-type", "application/json"),
                "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8)), sent);

        assertThat(response).isInstanceOf(MessageCommandResponse.class);
        assertThat(response.getHttpStatus()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(response.getDittoHeaders().getCorrelationId()).contains("c-1");
        assertThat(response.getDittoHeaders().getContentType()).contains("application/json");
        assertThat(((MessageCommandResponse<?, ?>) response).getMessage().getPayload().map(Object::toString))
                .contains("{\"accepted\":true}");
    }

    @Test
    void aResponseWithoutStatusOfAnotherDeviceOrWithBrokenJsonIsUnmappable() {
        var sent = HonoCommandMapping.sent(message("setSpeed", "application/json",
                org.eclipse.ditto.json.JsonFactory.newObject("{}")), PUMP, "c-1");
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> HonoCommandMapping.response(responseRecord("plant.a:pump-1",
                Map.of("content-type", "application/json"), json), sent))
                .hasFieldOrPropertyWithValue("reason", "no-status");
        assertThatThrownBy(() -> HonoCommandMapping.response(responseRecord("plant.a:pump-2",
                Map.of("status", "200"), json), sent))
                .hasFieldOrPropertyWithValue("reason", "other-device");
        assertThatThrownBy(() -> HonoCommandMapping.response(responseRecord("plant.a:pump-1",
                Map.of("status", "200", "content-type", "application/json"), "{oops".getBytes(StandardCharsets.UTF_8)), sent))
                .hasFieldOrPropertyWithValue("reason", "invalid-json");
    }
}
