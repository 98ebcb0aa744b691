package io.twinworks.analytics.ditto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.twinworks.analytics.model.Reading;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.JsonifiableAdaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The monitored readings of a Ditto Protocol thing event as JSON text: the one mapping both transports use
 * (the WebSocket session's text frames and the Kafka target's records).
 *
 * <p>Two paths give one answer. The general path is Ditto's own: the protocol adapter turns the text into a
 * {@link ThingEvent} and {@link ThingChangeReadings} walks its value. It builds a signal, headers and a thing
 * model per event, which cost as much CPU as the rest of the service. The fast path streams the text once with
 * Jackson and walks only into the monitored features and properties (a tree of the signals), skipping the rest,
 * e.g. the service's own {@code predictions} writes; it decides the shapes Ditto publishes for sensor data (a
 * twin event {@code created}, {@code modified}, {@code merged} or {@code deleted} at {@code /features},
 * {@code /features/<f>}, {@code .../properties} or a property below it, with {@code topic} and {@code path}
 * before the {@code value}) and declines everything else, which then goes to the general path. So odd frames
 * are refused by Ditto's own rules, and the fast path answers what the general one answers (tests compare the
 * two on seeded random frames). What it skips it does not validate: the headers, which carry no readings, and
 * the parts of the value that hold no monitored signal. Ditto writes only valid JSON and valid events there; a
 * frame that is invalid only in a skipped part (e.g. an integer beyond 64 bits in another feature, which Ditto's
 * JSON parser refuses) yields its readings here instead of being refused.
 *
 * <p>Not thread-safe (it remembers the topics it parsed): one instance per consuming thread.
 */
public final class ProtocolEventReadings {

    private static final DittoProtocolAdapter PROTOCOL = DittoProtocolAdapter.newInstance();
    private static final JsonFactory JSON = new JsonFactory();
    /** Topics remembered (thing ID and action); beyond that the memory starts afresh. */
    static final int MAX_REMEMBERED_TOPICS = 50_000;

    /**
     * What a thing event yields.
     *
     * @param readings  the monitored readings, in the order of the event's value (empty for a deletion)
     * @param timestamp when Ditto applied the change, if the event says
     */
    public record Event(List<Reading> readings, Optional<Instant> timestamp) {
        public Event {
            readings = List.copyOf(readings);
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** The twin event topics seen: {@code <ns>/<name>/things/twin/events/<action>} → thing ID and action. */
    private final Map<String, Topic> topics = new HashMap<>();
    private long fast;
    private long general;

    /** A mapping with an empty topic memory. */
    public ProtocolEventReadings() {
    }

    /**
     * The readings of a Ditto Protocol thing event, or empty when the text is not one (malformed JSON, not Ditto
     * Protocol, not a thing event). Anything else the extraction throws is a bug and propagates.
     */
    public Optional<Event> read(String json, ThingChangeReadings extractor) {
        Objects.requireNonNull(extractor, "extractor");
        Event event = readFast(json, extractor);
        if (event != null) {
            fast++;
            return Optional.of(event);
        }
        general++;
        return readGeneral(json, extractor);
    }

    /** Events the fast path decided so far. */
    public long fastDecisions() {
        return fast;
    }

    /** Frames the fast path declined, decided by Ditto's adapter. */
    public long generalDecisions() {
        return general;
    }

    /** The general path: Ditto's protocol adapter builds the event, {@link ThingChangeReadings} walks its value. */
    static Optional<Event> readGeneral(String json, ThingChangeReadings extractor) {
        Signal<?> signal;
        try {
            JsonifiableAdaptable adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(
                    org.eclipse.ditto.json.JsonFactory.newObject(json));
            signal = PROTOCOL.fromAdaptable(adaptable);
        } catch (JsonRuntimeException | DittoRuntimeException notDittoProtocol) {
            return Optional.empty();
        }
        if (!(signal instanceof ThingEvent<?> event)) {
            return Optional.empty();
        }
        JsonValue value;
        if (signal instanceof ThingMerged merged) {
            value = merged.getValue();
        } else if (signal instanceof WithOptionalEntity withEntity) {
            value = withEntity.getEntity(JsonSchemaVersion.V_2).orElse(null);
        } else {
            value = null;
        }
        List<Reading> readings = value == null ? List.of()
                : extractor.readings(event.getEntityId().toString(), event.getResourcePath(), value, event.getRevision());
        return Optional.of(new Event(readings, event.getTimestamp()));
    }

    // ------------------------------------------------------------------ fast path

    /** A twin event topic: the thing and what happened to it. */
    private record Topic(String thingId, Action action) {
    }

    private enum Action { CREATED, MODIFIED, MERGED, DELETED }

    /** Where an event's path points. */
    private enum Level { FEATURES, FEATURE, PROPERTIES, PROPERTY }

    /** Thrown inside the fast path when it leaves the frame to the general path. */
    private static final class Declined extends Exception {
        private static final Declined INSTANCE = new Declined();

        private Declined() {
            super(null, null, false, false);
        }
    }

    /** The readings the event's value carries, before the revision (which follows the value) is known. */
    private static final class Found {
        String[] signals = new String[4];
        double[] values = new double[4];
        int size;

        void add(String signal, double value) {
            if (size == signals.length) {
                signals = Arrays.copyOf(signals, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            signals[size] = signal;
            values[size] = value;
            size++;
        }
    }

    /** The fast path's answer, or {@code null} when it leaves the frame to the general path. */
    @Nullable Event readFast(String json, ThingChangeReadings extractor) {
        try (JsonParser parser = JSON.createParser(json)) {
            return readFast(parser, extractor.monitoredFeatures());
        } catch (Declined | IOException | DateTimeException declined) {
            return null;
        }
    }

    private @Nullable Event readFast(JsonParser parser, ThingChangeReadings.SignalNode features)
            throws IOException, Declined {
        expect(parser.nextToken() == JsonToken.START_OBJECT);
        Topic topic = null;
        String path = null;
        boolean headers = false;
        boolean valueSeen = false;
        Found found = new Found();
        long revision = 0;
        boolean revisionSeen = false;
        Instant timestamp = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            switch (field) {
                case "topic" -> {
                    expect(topic == null && valueToken == JsonToken.VALUE_STRING);
                    topic = topic(parser.getText());
                }
                case "headers" -> {
                    expect(!headers && valueToken == JsonToken.START_OBJECT);
                    headers = true;
                    parser.skipChildren();
                }
                case "path" -> {
                    expect(path == null && valueToken == JsonToken.VALUE_STRING);
                    path = parser.getText();
                }
                case "value" -> {
                    // Ditto writes topic, headers, path, value, revision, timestamp: the value is walked as it streams by
                    if (valueSeen || topic == null || path == null || topic.action() == Action.DELETED) {
                        throw Declined.INSTANCE;
                    }
                    valueSeen = true;
                    walkValue(parser, valueToken, path, features, found);
                }
                case "revision" -> {
                    expect(!revisionSeen && valueToken == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER);
                    revisionSeen = true;
                    revision = parser.getLongValue();
                }
                case "timestamp" -> {
                    expect(timestamp == null && valueToken == JsonToken.VALUE_STRING);
                    timestamp = Instant.parse(parser.getText());
                }
                default -> throw Declined.INSTANCE;
            }
        }
        expect(token == JsonToken.END_OBJECT && parser.nextToken() == null);
        if (topic == null || path == null) {
            throw Declined.INSTANCE;
        }
        expect(headers && revisionSeen && (valueSeen || topic.action() == Action.DELETED));
        if (!valueSeen) {
            level(path); // a deletion of anything but the levels the fast path knows goes the general way
        }
        List<Reading> readings = new ArrayList<>(found.size);
        for (int i = 0; i < found.size; i++) {
            readings.add(new Reading(topic.thingId(), found.signals[i], found.values[i], revision));
        }
        return new Event(readings, Optional.ofNullable(timestamp));
    }

    /** The thing ID and action of a twin event topic, remembered per topic text. */
    private Topic topic(String text) throws Declined {
        Topic known = topics.get(text);
        if (known != null) {
            return known;
        }
        String[] segments = text.split("/", -1);
        expect(segments.length == 6 && "things".equals(segments[2]) && "twin".equals(segments[3])
                && "events".equals(segments[4]));
        Action action = switch (segments[5]) {
            case "created" -> Action.CREATED;
            case "modified" -> Action.MODIFIED;
            case "merged" -> Action.MERGED;
            case "deleted" -> Action.DELETED;
            default -> throw Declined.INSTANCE;
        };
        String thingId;
        try {
            thingId = ThingId.of(segments[0], segments[1]).toString();
        } catch (DittoRuntimeException invalid) {
            throw Declined.INSTANCE;
        }
        if (topics.size() >= MAX_REMEMBERED_TOPICS) {
            topics.clear();
        }
        Topic parsed = new Topic(thingId, action);
        topics.put(text, parsed);
        return parsed;
    }

    /**
     * The keys of a path the fast path decides: {@code /features}, {@code /features/<f>},
     * {@code /features/<f>/properties} and below; anything else (the thing, attributes, definitions, desired
     * properties, empty keys, JSON pointer escapes) is declined.
     */
    private static String[] level(String path) throws Declined {
        expect(path.startsWith("/features") && path.indexOf('~') < 0);
        String[] keys = path.substring(1).split("/", -1);
        for (String key : keys) {
            expect(!key.isEmpty());
        }
        expect("features".equals(keys[0]) && (keys.length < 3 || "properties".equals(keys[2])));
        return keys;
    }

    /** Walks the event's value from where its path points, collecting the numbers of monitored signals. */
    private static void walkValue(JsonParser parser, JsonToken token, String path, ThingChangeReadings.SignalNode features,
                                  Found found) throws IOException, Declined {
        String[] keys = level(path);
        Level level = switch (keys.length) {
            case 1 -> Level.FEATURES;
            case 2 -> Level.FEATURE;
            case 3 -> Level.PROPERTIES;
            default -> Level.PROPERTY;
        };
        if (level != Level.PROPERTY) {
            // a feature, its properties or all features are objects; anything else is Ditto's to refuse
            expect(token == JsonToken.START_OBJECT);
        }
        if (level == Level.FEATURES) {
            walkObject(parser, features, found, true);
            return;
        }
        ThingChangeReadings.SignalNode node = features.children.get(keys[1]);
        for (int i = 3; i < keys.length && node != null; i++) {
            node = node.children.get(keys[i]);
        }
        if (node == null) {
            // no monitored signal lies at or below this path (e.g. the service's own predictions)
            parser.skipChildren();
            return;
        }
        if (level == Level.FEATURE) {
            walkFeature(parser, node, found);
        } else {
            walkNode(parser, token, node, found);
        }
    }

    /** A feature object: only its {@code properties} hold signals. */
    private static void walkFeature(JsonParser parser, ThingChangeReadings.SignalNode feature, Found found)
            throws IOException, Declined {
        boolean properties = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            if ("properties".equals(key)) {
                expect(!properties && token == JsonToken.START_OBJECT);
                properties = true;
                walkObject(parser, feature, found, false);
            } else {
                expectPlainKey(key);
                parser.skipChildren();
            }
        }
    }

    /** A value at a signal tree node: a number is a reading if the node is a signal; an object is walked. */
    private static void walkNode(JsonParser parser, JsonToken token, ThingChangeReadings.SignalNode node, Found found)
            throws IOException, Declined {
        if (token == JsonToken.START_OBJECT) {
            walkObject(parser, node, found, false);
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            // Ditto's JSON refuses integers beyond 64 bits; a double that overflows is left to it too
            expect(token == JsonToken.VALUE_NUMBER_FLOAT || parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER);
            double value = parser.getDoubleValue();
            expect(Double.isFinite(value));
            if (node.signal != null) {
                found.add(node.signal, value);
            }
        } else {
            parser.skipChildren();
        }
    }

    /**
     * An object whose keys are looked up below {@code node}: feature IDs ({@code features} true) or property keys.
     * A key met twice among the monitored ones is declined (Ditto's JSON keeps one of them).
     */
    private static void walkObject(JsonParser parser, ThingChangeReadings.SignalNode node, Found found, boolean features)
            throws IOException, Declined {
        ThingChangeReadings.SignalNode[] seen = null;
        int seenCount = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken token = parser.nextToken();
            // every feature is an object; a merge's null (removal) or anything else is Ditto's to judge
            expect(!features || token == JsonToken.START_OBJECT);
            ThingChangeReadings.SignalNode child = node.children.get(key);
            if (child == null) {
                expectPlainKey(key);
                parser.skipChildren();
                continue;
            }
            if (seen == null) {
                seen = new ThingChangeReadings.SignalNode[node.children.size()];
            }
            for (int i = 0; i < seenCount; i++) {
                expect(seen[i] != child);
            }
            seen[seenCount++] = child;
            if (features) {
                walkFeature(parser, child, found);
            } else {
                walkNode(parser, token, child, found);
            }
        }
    }

    /** A key that is no signal: one holding a slash or empty would form a signal path of its own, Ditto's to judge. */
    private static void expectPlainKey(String key) throws Declined {
        expect(!key.isEmpty() && key.indexOf('/') < 0);
    }

    private static void expect(boolean condition) throws Declined {
        if (!condition) {
            throw Declined.INSTANCE;
        }
    }
}
