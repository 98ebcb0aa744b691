package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.core.ditto.FeaturesMerge;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The device command shortcut (merge or modify of a device's own features) against the general path (Ditto's protocol adapter and the connection's header
 * handling): for every message it takes, the very same command (class, thing, path, value, headers in the
 * same order); every message the general path refuses, it leaves to the general path.
 */
class DeviceCommandShortcutTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final HonoConnectionSettings SETTINGS = new HonoConnectionSettings("localhost:9092", "group",
            List.of("pre-authenticated:hono-connection"));
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final String DEVICE = "plant.a:pump-7";
    private static final String OWN_MERGE_TOPIC = "plant.a/pump-7/things/twin/commands/merge";
    private static final String OWN_MODIFY_TOPIC = "plant.a/pump-7/things/twin/commands/modify";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final HonoRecordMapper mapper = new HonoRecordMapper(SETTINGS.authorizationContext(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final DeviceCommandShortcut shortcut = new DeviceCommandShortcut(SETTINGS.authorizationContext());

    // ---- what the shortcut leaves to the general path ----

    @Test
    void aMergeOfAnotherDevicesThingIsLeftToTheGeneralPathWhichRefusesItAsDeviceMismatch() {
        JsonObject message = merge("plant.a/pump-8/things/twin/commands/merge", "/features/vibration/properties",
                "{\"rms\":1}", "{\"content-type\":\"" + MERGE_PATCH + "\"}");

        assertThat(shortcut.map(message, DEVICE)).isEmpty();
        assertThat(refusal(message, DEVICE).reason()).isEqualTo(IngestRefusal.DEVICE_MISMATCH);
    }

    @Test
    void aTopicThatIsNotDittoProtocolIsLeftToTheGeneralPathWhichRefusesIt() {
        for (String topic : List.of("plant.a/pump-7/things/twin/commands/teleport", "plant.a/pump-7", "",
                "PLANT.A/pump-7/things/twin/commands/merge")) {
            JsonObject message = merge(topic, "/features/vibration/properties", "{\"rms\":1}", mergePatchHeaders());

            assertThat(shortcut.map(message, DEVICE)).as(topic).isEmpty();
            assertThat(refusal(message, DEVICE).reason()).as(topic).isIn(IngestRefusal.NOT_DITTO_PROTOCOL,
                    IngestRefusal.DEVICE_MISMATCH);
        }
    }

    @Test
    void invalidHeaderValuesAreLeftToTheGeneralPathWhichRefusesThemWithItsOwnMessage() {
        for (String headers : List.of("{\"content-type\":\"" + MERGE_PATCH + "\",\"correlation-id\":\"\"}",
                "{\"content-type\":\"" + MERGE_PATCH + "\",\"response-required\":\"maybe\"}",
                "{\"content-type\":\"" + MERGE_PATCH + "\",\"timeout\":\"forever\"}",
                "{\"content-type\":\"" + MERGE_PATCH + "\",\"if-match\":\"no quotes\"}")) {
            JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}", headers);

            assertThat(shortcut.map(message, DEVICE)).as(headers).isEmpty();
            assertThat(refusal(message, DEVICE).reason()).as(headers).isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
        }
    }

    @Test
    void aMergeWithoutTheMergePatchContentTypeIsLeftToTheGeneralPathWhichRefusesIt() {
        for (String headers : List.of("{}", "{\"content-type\":\"application/json\"}", "{\"content-type\":5}",
                "{\"correlation-id\":\"c-1\"}")) {
            JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}", headers);

            assertThat(shortcut.map(message, DEVICE)).as(headers).isEmpty();
            assertThat(refusal(message, DEVICE).reason()).as(headers).isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
        }
    }

    @Test
    void aPropertiesValueThatIsNoObjectIsLeftToTheGeneralPathWhichRefusesIt() {
        for (String topic : List.of(OWN_MERGE_TOPIC, OWN_MODIFY_TOPIC)) {
            for (String value : List.of("[1,2]", "\"text\"", "42", "true")) {
                JsonObject message = merge(topic, "/features/vibration/properties", value, mergePatchHeaders());

                assertThat(shortcut.map(message, DEVICE)).as(topic + " " + value).isEmpty();
                assertThat(refusal(message, DEVICE).reason()).as(topic + " " + value)
                        .isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
            }
        }
    }

    @Test
    void aModifyNeedsNoContentTypeAndIsTakenWithOrWithoutOne() {
        for (String headers : List.of("{}", "{\"content-type\":\"application/json\"}")) {
            JsonObject message = merge(OWN_MODIFY_TOPIC, "/features/vibration/properties/rms", "1", headers);

            ThingCommand<?> taken = shortcut.map(message, DEVICE).orElseThrow();

            assertSameCommand(taken, general(message, DEVICE), message);
        }
    }

    @Test
    void envelopeFieldsBeyondTopicHeadersPathAndValueAreLeftToTheGeneralPath() {
        for (String extra : List.of("\"revision\":3", "\"revision\":\"three\"", "\"status\":200", "\"extra\":{}",
                "\"timestamp\":\"yesterday\"", "\"fields\":\"a\"", "\"unknown\":1")) {
            JsonObject message = JsonFactory.newObject("{\"topic\":\"" + OWN_MERGE_TOPIC + "\",\"headers\":"
                    + mergePatchHeaders() + ",\"path\":\"/features/vibration/properties\",\"value\":{\"rms\":1},"
                    + extra + "}");

            assertThat(shortcut.map(message, DEVICE)).as(extra).isEmpty();
        }
    }

    @Test
    void headersTheAdapterRewritesOrKeysInUpperCaseAreLeftToTheGeneralPath() {
        for (String header : List.of("\"requested-acks\":[\"twin-persisted\"]", "\"requested-acks\":\"twin-persisted\"",
                "\"ditto-read-subjects\":[\"x:y\"]", "\"put-metadata\":[]", "\"Correlation-Id\":\"c-1\"",
                "\"Content-Type\":\"" + MERGE_PATCH + "\"")) {
            JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}",
                    "{\"content-type\":\"" + MERGE_PATCH + "\"," + header + "}");

            assertThat(shortcut.map(message, DEVICE)).as(header).isEmpty();
        }
    }

    @Test
    void pathsOutsideTheFeaturesAndOddlyWrittenPathsAreLeftToTheGeneralPath() {
        for (String path : List.of("/", "", "/attributes", "/attributes/site", "/policyId", "/definition",
                "/features/vibration", "/features/vibration/definition", "/features/vibration/desiredProperties",
                "features/vibration/properties", "/features/vibration/properties/", "//features",
                "/features//vibration/properties", "/features/vib~1ration/properties", "/foo")) {
            JsonObject message = merge(OWN_MERGE_TOPIC, path, "{\"rms\":1}", mergePatchHeaders());

            assertThat(shortcut.map(message, DEVICE)).as(path).isEmpty();
        }
    }

    @Test
    void thingIdsWithAnEmptyOrPlaceholderPartAreLeftToTheGeneralPath() {
        for (String device : List.of(":pump-7", "_:pump-7", "plant.a:_", "not-a-thing-id")) {
            JsonObject message = merge(topicOf(device), "/features/vibration/properties", "{\"rms\":1}",
                    mergePatchHeaders());

            assertThat(shortcut.map(message, device)).as(device).isEmpty();
        }
    }

    // ---- what the shortcut takes ----

    @Test
    void whatDevicesSendIsTakenByTheShortcutAndEqualsTheGeneralPathsCommand() {
        List<JsonObject> deviceMessages = List.of(
                JsonFactory.newObject(new FeaturesMerge(DEVICE, Map.of("vibration", Map.of("rms", 0.31, "ts",
                        "2025-01-01T00:00:00Z"), "temperature", Map.of("value", 41.5))).encode()),
                merge(OWN_MERGE_TOPIC, "/features/vibration/properties",
                        "{\"rms\":2.015,\"seq\":17,\"ts\":\"2025-01-01T00:00:00.123456789Z\"}", mergePatchHeaders()),
                merge(OWN_MERGE_TOPIC, "/features/vibration/properties/rms", "0.31",
                        "{\"content-type\":\"" + MERGE_PATCH + "\",\"correlation-id\":\"c-1\"}"),
                merge(OWN_MERGE_TOPIC, "/features/vibration/properties/nested/deep", "{\"a\":null}",
                        "{\"content-type\":\"application/merge-patch+json; charset=utf-8\",\"x-custom\":\"ü€\"}"),
                merge(OWN_MODIFY_TOPIC, "/features/vibration/properties", "{\"rms\":0.31}", "{}"),
                merge(OWN_MODIFY_TOPIC, "/features/vibration/properties/rms", "0.31",
                        "{\"content-type\":\"application/json\",\"correlation-id\":\"c-3\"}"),
                merge(OWN_MODIFY_TOPIC, "/features", "{\"vibration\":{\"properties\":{\"rms\":0.31}}}",
                        mergePatchHeaders()));

        for (JsonObject message : deviceMessages) {
            Optional<ThingCommand<?>> taken = shortcut.map(message, DEVICE);

            assertThat(taken).as(message.toString()).isPresent();
            assertSameCommand(taken.get(), general(message, DEVICE), message);
        }
    }

    @Test
    void headersDittoDoesNotAcceptFromOutsideAreDroppedAsByTheGeneralPath() {
        JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}",
                "{\"content-type\":\"" + MERGE_PATCH + "\",\"ditto-auth-context\":{\"type\":\"pre-authenticated-http\","
                        + "\"subjects\":[\"nginx:ditto\"]},\"ditto-originator\":\"nginx:ditto\","
                        + "\"ditto-entity-id\":\"thing:other:thing\",\"correlation-id\":\"c-2\"}");

        ThingCommand<?> taken = shortcut.map(message, DEVICE).orElseThrow();

        assertThat(taken.getDittoHeaders()).doesNotContainKeys("ditto-originator", "ditto-entity-id");
        assertThat(taken.getDittoHeaders().getAuthorizationContext().getAuthorizationSubjectIds())
                .containsExactly("pre-authenticated:hono-connection");
        assertSameCommand(taken, general(message, DEVICE), message);
    }

    @Test
    void aMessageWithoutCorrelationIdGetsAFreshRandomUuidEachTime() {
        JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}",
                mergePatchHeaders());

        String first = shortcut.map(message, DEVICE).orElseThrow().getDittoHeaders().getCorrelationId().orElseThrow();
        String second = shortcut.map(message, DEVICE).orElseThrow().getDittoHeaders().getCorrelationId().orElseThrow();

        assertThat(first).matches(UUID_FORM);
        assertThat(second).matches(UUID_FORM).isNotEqualTo(first);
    }

    /**
     * Thousands of messages combining valid and odd topics, paths, values, headers and device IDs: whenever
     * the shortcut takes one, the general path builds the same command; the records the mapper maps (shortcut
     * first) come out as the general path maps them, refusals with the same reason and detail.
     */
    @Test
    void manyMessagesValidAndOddMapExactlyAsThroughTheGeneralPath() {
        List<String> devices = List.of(DEVICE, "plant.a:pump-8", "plant.a:pümp 7", "a:b:c", "org.eclipse:ä€",
                "x:y");
        List<String> paths = List.of("/features/vibration/properties", "/features", "/features/vibration/properties/rms",
                "/features/vibration/properties/a/b/c", "/features/ü-ß 1/properties", "/features/vibration",
                "/attributes/site", "/", "/features/vibration/properties/", "/features//x", "/features/a~1b/properties",
                "/features/vibration/desiredProperties", "/features/x/properties/ü", "/features/a:b/properties");
        List<String> values = List.of("{\"rms\":0.31}", "{}", "null", "[1,2]", "\"str\"", "42", "-0.0", "1e308",
                "1234567890123456789", "{\"a\":{\"b\":null}}", "{\"ü\":\"€\\u0000\"}", "{\"a/b\":1}", "{\"\":1}",
                "{\"vibration\":{\"properties\":{\"rms\":1}}}", "{\"vibration\":\"x\"}", "{\"vibration\":{\"definition\":[\"a:b:1\"]}}",
                "true", "{\"deep\":{\"er\":{\"est\":[{\"x\":1}]}}}");
        List<String> headerEntries = List.of("", "\"correlation-id\":\"c-1\"", "\"correlation-id\":\"\"",
                "\"correlation-id\":42", "\"response-required\":false", "\"response-required\":\"maybe\"",
                "\"timeout\":\"5s\"", "\"timeout\":\"forever\"", "\"if-match\":\"*\"", "\"if-match\":\"\\\"rev:1\\\"\"",
                "\"if-match\":\"bad\"", "\"x-custom\":\"ü\"", "\"x-custom\":{\"nested\":1}", "\"x-custom\":[1,2]",
                "\"x-custom\":null", "\"ditto-entity-id\":\"thing:a:b\"", "\"ditto-originator\":\"x:y\"",
                "\"ditto-auth-context\":{\"type\":\"pre-authenticated-http\",\"subjects\":[\"nginx:ditto\"]}",
                "\"ditto-auth-context\":\"garbage\"", "\"requested-acks\":[\"twin-persisted\"]",
                "\"requested-acks\":\"twin-persisted, live-response\"", "\"ditto-read-subjects\":[\"a:b\"]",
                "\"channel\":\"live\"", "\"channel\":\"twin\"", "\"version\":1", "\"version\":2", "\"version\":\"x\"",
                "\"put-metadata\":[{\"key\":\"/x\",\"value\":1}]", "\"ditto-reply-target\":0",
                "\"Correlation-ID\":\"c-9\"", "\"subject\":\"s\"", "\"thing-id\":\"a:b\"", "\"status\":\"200\"",
                "\"ditto-weak-ack\":true", "\"condition\":\"eq(attributes/a,1)\"", "\"live-channel-condition\":\"x\"",
                "\"if-none-match\":\"*\"", "\"accept\":\"application/json\"");
        List<String> contentTypes = List.of("\"content-type\":\"" + MERGE_PATCH + "\"",
                "\"content-type\":\"application/merge-patch+json;charset=UTF-8\"", "\"content-type\":\"application/json\"",
                "\"content-type\":\"APPLICATION/MERGE-PATCH+JSON\"", "\"Content-Type\":\"" + MERGE_PATCH + "\"", "");
        List<String> actions = List.of("merge", "merge", "merge", "modify", "create", "retrieve");

        Random random = new Random(16);
        int taken = 0;
        int takenModifies = 0;
        int refused = 0;
        int messages = 6_000;
        for (int i = 0; i < messages; i++) {
            String device = pick(random, devices, 0);
            String topicDevice = random.nextInt(8) == 0 ? pick(random, devices, 0) : device;
            String topic = topicOf(topicDevice).replace("/merge", "/" + pick(random, actions, 1));
            if (random.nextInt(20) == 0) {
                topic = topic.replace("/twin/", "/live/");
            }
            List<String> entries = new ArrayList<>();
            String contentType = pick(random, contentTypes, 2);
            if (!contentType.isEmpty()) {
                entries.add(contentType);
            }
            for (int h = random.nextInt(4); h > 0; h--) {
                String entry = pick(random, headerEntries, 2);
                if (!entry.isEmpty() && entries.stream().noneMatch(e -> e.startsWith(entry.substring(0, entry.indexOf(':'))))) {
                    entries.add(random.nextInt(entries.size() + 1), entry);
                }
            }
            StringBuilder json = new StringBuilder("{\"topic\":").append(JsonValue.of(topic));
            if (random.nextInt(30) != 0) {
                json.append(",\"headers\":{").append(String.join(",", entries)).append('}');
            }
            json.append(",\"path\":").append(JsonValue.of(pick(random, paths, 5)));
            if (random.nextInt(30) != 0) {
                json.append(",\"value\":").append(pick(random, values, 2));
            }
            if (random.nextInt(30) == 0) {
                json.append(",\"revision\":").append(random.nextInt(5));
            }
            String text = json.append('}').toString();
            JsonObject message;
            try {
                message = JsonFactory.newObject(text);
            } catch (RuntimeException e) {
                // e.g. an empty key, which Ditto's JSON does not accept: refused before either path
                assertThat(((RecordMapping.NotApplied) mapper.map(record(device, text))).reason())
                        .isEqualTo(IngestRefusal.NOT_JSON);
                continue;
            }

            RecordMapping general = mapper.mapThroughProtocolAdapter(message, device, origin(device));
            Optional<ThingCommand<?>> shortcutCommand = shortcut.map(message, device);
            if (shortcutCommand.isPresent()) {
                taken++;
                takenModifies += shortcutCommand.get() instanceof MergeThing ? 0 : 1;
                assertThat(general).as(message.toString()).isInstanceOf(RecordMapping.Apply.class);
                assertSameCommand(shortcutCommand.get(), ((RecordMapping.Apply) general).command(), message);
            }
            RecordMapping mapped = mapper.map(record(device, message.toString()));
            if (general instanceof RecordMapping.NotApplied expected) {
                refused++;
                assertThat(mapped).as(message.toString()).isInstanceOf(RecordMapping.NotApplied.class);
                RecordMapping.NotApplied actual = (RecordMapping.NotApplied) mapped;
                assertThat(actual.reason()).as(message.toString()).isEqualTo(expected.reason());
                assertThat(actual.detail()).as(message.toString()).isEqualTo(expected.detail());
            } else {
                assertThat(mapped).as(message.toString()).isInstanceOf(RecordMapping.Apply.class);
                assertSameCommand(((RecordMapping.Apply) mapped).command(), ((RecordMapping.Apply) general).command(),
                        message);
            }
        }
        // the mix exercises both sides: many taken, many refused (and every refusal left to the general path)
        assertThat(taken).isGreaterThan(messages / 20);
        assertThat(takenModifies).isGreaterThan(messages / 200);
        assertThat(refused).isGreaterThan(messages / 4);
    }

    /**
     * Thousands of message texts as devices may write them — white space between tokens, fields in any order,
     * escapes — with random damage (characters inserted, deleted or replaced, fields doubled): every text maps
     * as the general path (the whole text parsed by Ditto's parser, then the protocol adapter) maps it, so the
     * shortcut's reading of the text never takes what is not JSON or not the same message.
     */
    @Test
    void manyMessageTextsWrittenOddlyOrDamagedMapExactlyAsThroughTheGeneralPath() {
        List<String> fieldOrders = List.of("THPV", "TPHV", "VPHT", "HTVP", "TPV", "PVT");
        List<String> headerTexts = List.of("{\"content-type\":\"" + MERGE_PATCH + "\"}",
                "{ \"content-type\" : \"" + MERGE_PATCH + "\" }", "{\"content-type\":\"application/merge-patch\\u002bjson\"}",
                "{\"content-type\":\"" + MERGE_PATCH + "\",\"correlation-id\":\"c-\\\"1\"}",
                "{\"x-custom\":\"}{][\",\"content-type\":\"" + MERGE_PATCH + "\"}", "{}");
        List<String> values = List.of("{\"rms\":2.010,\"seq\":17,\"ts\":\"2026-12-07T05:39:13.540123456Z\"}",
                "{ \"rms\" : 1 , \"note\" : \"a \\\" } ] quote\" }", "{\"a\":{\"b\":[1,2,{\"c\":null}]}}", "0.31",
                "\"text\"", "{\"\\u00fc\":\"\\n\"}", "-0.0", "{}");
        List<String> paths = List.of("/features/vibration/properties", "/features/vibration/properties/rms",
                "/features", "/features/vib\\u0072ation/properties", "/attributes/x");
        String noise = " \t\n\r{}[]\",:\\0a-\u00a0\u000b";
        Random random = new Random(1616);
        int taken = 0;
        int refusedAsNotJson = 0;
        int messages = 6_000;
        for (int i = 0; i < messages; i++) {
            String device = random.nextInt(10) == 0 ? "plant.a:pump-8" : DEVICE;
            String action = random.nextInt(4) == 0 ? "modify" : "merge";
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "{" : " {\n");
            String order = fieldOrders.get(random.nextInt(fieldOrders.size()));
            for (int f = 0; f < order.length(); f++) {
                text.append(f == 0 ? "" : random.nextBoolean() ? "," : " ,\t");
                text.append(switch (order.charAt(f)) {
                    case 'T' -> "\"topic\":\"plant.a/pump-7/things/twin/commands/" + action + "\"";
                    case 'H' -> "\"headers\":" + headerTexts.get(random.nextInt(headerTexts.size()));
                    case 'P' -> "\"path\" : \"" + paths.get(random.nextInt(paths.size())) + "\"";
                    default -> "\"value\":" + values.get(random.nextInt(values.size()));
                });
            }
            text.append(random.nextBoolean() ? "}" : "}" + " ".repeat(random.nextInt(80)));
            for (int damage = random.nextInt(3) == 0 ? 0 : random.nextInt(3); damage > 0; damage--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(4)) {
                    case 0 -> text.insert(at, noise.charAt(random.nextInt(noise.length())));
                    case 1 -> text.deleteCharAt(at);
                    case 2 -> text.setCharAt(at, noise.charAt(random.nextInt(noise.length())));
                    default -> text.insert(1, "\"value\":1,");
                }
            }
            String payload = text.toString();

            RecordMapping expected;
            try {
                expected = mapper.mapThroughProtocolAdapter(JsonFactory.newObject(payload), device, origin(device));
            } catch (RuntimeException notJson) {
                expected = new RecordMapping.NotApplied(origin(device), IngestRefusal.NOT_JSON,
                        "the payload is not a JSON object: " + notJson.getMessage());
                refusedAsNotJson++;
            }
            taken += shortcut.map(payload, device).isPresent() ? 1 : 0;
            RecordMapping mapped = mapper.map(record(device, payload));

            if (expected instanceof RecordMapping.NotApplied refusal) {
                assertThat(mapped).as(payload).isInstanceOf(RecordMapping.NotApplied.class);
                assertThat(((RecordMapping.NotApplied) mapped).reason()).as(payload).isEqualTo(refusal.reason());
                assertThat(((RecordMapping.NotApplied) mapped).detail()).as(payload).isEqualTo(refusal.detail());
            } else {
                assertThat(mapped).as(payload).isInstanceOf(RecordMapping.Apply.class);
                assertSameCommand(((RecordMapping.Apply) mapped).command(), ((RecordMapping.Apply) expected).command(),
                        JsonFactory.newObject(payload));
            }
        }
        assertThat(taken).isGreaterThan(messages / 20);
        assertThat(refusedAsNotJson).isGreaterThan(messages / 10);
    }

    // ---- what the shortcut remembers: device things and header sets ----

    @Test
    void headerSetsWithTheSameEntriesInAnotherOrderKeepTheirOwnOrder() {
        String contentTypeFirst = "{\"content-type\":\"" + MERGE_PATCH + "\",\"x-custom\":\"a\",\"timeout\":\"5s\"}";
        String customFirst = "{\"x-custom\":\"a\",\"timeout\":\"5s\",\"content-type\":\"" + MERGE_PATCH + "\"}";

        for (int round = 0; round < 2; round++) {
            for (String headers : List.of(contentTypeFirst, customFirst)) {
                JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}", headers);

                assertSameCommand(shortcut.map(message, DEVICE).orElseThrow(), general(message, DEVICE), message);
            }
        }
    }

    @Test
    void aRememberedHeaderSetStillRefusesAMergeWithoutMergePatchButTakesAModify() {
        String headers = "{\"content-type\":\"application/json\"}";
        JsonObject modify = merge(OWN_MODIFY_TOPIC, "/features/vibration/properties", "{\"rms\":1}", headers);
        JsonObject merge = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}", headers);

        assertSameCommand(shortcut.map(modify, DEVICE).orElseThrow(), general(modify, DEVICE), modify);
        assertThat(shortcut.map(merge, DEVICE)).isEmpty();
        assertThat(refusal(merge, DEVICE).reason()).isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
        assertSameCommand(shortcut.map(modify, DEVICE).orElseThrow(), general(modify, DEVICE), modify);
    }

    @Test
    void rememberedInvalidHeadersAndDeviceIdsAreLeftToTheGeneralPathEveryTime() {
        JsonObject badHeaders = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}",
                "{\"content-type\":\"" + MERGE_PATCH + "\",\"timeout\":\"forever\"}");
        JsonObject badDevice = merge(topicOf("not-a-thing-id"), "/features/vibration/properties", "{\"rms\":1}",
                mergePatchHeaders());

        for (int round = 0; round < 3; round++) {
            assertThat(shortcut.map(badHeaders, DEVICE)).isEmpty();
            assertThat(refusal(badHeaders, DEVICE).reason()).isEqualTo(IngestRefusal.NOT_DITTO_PROTOCOL);
            assertThat(shortcut.map(badDevice, "not-a-thing-id")).isEmpty();
        }
    }

    @Test
    void messagesWithTheirOwnCorrelationIdsKeepThemWhileTheSameHeadersWithoutOneGetFreshOnes() {
        for (int i = 0; i < 50; i++) {
            JsonObject own = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":" + i + "}",
                    "{\"content-type\":\"" + MERGE_PATCH + "\",\"correlation-id\":\"c-" + i + "\"}");
            JsonObject none = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":" + i + "}",
                    mergePatchHeaders());

            ThingCommand<?> withOwn = shortcut.map(own, DEVICE).orElseThrow();
            ThingCommand<?> withFresh = shortcut.map(none, DEVICE).orElseThrow();

            assertThat(withOwn.getDittoHeaders().getCorrelationId()).contains("c-" + i);
            assertSameCommand(withOwn, general(own, DEVICE), own);
            assertThat(withFresh.getDittoHeaders().getCorrelationId().orElseThrow()).matches(UUID_FORM);
            assertSameCommand(withFresh, general(none, DEVICE), none);
        }
    }

    @Test
    void aConnectionWithTwoSubjectsGetsBothInEveryCommandAsThroughTheGeneralPath() {
        HonoConnectionSettings twoSubjects = new HonoConnectionSettings("localhost:9092", "group",
                List.of("pre-authenticated:hono-connection", "integration:plant-a"));
        HonoRecordMapper twoSubjectMapper = new HonoRecordMapper(twoSubjects.authorizationContext(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        DeviceCommandShortcut twoSubjectShortcut = new DeviceCommandShortcut(twoSubjects.authorizationContext());
        JsonObject message = merge(OWN_MERGE_TOPIC, "/features/vibration/properties", "{\"rms\":1}",
                mergePatchHeaders());

        for (int round = 0; round < 2; round++) {
            ThingCommand<?> taken = twoSubjectShortcut.map(message, DEVICE).orElseThrow();
            RecordMapping general = twoSubjectMapper.mapThroughProtocolAdapter(message, DEVICE, origin(DEVICE));

            assertThat(taken.getDittoHeaders().getAuthorizationContext().getAuthorizationSubjectIds())
                    .containsExactly("pre-authenticated:hono-connection", "integration:plant-a");
            assertSameCommand(taken, ((RecordMapping.Apply) general).command(), message);
            // the single-subject shortcut remembers the same headers with its own subject
            assertThat(shortcut.map(message, DEVICE).orElseThrow().getDittoHeaders().getAuthorizationContext()
                    .getAuthorizationSubjectIds()).containsExactly("pre-authenticated:hono-connection");
        }
    }

    @Test
    void moreDevicesThanTheCacheHoldsAreAllMappedAsThroughTheGeneralPathAndTheCacheStaysBounded() {
        int devices = DeviceCommandShortcut.MAX_DEVICE_THINGS + 100;
        for (int d = 0; d < devices; d++) {
            String device = "plant.a:pump-" + d;
            JsonObject message = merge(topicOf(device), "/features/vibration/properties", "{\"rms\":" + d + "}",
                    mergePatchHeaders());
            ThingCommand<?> taken = shortcut.map(message, device).orElseThrow();
            if (d % 997 == 0 || d >= devices - 3) {
                assertSameCommand(taken, general(message, device), message);
            } else {
                assertThat(taken.getEntityId().toString()).isEqualTo(device);
            }
            assertThat(shortcut.rememberedDevices()).isLessThanOrEqualTo(DeviceCommandShortcut.MAX_DEVICE_THINGS);
        }
        // the first device again, most likely forgotten by now
        JsonObject first = merge(topicOf("plant.a:pump-0"), "/features/vibration/properties", "{\"rms\":0}",
                mergePatchHeaders());
        assertSameCommand(shortcut.map(first, "plant.a:pump-0").orElseThrow(), general(first, "plant.a:pump-0"), first);
    }

    @Test
    void validatedHeadersRefuseAnEmptyOrSecondCorrelationId() {
        DittoHeaders validated = DittoHeaders.newBuilder().contentType(MERGE_PATCH)
                .authorizationContext(SETTINGS.authorizationContext()).build();
        DittoHeaders withOne = DittoHeaders.newBuilder(validated).correlationId("c-1").build();

        assertThatThrownBy(() -> ValidatedDittoHeaders.withCorrelationId(validated.asCaseSensitiveMap(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValidatedDittoHeaders.withCorrelationId(withOne.asCaseSensitiveMap(), "c-2"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatedHeadersEqualWhatDittosBuilderMakesOfTheSameEntries() {
        DittoHeaders validated = DittoHeaders.newBuilder().contentType(MERGE_PATCH).putHeader("x-custom", "ü€")
                .timeout("5s").authorizationContext(SETTINGS.authorizationContext()).build();

        DittoHeaders fast = ValidatedDittoHeaders.withCorrelationId(validated.asCaseSensitiveMap(), "c-1");
        DittoHeaders built = validated.toBuilder().correlationId("c-1").build();

        assertThat(fast).isEqualTo(built);
        assertThat(built).isEqualTo(fast);
        assertThat(fast.hashCode()).isEqualTo(built.hashCode());
        assertThat(fast.toJson().toString()).isEqualTo(built.toJson().toString());
        assertThat(fast.asCaseSensitiveMap()).containsExactlyEntriesOf(built.asCaseSensitiveMap());
        assertThat(fast.getTimeout()).isEqualTo(built.getTimeout());
        assertThat(fast.getAuthorizationContext()).isEqualTo(built.getAuthorizationContext());
        assertThat(fast.toBuilder().build()).isEqualTo(built);
    }

    // ---- helpers ----

    /** Half of the time one of the first {@code usual} elements (what devices send), else any element. */
    private static String pick(Random random, List<String> choices, int usual) {
        return usual > 0 && random.nextBoolean() ? choices.get(random.nextInt(usual))
                : choices.get(random.nextInt(choices.size()));
    }

    private static void assertSameCommand(ThingCommand<?> actual, ThingCommand<?> expected, JsonObject message) {
        ThingCommand<?> actualComparable = withFixedGeneratedCorrelationId(actual, message);
        ThingCommand<?> expectedComparable = withFixedGeneratedCorrelationId(expected, message);
        assertThat(actualComparable.getClass()).as(message.toString()).isEqualTo(expectedComparable.getClass());
        assertThat(actualComparable).as(message.toString()).isEqualTo(expectedComparable);
        assertThat(actualComparable.toJsonString()).as(message.toString()).isEqualTo(expectedComparable.toJsonString());
        assertThat(actualComparable.getDittoHeaders().toJson().toString()).as(message.toString())
                .isEqualTo(expectedComparable.getDittoHeaders().toJson().toString());
        assertThat(actualComparable.getDittoHeaders().asCaseSensitiveMap()).as(message.toString())
                .containsExactlyEntriesOf(expectedComparable.getDittoHeaders().asCaseSensitiveMap());
        if (actual instanceof MergeThing merge) {
            assertThat((Object) merge.getPath()).isEqualTo(((MergeThing) expected).getPath());
            assertThat(merge.getValue()).isEqualTo(((MergeThing) expected).getValue());
        }
    }

    /** Both paths make up a random correlation ID when the message has none: check its form, then fix it. */
    private static ThingCommand<?> withFixedGeneratedCorrelationId(ThingCommand<?> command, JsonObject message) {
        boolean messageHasOne = message.getValue("headers").filter(JsonValue::isObject)
                .map(headers -> headers.asObject().getKeys().stream()
                        .anyMatch(key -> key.toString().equalsIgnoreCase("correlation-id")))
                .orElse(false);
        if (messageHasOne) {
            return command;
        }
        DittoHeaders headers = command.getDittoHeaders();
        assertThat(headers.getCorrelationId().orElseThrow()).as(message.toString()).matches(UUID_FORM);
        return (ThingCommand<?>) command.setDittoHeaders(headers.toBuilder().correlationId("generated").build());
    }

    private RecordMapping.NotApplied refusal(JsonObject message, String device) {
        RecordMapping mapped = mapper.map(record(device, message.toString()));
        RecordMapping general = mapper.mapThroughProtocolAdapter(message, device, origin(device));
        assertThat(mapped).isInstanceOf(RecordMapping.NotApplied.class);
        assertThat(general).isInstanceOf(RecordMapping.NotApplied.class);
        RecordMapping.NotApplied refusal = (RecordMapping.NotApplied) mapped;
        assertThat(refusal.reason()).isEqualTo(((RecordMapping.NotApplied) general).reason());
        assertThat(refusal.detail()).isEqualTo(((RecordMapping.NotApplied) general).detail());
        return refusal;
    }

    private ThingCommand<?> general(JsonObject message, String device) {
        RecordMapping general = mapper.mapThroughProtocolAdapter(message, device, origin(device));
        assertThat(general).as(message.toString()).isInstanceOf(RecordMapping.Apply.class);
        return ((RecordMapping.Apply) general).command();
    }

    private static RecordOrigin origin(String device) {
        return new RecordOrigin("plant-tenant", device, "hono.telemetry.plant-tenant", 0, 42L);
    }

    private static ConsumerRecord<String, byte[]> record(String device, String payload) {
        ProducerRecord<String, byte[]> produced = HonoRecords.downstream(HonoTopic.Type.TELEMETRY, "plant-tenant",
                device, "application/vnd.eclipse.ditto+json", 0, null, "telemetry", false,
                payload.getBytes(StandardCharsets.UTF_8), NOW.toEpochMilli());
        return new ConsumerRecord<>(produced.topic(), 0, 42L, NOW.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, produced.key(), produced.value(), produced.headers(), Optional.empty());
    }

    private static String topicOf(String device) {
        int colon = device.indexOf(':');
        return colon < 0 ? device + "/things/twin/commands/merge"
                : device.substring(0, colon) + "/" + device.substring(colon + 1) + "/things/twin/commands/merge";
    }

    private static String mergePatchHeaders() {
        return "{\"content-type\":\"" + MERGE_PATCH + "\"}";
    }

    private static JsonObject merge(String topic, String path, String value, String headers) {
        JsonObjectBuilder builder = JsonObject.newBuilder().set("topic", topic);
        builder.set("headers", JsonFactory.newObject(headers));
        return builder.set("path", path).set("value", JsonFactory.readFrom(value)).build();
    }
}
