package io.twinworks.analytics.ditto;

import io.twinworks.analytics.model.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one mapping of Ditto Protocol event text to readings: its fast path against Ditto's adapter (the general
 * path), on hand-written odd frames first, then on seeded random frames of every shape.
 */
class ProtocolEventReadingsTest {

    private static final Set<String> SIGNALS = Set.of("vibration/rms", "vibration/axis/x", "temperature/value",
            "flow/rate", "flow/rate/avg");
    private final ThingChangeReadings extractor = new ThingChangeReadings(SIGNALS);

    private static String frame(String action, String path, String value, String tail) {
        return "{\"topic\":\"plant.a/pump-1/things/twin/events/" + action + "\",\"headers\":{\"correlation-id\":\"c-1\"},"
                + "\"path\":\"" + path + "\"" + (value == null ? "" : ",\"value\":" + value) + tail + "}";
    }

    /** The fast path declines the frame, and the mapping answers what Ditto's adapter answers. */
    private void assertDeclinedAndDecidedByDitto(String text) {
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        assertThat(mapping.readFast(text, extractor)).as(text).isNull();
        assertThat(mapping.read(text, extractor)).as(text).isEqualTo(ProtocolEventReadings.readGeneral(text, extractor));
        assertThat(mapping.generalDecisions()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ refusals and declines first

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1,2]",
            "\"START-SEND-EVENTS:ACK\"",
            "{}",
            "{\"value\":1}",
            "{\"topic\":\"plant.a/pump-1/things/twin/events/merged\"",
    })
    void garbageIsRefusedByDittosRules(String text) {
        assertDeclinedAndDecidedByDitto(text);
        assertThat(new ProtocolEventReadings().read(text, extractor)).isEmpty();
    }

    @Test
    void commandsLiveSignalsAndResponsesAreNoTwinEventsOfTheFastPath() {
        String merge = "{\"topic\":\"plant.a/pump-1/things/twin/commands/merge\",\"headers\":{\"content-type\":"
                + "\"application/merge-patch+json\"},\"path\":\"/features/vibration/properties\",\"value\":{\"rms\":1.2}}";
        assertDeclinedAndDecidedByDitto(merge);
        assertThat(new ProtocolEventReadings().read(merge, extractor)).isEmpty();
        assertDeclinedAndDecidedByDitto("{\"topic\":\"plant.a/pump-1/things/live/events/modified\",\"headers\":{},"
                + "\"path\":\"/features/vibration/properties/rms\",\"value\":1.5,\"revision\":3}");
        assertDeclinedAndDecidedByDitto("{\"topic\":\"plant.a/pump-1/things/twin/commands/modify\",\"headers\":{},"
                + "\"path\":\"/features/vibration/properties/rms\",\"status\":204}");
        assertDeclinedAndDecidedByDitto("{\"topic\":\"_/_/things/twin/errors\",\"headers\":{},\"path\":\"/\","
                + "\"value\":{\"status\":400,\"error\":\"json.invalid\"},\"status\":400}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plant..a/pump-1", "plant.a/", "1plant/pump-1", "plant.a/pump-1/x", "plant.a/pump-1\\u0000"})
    void invalidThingIdsInTheTopicAreDecidedByDitto(String thing) {
        assertDeclinedAndDecidedByDitto("{\"topic\":\"" + thing + "/things/twin/events/modified\",\"headers\":{},"
                + "\"path\":\"/features/vibration/properties/rms\",\"value\":1.5,\"revision\":3}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/attributes/rms", "/features/vibration/definition", "/features/vibration/desiredProperties",
            "/features//properties", "/features/vibration/properties/", "/features/vib~1ration/properties/rms", "/thingId",
            "features/vibration/properties/rms", "/featuresx/vibration"})
    void pathsOutsideFeaturePropertiesAreDecidedByDitto(String path) {
        assertDeclinedAndDecidedByDitto(frame("modified", path, "{\"rms\":1.5}", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("merged", path, "{\"rms\":1.5}", ",\"revision\":3"));
    }

    @Test
    void envelopesOutOfDittosOrderOrWithUnknownFieldsAreDecidedByDitto() {
        // value before path
        assertDeclinedAndDecidedByDitto("{\"topic\":\"plant.a/pump-1/things/twin/events/modified\",\"headers\":{},"
                + "\"value\":1.5,\"path\":\"/features/vibration/properties/rms\",\"revision\":3}");
        // value before topic
        assertDeclinedAndDecidedByDitto("{\"value\":1.5,\"topic\":\"plant.a/pump-1/things/twin/events/modified\",\"headers\":{},"
                + "\"path\":\"/features/vibration/properties/rms\",\"revision\":3}");
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "1.5", ",\"revision\":3,\"status\":200"));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "1.5", ",\"revision\":3,\"extra\":{}"));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "1.5",
                ",\"revision\":3,\"topic\":\"plant.a/pump-1/things/twin/events/modified\""));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "1.5", ",\"revision\":3} {"));
        // no headers, headers not an object
        assertDeclinedAndDecidedByDitto("{\"topic\":\"plant.a/pump-1/things/twin/events/modified\","
                + "\"path\":\"/features/vibration/properties/rms\",\"value\":1.5,\"revision\":3}");
        assertDeclinedAndDecidedByDitto("{\"topic\":\"plant.a/pump-1/things/twin/events/modified\",\"headers\":\"x\","
                + "\"path\":\"/features/vibration/properties/rms\",\"value\":1.5,\"revision\":3}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"revision\":3.0", ",\"revision\":\"3\"", ",\"revision\":123456789012345678901234",
            ",\"revision\":3,\"timestamp\":7"})
    void oddRevisionsAndTimestampsAreDecidedByDitto(String tail) {
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "1.5", tail));
    }

    @Test
    void aTimestampThatIsNoInstantFailsAsItDidBeforeTheFastPath() {
        String text = frame("modified", "/features/vibration/properties/rms", "1.5", ",\"revision\":3,\"timestamp\":\"yesterday\"");
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        assertThat(mapping.readFast(text, extractor)).isNull();
        // Ditto's adapter throws outside its own exception types: the callers count and log it as a failure
        assertThatThrownBy(() -> mapping.read(text, extractor)).isInstanceOf(java.time.format.DateTimeParseException.class);
    }

    @Test
    void numbersBeyondWhatDittosJsonReadsAreDecidedByDittoWhereTheyWouldBeReadings() {
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "123456789012345678901", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("merged", "/features/vibration/properties", "{\"rms\":1e400}", ",\"revision\":3"));
        assertThat(new ProtocolEventReadings().read(frame("modified", "/features/vibration/properties/rms",
                "123456789012345678901", ",\"revision\":3"), extractor)).isEmpty();
    }

    @Test
    void whatTheFastPathSkipsItDoesNotValidate() {
        // Ditto's JSON parser refuses the 65-bit integer in a feature nobody monitors; Ditto never writes one
        String text = frame("merged", "/features", "{\"other\":{\"properties\":{\"n\":123456789012345678901}},"
                + "\"vibration\":{\"properties\":{\"rms\":2.5}}}", ",\"revision\":4");
        assertThat(ProtocolEventReadings.readGeneral(text, extractor)).isEmpty();
        assertThat(new ProtocolEventReadings().read(text, extractor).orElseThrow().readings())
                .containsExactly(new Reading("plant.a:pump-1", "vibration/rms", 2.5, 4));
    }

    @Test
    void oddValuesAreDecidedByDitto() {
        // a deletion with a value, a feature or properties that are not objects
        assertDeclinedAndDecidedByDitto(frame("deleted", "/features/vibration/properties/rms", "1.5", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration", "1.5", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties", "[1.5]", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features", "{\"vibration\":7}", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration", "{\"properties\":null}", ",\"revision\":3"));
        // keys that would form signal paths of their own, and a monitored key twice
        assertDeclinedAndDecidedByDitto(frame("merged", "/features/vibration/properties", "{\"axis/x\":1.5}", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("merged", "/features/vibration/properties", "{\"\":1.5}", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("merged", "/features/vibration/properties", "{\"rms\":1.5,\"rms\":2.5}",
                ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("merged", "/features", "{\"vibration\":{\"properties\":{\"rms\":1}},"
                + "\"vibration\":{\"properties\":{\"rms\":2}}}", ",\"revision\":3"));
        assertDeclinedAndDecidedByDitto(frame("merged", "/features/vibration", "{\"properties\":{\"rms\":1},"
                + "\"properties\":{\"rms\":2}}", ",\"revision\":3"));
        // NaN is no JSON
        assertDeclinedAndDecidedByDitto(frame("modified", "/features/vibration/properties/rms", "NaN", ",\"revision\":3"));
    }

    @Test
    void aFailureWhileReadingAValidEventPropagatesInsteadOfPassingForARefusedFrame() {
        String event = frame("modified", "/features/temperature/properties/value", "51.5", ",\"revision\":3");
        assertThatThrownBy(() -> new ProtocolEventReadings().read(event, null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------ what the fast path decides

    @Test
    void aMergedPropertiesEventYieldsItsMonitoredReadingsAtItsRevisionOnTheFastPath() {
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        String text = frame("merged", "/features/vibration/properties", "{\"rms\":1.2,\"seq\":4,\"axis\":{\"x\":-3e-2,\"y\":1}}",
                ",\"revision\":7,\"timestamp\":\"2026-12-07T10:00:00.123Z\"");
        assertThat(mapping.read(text, extractor)).contains(new ProtocolEventReadings.Event(List.of(
                new Reading("plant.a:pump-1", "vibration/rms", 1.2, 7),
                new Reading("plant.a:pump-1", "vibration/axis/x", -0.03, 7)), Optional.of(Instant.parse("2026-12-07T10:00:00.123Z"))));
        assertThat(mapping.fastDecisions()).isEqualTo(1);
        assertThat(mapping.read(text, extractor)).isEqualTo(ProtocolEventReadings.readGeneral(text, extractor));
    }

    @Test
    void theServicesOwnPredictionsAndDeletionsYieldNoReadingsOnTheFastPath() {
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        String predictions = frame("merged", "/features/predictions/properties", "{\"anomalyScore\":0.1,\"baselines\":"
                + "{\"vibration\":{\"rms\":{\"mean\":1,\"sd\":0.1,\"n\":50}}}}", ",\"revision\":8");
        String deleted = frame("deleted", "/features/vibration", null, ",\"revision\":9");
        assertThat(mapping.read(predictions, extractor).orElseThrow().readings()).isEmpty();
        assertThat(mapping.read(deleted, extractor).orElseThrow().readings()).isEmpty();
        assertThat(mapping.fastDecisions()).isEqualTo(2);
        assertThat(mapping.read(predictions, extractor)).isEqualTo(ProtocolEventReadings.readGeneral(predictions, extractor));
        assertThat(mapping.read(deleted, extractor)).isEqualTo(ProtocolEventReadings.readGeneral(deleted, extractor));
    }

    @Test
    void aSignalBelowAnotherSignalIsReadAtEitherLevel() {
        String number = frame("modified", "/features/flow/properties/rate", "4", ",\"revision\":2");
        String object = frame("modified", "/features/flow/properties/rate", "{\"avg\":3.5,\"max\":9}", ",\"revision\":3");
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        assertThat(mapping.read(number, extractor).orElseThrow().readings())
                .containsExactly(new Reading("plant.a:pump-1", "flow/rate", 4, 2));
        assertThat(mapping.read(object, extractor).orElseThrow().readings())
                .containsExactly(new Reading("plant.a:pump-1", "flow/rate/avg", 3.5, 3));
        assertThat(mapping.fastDecisions()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ seeded random frames

    @Test
    void theFastPathAnswersWhatDittosAdapterAnswersForSeededRandomFrames() {
        ProtocolEventReadings mapping = new ProtocolEventReadings();
        RandomFrames frames = new RandomFrames(new Random(20261207L));
        int withReadings = 0;
        int frameCount = 20_000;
        for (int i = 0; i < frameCount; i++) {
            String text = frames.next();
            Object expected = outcome(() -> ProtocolEventReadings.readGeneral(text, extractor));
            Object actual = outcome(() -> mapping.read(text, extractor));
            assertThat(actual).as(text).isEqualTo(expected);
            if (actual instanceof Optional<?> event && event.isPresent()
                    && !((ProtocolEventReadings.Event) event.get()).readings().isEmpty()) {
                withReadings++;
            }
        }
        // the comparison means something only if the fast path decided most frames, many of them with readings
        assertThat(mapping.fastDecisions()).isGreaterThan(frameCount / 2);
        assertThat(mapping.generalDecisions()).isGreaterThan(frameCount / 20);
        assertThat(withReadings).isGreaterThan(frameCount / 20);
    }

    /** The answer, or the class of what was thrown (e.g. Ditto's adapter on a revision that is no long). */
    private static Object outcome(java.util.function.Supplier<Optional<ProtocolEventReadings.Event>> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    /**
     * Ditto Protocol frames of every level and action, mostly well-formed, some odd in the parts the fast path
     * reads (the objects on the way to a monitored signal); the parts it skips are valid, as Ditto writes them.
     */
    static final class RandomFrames {
        private static final String[] FEATURES = {"vibration", "temperature", "flow", "predictions", "other"};
        private static final String[] KEYS = {"rms", "axis", "x", "y", "value", "rate", "avg", "seq", "ts", "max"};
        private static final String[] ACTIONS = {"merged", "merged", "merged", "modified", "modified", "created", "deleted"};
        private final Random random;

        RandomFrames(Random random) {
            this.random = random;
        }

        String next() {
            String thing = random.nextInt(50) == 0 ? "bad ns/x" : "plant." + (char) ('a' + random.nextInt(3)) + "/pump-" + random.nextInt(20);
            String action = random.nextInt(100) == 0 ? "patched" : ACTIONS[random.nextInt(ACTIONS.length)];
            String channel = random.nextInt(100) == 0 ? "live" : "twin";
            String feature = FEATURES[random.nextInt(FEATURES.length)];
            String key = KEYS[random.nextInt(KEYS.length)];
            String subKey = KEYS[random.nextInt(KEYS.length)];
            int level = random.nextInt(random.nextInt(30) == 0 ? 7 : 5);
            String path;
            String value;
            switch (level) {
                case 0 -> {
                    path = "/features";
                    value = features(2);
                }
                case 1 -> {
                    path = "/features/" + feature;
                    value = feature(feature, 2);
                }
                case 2 -> {
                    path = "/features/" + feature + "/properties";
                    value = object(3, read(feature));
                }
                case 3 -> {
                    path = "/features/" + feature + "/properties/" + key;
                    value = value(3, child(read(feature), key));
                }
                case 4 -> {
                    path = "/features/" + feature + "/properties/" + key + "/" + subKey;
                    value = value(2, child(child(read(feature), key), subKey));
                }
                case 5 -> {
                    path = "/attributes/" + key;
                    value = value(2, null);
                }
                default -> {
                    path = "/";
                    value = "{\"thingId\":\"" + thing.replace('/', ':') + "\",\"policyId\":\"plant.a:p\",\"features\":" + features(2) + "}";
                }
            }
            if ("deleted".equals(action) && random.nextInt(10) != 0) {
                value = null;
            }
            StringBuilder frame = new StringBuilder("{\"topic\":\"").append(thing).append("/things/").append(channel)
                    .append("/events/").append(action).append("\",\"headers\":{\"correlation-id\":\"c-")
                    .append(random.nextInt(1000)).append("\",\"response-required\":false},\"path\":\"").append(path).append('"');
            if (value != null) {
                frame.append(",\"value\":").append(value);
            }
            if (random.nextInt(30) != 0) {
                frame.append(",\"revision\":").append(random.nextInt(40) == 0 ? "1.5" : String.valueOf(random.nextInt(1_000_000)));
            }
            if (random.nextBoolean()) {
                frame.append(",\"timestamp\":\"").append(Instant.ofEpochMilli(1_765_000_000_000L + random.nextInt(1_000_000_000)))
                        .append('"');
            }
            return frame.append('}').toString();
        }

        /** The signal prefix of a feature's properties ({@code f/}), or {@code null} when no signal lies in it. */
        private static String read(String feature) {
            return child("", feature);
        }

        /** The signal prefix below {@code key} of an object read at {@code prefix}, or {@code null} when none is read. */
        private static String child(String prefix, String key) {
            if (prefix == null) {
                return null;
            }
            String below = prefix + key;
            return SIGNALS.stream().anyMatch(signal -> signal.equals(below) || signal.startsWith(below + "/")) ? below + "/" : null;
        }

        private String features(int depth) {
            StringBuilder out = new StringBuilder("{");
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    out.append(',');
                }
                String feature = FEATURES[random.nextInt(FEATURES.length)];
                out.append('"').append(feature).append("\":").append(random.nextInt(30) == 0 ? value(0, null) : feature(feature, depth));
            }
            return out.append('}').toString();
        }

        /** A feature; only the properties of a monitored one (which the fast path reads) may be malformed. */
        private String feature(String feature, int depth) {
            StringBuilder out = new StringBuilder("{");
            if (random.nextInt(5) == 0) {
                out.append("\"definition\":[\"ns:pump:1.0.0\"]").append(',');
            }
            String prefix = read(feature);
            out.append("\"properties\":").append(prefix != null && random.nextInt(30) == 0 ? value(0, prefix) : object(depth, prefix));
            if (random.nextInt(5) == 0) {
                out.append(",\"desiredProperties\":").append(object(1, null));
            }
            return out.append('}').toString();
        }

        /** An object at signal prefix {@code prefix} ({@code null}: skipped by the fast path, so with valid keys only). */
        private String object(int depth, String prefix) {
            StringBuilder out = new StringBuilder("{");
            int count = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    out.append(',');
                }
                String key = switch (prefix == null ? 3 : random.nextInt(60)) {
                    case 0 -> "axis/x";
                    case 1 -> "";
                    case 2 -> "r~ms";
                    case 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29 ->
                            KEYS[random.nextInt(KEYS.length)];
                    default -> signalKeyBelow(prefix);
                };
                out.append('"').append(key).append("\":").append(value(depth - 1, child(prefix, key)));
            }
            return out.append('}').toString();
        }

        /** A key that leads to a monitored signal below {@code prefix} (e.g. {@code rms} below {@code vibration/}). */
        private String signalKeyBelow(String prefix) {
            List<String> keys = SIGNALS.stream().filter(signal -> signal.startsWith(prefix))
                    .map(signal -> signal.substring(prefix.length()).split("/")[0]).distinct().sorted().toList();
            return keys.isEmpty() ? KEYS[random.nextInt(KEYS.length)] : keys.get(random.nextInt(keys.size()));
        }

        private String value(int depth, String prefix) {
            return switch (random.nextInt(depth > 0 ? 12 : 10)) {
                case 0 -> String.valueOf(random.nextInt(2000) - 1000);
                case 1 -> String.valueOf(random.nextGaussian() * 10);
                case 2 -> (random.nextBoolean() ? "-" : "") + random.nextInt(100) + "." + random.nextInt(1000) + "e" + (random.nextInt(40) - 20);
                case 3 -> random.nextBoolean() ? "-0" : "-0.0";
                case 4 -> prefix != null && random.nextBoolean() ? "123456789012345678901234567890" : String.valueOf(Long.MIN_VALUE);
                case 5 -> "\"" + random.nextInt(10) + "\"";
                case 6 -> "null";
                case 7 -> random.nextBoolean() ? "true" : "false";
                case 8 -> "[" + random.nextInt(10) + ",{\"rms\":1}]";
                case 9 -> String.valueOf(random.nextLong());
                default -> object(depth, prefix);
            };
        }
    }
}
