package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.PolicyDecisions;
import io.twinworks.localstack.ditto.model.StoredPolicies;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.service.DittoSignals;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.headers.HeaderDefinition;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.MessageHeaderDefinition;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.Test;


import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frames {@link EventFrames} writes without Ditto's adapter against the general path ({@link GeneralEventPath}:
 * outgoing headers, Ditto's adapter, Ditto's JSON): byte for byte for every event it writes, and it writes every
 * event except those it is meant to leave to the adapter.
 */
class EventFramesTest {

    private static final ThingId THING = ThingId.of("plant.a:pump-7");
    private static final Instant MODIFIED = Instant.parse("2026-12-07T03:00:00.123Z");
    private static final JsonPointer RMS = JsonPointer.of("/features/vibration/properties/rms");

    /** Odd strings for keys, names and header values: quotes, escapes, control characters, unicode, JSON look-alikes. */
    private static final List<String> ODD_TEXTS = List.of("plain", "ünïcödé", "quote\"d", "back\\slash",
            "tab\tnew\nline\r", "ctl\u0001\u001f\u007f", "emoji 😀 and lone \ud83d", "~0~1 tilde", "[\"a\",\"b\"]",
            "{\"k\":1}", "true", "123", "-12.5e3", " ", "/slash/ed", "\u2028\u2029", "x".repeat(3000), "", "a:b",
            "\b\f");

    // ------------------------------------------------------------------ refusals first

    @Test
    void anEventOnTheLiveChannelIsLeftToTheAdapter() {
        ThingEvent<?> live = merged(DittoHeaders.newBuilder().correlationId("c").channel("live").build());

        assertThat(EventFrames.write(live, JsonObject.empty())).isNull();
        assertThat(new OutgoingEvent(change(live)).frame()).isEqualTo(GeneralEventPath.frame(live, JsonObject.empty()))
                .contains("/things/live/events/merged");
    }

    @Test
    void customAcknowledgementRequestsAreLeftToTheAdapterWhichRebuildsThemAsASet() {
        ThingEvent<?> acked = merged(DittoHeaders.newBuilder().correlationId("c")
                .acknowledgementRequest(AcknowledgementRequest.of(DittoAcknowledgementLabel.TWIN_PERSISTED),
                        AcknowledgementRequest.parseAcknowledgementRequest("custom-ack"))
                .build());

        assertThat(EventFrames.write(acked, JsonObject.empty())).isNull();
        assertThat(new OutgoingEvent(change(acked)).frame())
                .isEqualTo(GeneralEventPath.frame(acked, JsonObject.empty())).contains("custom-ack");
    }

    @Test
    void metadataToPutIsLeftToTheAdapter() {
        ThingEvent<?> withMetadata = merged(DittoHeaders.newBuilder().correlationId("c")
                .putHeader(DittoHeaderDefinition.PUT_METADATA.getKey(), "[{\"key\":\"/issuedBy\",\"value\":\"me\"}]")
                .build());

        assertThat(EventFrames.write(withMetadata, JsonObject.empty())).isNull();
        assertThat(new OutgoingEvent(change(withMetadata)).frame())
                .isEqualTo(GeneralEventPath.frame(withMetadata, JsonObject.empty()));
    }

    @Test
    void headerNamesWithUpperCaseSlashesOrNonAsciiAreLeftToTheAdapter() {
        for (String name : List.of("X-Upper", "a/b", "ümlaut")) {
            ThingEvent<?> event = merged(DittoHeaders.newBuilder().correlationId("c").putHeader(name, "v").build());

            assertThat(EventFrames.write(event, JsonObject.empty())).as(name).isNull();
            assertThat(new OutgoingEvent(change(event)).frame()).as(name)
                    .isEqualTo(GeneralEventPath.frame(event, JsonObject.empty()));
        }
    }

    @Test
    void builtInAcknowledgementRequestsAloneAreDroppedAsTheAdapterDropsThem() {
        ThingEvent<?> event = merged(DittoHeaders.newBuilder().correlationId("c").responseRequired(true)
                .acknowledgementRequest(AcknowledgementRequest.of(DittoAcknowledgementLabel.TWIN_PERSISTED),
                        AcknowledgementRequest.of(DittoAcknowledgementLabel.LIVE_RESPONSE))
                .build());

        String written = EventFrames.write(event, JsonObject.empty());

        assertThat(written).isEqualTo(GeneralEventPath.frame(event, JsonObject.empty()))
                .doesNotContain("requested-acks").contains("\"response-required\":false");
    }

    @Test
    void stringsAreEscapedAsDittoJsonEscapesThem() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            every.append(c);
        }
        List<String> texts = new ArrayList<>(ODD_TEXTS);
        texts.add(every.toString());
        texts.add("\udc00\ud800 reversed surrogates");
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            texts.add(randomText(random));
        }
        for (String text : texts) {
            StringBuilder written = new StringBuilder();
            EventFrames.appendString(written, text);
            assertThat(written.toString()).isEqualTo(JsonValue.of(text).toString());
        }
    }

    @Test
    void pathsAreWrittenAsDittosPointersWriteThemselves() {
        Random random = new Random(3);
        List<JsonPointer> pointers = new ArrayList<>(List.of(JsonPointer.empty(), JsonPointer.of("/a~0b/~1/~"),
                JsonPointer.of("/features/vibration/properties")));
        for (int i = 0; i < 2000; i++) {
            pointers.add(randomResourcePath(random));
        }
        for (JsonPointer pointer : pointers) {
            assertThat(EventFrames.pointerText(pointer)).isEqualTo(pointer.toString());
        }
    }

    // ------------------------------------------------------------------ the written frame is the adapter's

    @Test
    void seededRandomEventsOfEveryKindAreWrittenByteForByteAsTheGeneralPathWritesThem() {
        Random random = new Random(16);
        List<Map.Entry<String, String>> definedHeaders = validValuesOfEveryDefinedHeader();
        Map<String, Integer> writtenPerType = new TreeMap<>();
        Map<String, Integer> leftPerType = new TreeMap<>();
        int compared = 0;
        while (compared < 10_000) {
            Headers headers = randomHeaders(random, definedHeaders);
            ThingEvent<?> event = randomEvent(random, headers.value);
            if (event == null) {
                continue;
            }
            JsonObject extra = random.nextInt(5) == 0 ? randomObject(random, 2) : JsonObject.empty();
            Object expected = resultOrFailure(() -> GeneralEventPath.frame(event, extra));
            Object written = resultOrFailure(() -> EventFrames.write(event, extra));
            String what = event.getType() + " " + event.getResourcePath() + " " + event.getDittoHeaders();
            if (headers.leftToTheAdapter) {
                assertThat(written).as(what).isNull();
                leftPerType.merge(event.getType(), 1, Integer::sum);
            } else {
                assertThat(written).as(what).isEqualTo(expected);
                writtenPerType.merge(event.getType(), 1, Integer::sum);
            }
            assertThat(resultOrFailure(() -> new OutgoingEvent(change(event)).frameWith(extra))).as(what)
                    .isEqualTo(expected);
            compared++;
        }
        // every event type the twin service emits, created/modified/deleted at every resource and merged anywhere
        assertThat(writtenPerType.keySet()).as("written: %s, left to the adapter: %s", writtenPerType, leftPerType)
                .contains("things.events:thingMerged", "things.events:thingCreated", "things.events:thingModified",
                        "things.events:thingDeleted", "things.events:featurePropertyModified",
                        "things.events:featurePropertyCreated", "things.events:featurePropertyDeleted",
                        "things.events:featurePropertiesModified", "things.events:featureModified",
                        "things.events:featuresModified", "things.events:attributeModified",
                        "things.events:attributesModified", "things.events:policyIdModified",
                        "things.events:definitionModified", "things.events:featureDefinitionModified",
                        "things.events:featureDesiredPropertyModified",
                        "things.events:featureDesiredPropertiesModified");
        assertThat(writtenPerType.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(compared / 2);
    }

    // ------------------------------------------------------------------ random events

    /** The event's headers and whether they make the writer leave the event to the adapter. */
    private record Headers(DittoHeaders value, boolean leftToTheAdapter) {
    }

    private static ThingEvent<?> randomEvent(Random random, DittoHeaders headers) {
        ThingId thingId = randomThingId(random);
        long revision = random.nextInt(4) == 0 ? random.nextLong() & Long.MAX_VALUE : 1 + random.nextInt(1000);
        Instant timestamp = switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochSecond(random.nextInt(2_000_000_000));
            default -> Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
        };
        try {
            if (random.nextInt(3) == 0) {
                JsonPointer path = random.nextBoolean() ? RMS : randomResourcePath(random);
                return ThingMerged.of(thingId, path, randomValue(random, 3), revision, timestamp, headers, null);
            }
            Action action = List.of(Action.CREATE, Action.MODIFY, Action.MODIFY, Action.DELETE)
                    .get(random.nextInt(4));
            JsonPointer path = randomResourcePath(random);
            JsonValue value = action == Action.DELETE ? null : valueFitting(random, thingId, path);
            return DittoSignals.thingEvent(thingId, action, action == Action.CREATE, path, value, revision,
                    timestamp == null ? MODIFIED : timestamp, headers);
        } catch (RuntimeException invalidCombination) {
            // e.g. a deleted policy ID or a key Ditto refuses: not an event the twin service can emit
            return null;
        }
    }

    private static ThingId randomThingId(Random random) {
        String name = random.nextInt(3) == 0 ? ODD_TEXTS.get(random.nextInt(ODD_TEXTS.size())) : "pump-" + random.nextInt(9);
        String namespace = List.of("plant.a", "org.eclipse.ditto", "a", "").get(random.nextInt(4));
        try {
            return ThingId.of(namespace, name);
        } catch (RuntimeException notAThingId) {
            return THING;
        }
    }

    private static JsonPointer randomResourcePath(Random random) {
        String feature = randomKey(random);
        return switch (random.nextInt(14)) {
            case 0 -> JsonPointer.empty();
            case 1 -> JsonPointer.of("/policyId");
            case 2 -> JsonPointer.of("/definition");
            case 3 -> JsonPointer.of("/attributes");
            case 4 -> JsonPointer.of("/attributes").addLeaf(JsonKey.of(randomKey(random)))
                    .append(random.nextBoolean() ? JsonPointer.empty() : JsonPointer.of(randomKey(random)));
            case 5 -> JsonPointer.of("/features");
            case 6 -> JsonPointer.of("/features").addLeaf(JsonKey.of(feature));
            case 7 -> JsonPointer.of("/features").addLeaf(JsonKey.of(feature)).addLeaf(JsonKey.of("definition"));
            case 8 -> JsonPointer.of("/features").addLeaf(JsonKey.of(feature)).addLeaf(JsonKey.of("properties"));
            case 9, 10 -> JsonPointer.of("/features").addLeaf(JsonKey.of(feature)).addLeaf(JsonKey.of("properties"))
                    .addLeaf(JsonKey.of(randomKey(random)));
            case 11 -> JsonPointer.of("/features").addLeaf(JsonKey.of(feature))
                    .addLeaf(JsonKey.of("desiredProperties"));
            case 12 -> JsonPointer.of("/features").addLeaf(JsonKey.of(feature))
                    .addLeaf(JsonKey.of("desiredProperties")).addLeaf(JsonKey.of(randomKey(random)));
            default -> JsonPointer.of("/features/vibration/properties/rms");
        };
    }

    /** A value the resource at {@code path} accepts (mostly: what it refuses is skipped). */
    private static JsonValue valueFitting(Random random, ThingId thingId, JsonPointer path) {
        String last = path.getLeaf().map(JsonKey::toString).orElse("");
        int level = path.getLevelCount();
        if (level == 0) {
            return JsonObject.newBuilder().set("thingId", thingId.toString()).set("policyId", thingId.toString())
                    .set("attributes", randomObject(random, 2))
                    .set("features", JsonObject.newBuilder().set(JsonKey.of(randomKey(random)),
                            JsonObject.newBuilder().set("properties", randomObject(random, 2)).build()).build())
                    .build();
        }
        if (level == 1 && last.equals("policyId")) {
            return JsonValue.of(thingId.toString());
        }
        if (level == 1 && last.equals("definition")) {
            return JsonValue.of("org.eclipse.ditto:pump:1.0.0");
        }
        if (level == 1 && last.equals("features")) {
            return JsonObject.newBuilder().set(JsonKey.of(randomKey(random)),
                    JsonObject.newBuilder().set("properties", randomObject(random, 2)).build()).build();
        }
        if (level == 2 && path.get(0).map(JsonKey::toString).orElse("").equals("features")) {
            return JsonObject.newBuilder().set("properties", randomObject(random, 2)).build();
        }
        if (level == 3 && last.equals("definition")) {
            return JsonArray.of("org.eclipse.ditto:pump:1.0.0", "https://example.com/tm.json");
        }
        if (level == 1 || last.equals("properties") || last.equals("desiredProperties")) {
            return randomObject(random, 3);
        }
        return randomValue(random, 3);
    }

    private static String randomKey(Random random) {
        return random.nextInt(3) == 0 ? ODD_TEXTS.get(random.nextInt(ODD_TEXTS.size() - 3))
                : List.of("rms", "temperature", "a~b", "x.y", "0", "$").get(random.nextInt(6));
    }

    /** Every JSON kind: null, booleans, ints, longs, doubles of every magnitude, odd strings, arrays, objects. */
    private static JsonValue randomValue(Random random, int depth) {
        int kinds = depth == 0 ? 8 : 10;
        return switch (random.nextInt(kinds)) {
            case 0 -> JsonValue.nullLiteral();
            case 1 -> JsonValue.of(random.nextBoolean());
            case 2 -> JsonValue.of(random.nextInt());
            case 3 -> JsonValue.of(random.nextLong());
            case 4 -> JsonValue.of(List.of(0.0, -0.0, 0.42, -12.5e3, 1e-7, 1.5e300, Double.MIN_VALUE, 1e21, 123456789.0,
                    random.nextGaussian()).get(random.nextInt(10)));
            case 5 -> JsonFactory.readFrom(List.of("1.0E2", "1e2", "-0", "1234567890123456789.5", "0.10", "[1, 2]",
                    "{ \"a\" : \"\\u00e9\" }").get(random.nextInt(7)));
            case 6, 7 -> JsonValue.of(randomText(random));
            case 8 -> randomObject(random, depth - 1);
            default -> {
                List<JsonValue> values = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    values.add(randomValue(random, depth - 1));
                }
                yield JsonArray.of(values);
            }
        };
    }

    private static JsonObject randomObject(Random random, int depth) {
        JsonObjectBuilder object = JsonObject.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            object.set(JsonKey.of(randomKey(random)), randomValue(random, Math.max(0, depth - 1)));
        }
        return object.build();
    }

    private static String randomText(Random random) {
        if (random.nextInt(3) == 0) {
            return ODD_TEXTS.get(random.nextInt(ODD_TEXTS.size()));
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            text.append(switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(0x80);
                case 1 -> (char) random.nextInt(0x10000);
                case 2 -> "😀";
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return text.toString();
    }

    /**
     * Headers as commands leave them on events, in random order: correlation IDs and custom headers with odd
     * values, {@code response-required} anywhere or missing, content types or none, built-in acknowledgement
     * requests, internal headers, every header Ditto defines; sometimes one the writer leaves to the adapter.
     */
    private static Headers randomHeaders(Random random, List<Map.Entry<String, String>> definedHeaders) {
        List<Runnable> parts = new ArrayList<>();
        DittoHeadersBuilder<?, ?> builder = DittoHeaders.newBuilder();
        parts.add(() -> {
            String id = randomText(random);
            builder.correlationId(id.isEmpty() ? "c" : id);
        });
        parts.add(() -> {
            builder.responseRequired(random.nextBoolean());
        });
        parts.add(() -> {
            builder.contentType(List.of("application/json", "application/merge-patch+json",
                    "text/plain; charset=\"utf-8\"", "application/vnd.eclipse.ditto+json").get(random.nextInt(4)));
        });
        parts.add(() -> {
            builder.putHeader(List.of("x-custom", "x-json-array", "my.header", "h_1", "a:b", "x-1")
                    .get(random.nextInt(6)), randomText(random));
        });
        parts.add(() -> {
            builder.authorizationContext(AuthorizationModelFactory.newAuthContext(
                            DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP,
                            AuthorizationSubject.newInstance("nginx:ditto")))
                    .origin("session-" + random.nextInt(3)).schemaVersion(JsonSchemaVersion.V_2);
        });
        parts.add(() -> {
            List<AcknowledgementRequest> builtIn = List.of(
                    AcknowledgementRequest.of(DittoAcknowledgementLabel.TWIN_PERSISTED),
                    AcknowledgementRequest.of(DittoAcknowledgementLabel.LIVE_RESPONSE),
                    AcknowledgementRequest.of(DittoAcknowledgementLabel.SEARCH_PERSISTED));
            builder.acknowledgementRequests(builtIn.subList(0, random.nextInt(4)));
        });
        for (int i = random.nextInt(4); i > 0; i--) {
            Map.Entry<String, String> defined = definedHeaders.get(random.nextInt(definedHeaders.size()));
            parts.add(() -> builder.putHeader(defined.getKey(), defined.getValue()));
        }
        if (random.nextInt(8) == 0) {
            parts.add(() -> {
                switch (random.nextInt(4)) {
                    case 0 -> builder.channel("live");
                    case 1 -> builder.acknowledgementRequest(AcknowledgementRequest.parseAcknowledgementRequest(
                            "custom-ack"));
                    case 2 -> builder.putHeader("X-Upper", "v");
                    default -> builder.putHeader("a/b", "v");
                }
            });
        }
        Collections.shuffle(parts, random);
        parts.subList(0, random.nextInt(parts.size() + 1)).forEach(Runnable::run);
        DittoHeaders headers = builder.build();
        boolean live = headers.getChannel().filter("live"::equals).isPresent();
        boolean custom = headers.getAcknowledgementRequests().stream()
                .anyMatch(request -> !DittoAcknowledgementLabel.contains(request.getLabel()));
        boolean oddName = headers.asCaseSensitiveMap().keySet().stream()
                .anyMatch(key -> !key.equals(key.toLowerCase()) || key.contains("/")
                        || key.chars().anyMatch(c -> c >= 0x7F));
        boolean metadata = headers.containsKey(DittoHeaderDefinition.PUT_METADATA.getKey());
        return new Headers(headers, live || custom || oddName || metadata);
    }

    /** For every header Ditto or its message headers define: a value Ditto's header builder accepts. */
    private static List<Map.Entry<String, String>> validValuesOfEveryDefinedHeader() {
        List<String> candidates = List.of("true", "[\"nginx:a\"]", "[\"response\",\"error\"]", "abc",
                "2026-12-07T03:00:00Z", "10s", "\"1\"", "W/\"1\"", "*", "application/json", "nginx:a", "{}", "2",
                "[]", "[{\"key\":\"/issuedBy\",\"value\":\"me\"}]", "twin", "{\"type\":\"a\",\"subjects\":[]}",
                "eq(attributes/a,1)", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "fail");
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>();
        List<HeaderDefinition> definitions = new ArrayList<>(List.of(DittoHeaderDefinition.values()));
        definitions.addAll(List.of(MessageHeaderDefinition.values()));
        for (HeaderDefinition definition : definitions) {
            keys.add(definition.getKey());
            for (String candidate : candidates) {
                try {
                    DittoHeaders.newBuilder().putHeader(definition.getKey(), candidate).build();
                    values.putIfAbsent(definition.getKey(), candidate);
                    break;
                } catch (RuntimeException refused) {
                    // try the next candidate
                }
            }
        }
        assertThat(values.keySet()).as("a valid value for every defined header").isEqualTo(keys);
        return new ArrayList<>(values.entrySet());
    }

    // ------------------------------------------------------------------ fixtures

    private static Object resultOrFailure(Supplier<String> frame) {
        try {
            return frame.get();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static ThingMerged merged(DittoHeaders headers) {
        return ThingMerged.of(THING, RMS, JsonValue.of(0.42), 5, MODIFIED, headers, null);
    }

    private static final Policy POLICY = PoliciesModelFactory.newPolicy("""
            {"policyId":"plant.a:pump-7","entries":{"owner":{"subjects":{"nginx:ditto":{"type":"basic"}},
              "resources":{"thing:/":{"grant":["READ"],"revoke":[]}}}}}""");

    private static TwinChange change(ThingEvent<?> event) {
        Policy policy = POLICY;
        return new TwinChange(event, StoredPolicies.of(policy), null, new PolicyDecisions(PolicyEnforcers.defaultEvaluator(policy)));
    }
}
