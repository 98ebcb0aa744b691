package io.twinworks.analytics.ditto;

import io.twinworks.core.ditto.DittoEventStream;
import io.twinworks.core.ditto.DittoWebSocket;
import io.twinworks.core.retry.Backoff;
import io.twinworks.core.ops.HealthCheck;
import io.twinworks.analytics.HealthAlarms;
import io.twinworks.analytics.PredictionWriter;
import io.twinworks.analytics.model.Prediction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.things.model.ThingId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The analytics service's link to Ditto over the WebSocket (single-instance mode): it merges predictions back
 * into the {@code predictions} feature and sends health alarms through Ditto's own Java client, and receives
 * twin change events as Ditto Protocol text on a lean session of its own ({@link DittoEventStream}: ditto-client's
 * per-event work cost more CPU than the analytics did with the event). It talks to real Ditto and to the local
 * stack alike.
 */
public final class DittoTwinConnection implements PredictionWriter, HealthAlarms, AutoCloseable {

    /** The feature the analytics service owns (and the only one its policy lets it write). */
    public static final String PREDICTIONS_FEATURE = "predictions";

    private static final Logger LOG = LoggerFactory.getLogger(DittoTwinConnection.class);
    /** Between reconnects of the event stream: from 0.5 s, doubling, up to 10 s, spread by a fifth. */
    static final Backoff EVENT_STREAM_RECONNECT = Backoff.exponential(500, 10_000).withJitter(0.2);
    /** Subject of the live message sent from the predictions feature when an asset's health worsens. */
    public static final String HEALTH_ALARM_SUBJECT = "healthAlarm";
    /** How long Ditto may take to persist a write before answering 408 (then retried). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final Context context;
    private final DittoWebSocket socket;
    private final DittoClient client;
    private final DittoEventStream.Settings eventStreamSettings;
    private volatile @Nullable DittoEventStream events;

    private DittoTwinConnection(Context context, DittoWebSocket socket, DittoEventStream.Settings eventStreamSettings) {
        this.context = context;
        this.socket = socket;
        this.client = socket.client();
        this.eventStreamSettings = eventStreamSettings;
    }

    /**
     * Connects to Ditto's WebSocket with HTTP Basic credentials.
     *
     * @param context  the Vert.x context callbacks are handed to
     * @param endpoint {@code ws://host:port} of Ditto (the client appends {@code /ws/2})
     */
    public static Future<DittoTwinConnection> connect(Context context, URI endpoint, String user, String password) {
        // the client's callbacks on one thread: answers to writes and retrieves in order
        return DittoWebSocket.connect(context, endpoint, user, password, "analytics-ditto-client-callbacks")
                .map(socket -> new DittoTwinConnection(context, socket,
                        DittoEventStream.Settings.of(endpoint, user, password, EVENT_STREAM_RECONNECT)));
    }

    /**
     * Readiness: the client's WebSocket is connected (down on a disconnect until a retrieve round-trips again)
     * and, once {@link #subscribe} was called, the event stream is subscribed (down from a loss until Ditto
     * acknowledges the re-subscription).
     */
    public HealthCheck link() {
        return () -> {
            HealthCheck.Result writes = socket.link().check();
            DittoEventStream stream = events;
            if (!writes.up() || stream == null) {
                return writes;
            }
            HealthCheck.Result changes = stream.subscription().check();
            return changes.up() ? HealthCheck.Result.up(writes.detail() + "; " + changes.detail()) : changes;
        };
    }

    /**
     * Subscribes to twin change events ({@code START-SEND-EVENTS}, every event the user may read) on a session of
     * its own, which reconnects and subscribes again after a loss: each frame's Ditto Protocol text is handed
     * to {@code onFrame} on the Vert.x context, in arrival order (so the events of one thing reach AssetState in
     * revision order). Completes once Ditto acknowledged the first subscription.
     */
    public Future<Void> subscribe(Consumer<String> onFrame) {
        if (events != null) {
            throw new IllegalStateException("already subscribed");
        }
        DittoEventStream stream = DittoEventStream.open(context, eventStreamSettings, onFrame);
        // the client notices a restarted Ditto only later (and drops requests meanwhile): ready again only once
        // both the event stream is subscribed and a retrieve through the client round-trips
        stream.whenLost(why -> socket.doubt("the event stream to the same Ditto was lost: " + why));
        events = stream;
        return stream.subscribed();
    }

    /**
     * Merges the prediction into {@code /features/predictions/properties}, requesting the
     * {@code twin-persisted} acknowledgement: success means the twin service committed it.
     */
    @Override
    public Future<Void> write(String thingId, Prediction prediction) {
        DittoHeaders headers = DittoHeaders.newBuilder()
                .acknowledgementRequest(AcknowledgementRequest.of(DittoAcknowledgementLabel.TWIN_PERSISTED))
                .timeout(WRITE_TIMEOUT)
                .build();
        return Future.fromCompletionStage(client.twin()
                .forId(ThingId.of(thingId))
                .forFeature(PREDICTIONS_FEATURE)
                .mergeProperties(toProperties(prediction), Options.headers(headers)), context);
    }

    /**
     * Sends a {@code healthAlarm} live message from the twin's predictions feature (outbox); the
     * analytics subject needs WRITE on {@code message:/features/predictions/outbox/messages/healthAlarm}.
     * Fire-and-forget, as an event: sent with {@code response-required: false}, since Ditto's default
     * ({@code true}, also ditto-client's without a response consumer) makes the gateway wait for an
     * answer nobody sends and return 408 {@code gateway:command.timeout} a minute after every alarm.
     */
    @Override
    public void worsened(String thingId, io.twinworks.analytics.model.HealthState previous, Prediction current, String worstSignal) {
        JsonObjectBuilder payload = JsonObject.newBuilder()
                .set("healthState", current.healthState().wireName())
                .set("anomalyScore", Math.round(current.anomalyScore() * 10_000) / 10_000.0)
                .set("basedOnRevision", current.basedOnRevision())
                .set("computedAt", current.computedAt().toString());
        payload.set("previousHealthState", previous == null ? JsonValue.nullLiteral() : JsonValue.of(previous.wireName()));
        payload.set("worstSignal", worstSignal == null ? JsonValue.nullLiteral() : JsonValue.of(worstSignal));
        if (current.rulCycles().isPresent()) {
            payload.set("rulCycles", current.rulCycles().getAsDouble());
        }
        client.live().forId(ThingId.of(thingId)).forFeature(PREDICTIONS_FEATURE).message().from()
                .subject(HEALTH_ALARM_SUBJECT)
                .headers(DittoHeaders.newBuilder().responseRequired(false).build())
                .payload(payload.build())
                .contentType("application/json")
                .send();
    }

    /** The {@code predictions} feature properties, as documented in the README. */
    static JsonObject toProperties(Prediction prediction) {
        JsonObjectBuilder builder = JsonObject.newBuilder()
                .set("anomalyScore", Math.round(prediction.anomalyScore() * 10_000) / 10_000.0)
                .set("healthState", prediction.healthState().wireName())
                .set("model", prediction.model())
                .set("modelVersion", prediction.modelVersion())
                .set("basedOnRevision", prediction.basedOnRevision())
                .set("computedAt", prediction.computedAt().toString());
        // A merge without them keeps the twin's last hand-over snapshot: at ~1.5 KB of JSON per signal it is most
        // of a write, so it goes at its own, longer interval (TWINWORKS_ANALYTICS_SNAPSHOT_INTERVAL_MS)
        if (prediction.carriesSnapshot()) {
            setSnapshot(builder, prediction);
        }
        // A merge with null removes a stale RUL when no RUL model covers the asset.
        builder.set("rulCycles", prediction.rulCycles().isPresent()
                ? JsonValue.of(prediction.rulCycles().getAsDouble()) : JsonValue.nullLiteral());
        return builder.build();
    }

    private static void setSnapshot(JsonObjectBuilder builder, Prediction prediction) {
        JsonObjectBuilder baselines = JsonObject.newBuilder();
        prediction.baselines().forEach((signal, baseline) -> {
            JsonObjectBuilder one = JsonObject.newBuilder()
                    .set("mean", baseline.mean())
                    .set("sd", baseline.standardDeviation())
                    .set("n", baseline.samples());
            if (baseline.hasRange()) {
                // the novelty detector's range: a replica taking over scores range novelty at once
                one.set("min", baseline.rangeMin()).set("max", baseline.rangeMax()).set("rows", baseline.rangeRows());
            }
            io.twinworks.analytics.model.ContextMemory context = baseline.context();
            if (context != null) {
                // the context memory (model version 4): a replica taking over recognises known contexts at once
                one.set("ctx", contextToJson(context));
            }
            baselines.set(JsonPointer.of(signal), one.build());
        });
        builder.set("baselines", baselines.build());
        if (!prediction.learnedBaselines().isEmpty()) {
            // the error statistics are O(1): 6 decimals keep the payload small and lose nothing that matters
            JsonObjectBuilder learned = JsonObject.newBuilder();
            prediction.learnedBaselines().forEach((signal, baseline) -> learned.set(JsonPointer.of(signal), JsonObject.newBuilder()
                    .set("mean", baseline.mean())
                    .set("sd", baseline.standardDeviation())
                    .set("n", baseline.samples())
                    .set("err", round6(baseline.shortError()))
                    .set("errMean", round6(baseline.longErrorMean()))
                    .set("errVar", round6(baseline.longErrorVariance()))
                    .set("scored", baseline.scored())
                    .build()));
            builder.set("learnedBaselines", learned.build());
        }
    }

    /**
     * What a replica restores from a twin's {@code predictions} properties: health state, RUL and the
     * baselines (nested by signal path); empty when the twin has no usable predictions.
     */
    public static java.util.Optional<io.twinworks.analytics.model.TwinSnapshot> snapshotOf(JsonObject properties) {
        try {
            io.twinworks.analytics.model.HealthState health = io.twinworks.analytics.model.HealthState.valueOf(
                    properties.getValue("healthState").map(JsonValue::asString).orElse("learning").toUpperCase(java.util.Locale.ROOT));
            java.util.OptionalDouble rul = properties.getValue("rulCycles").filter(JsonValue::isNumber)
                    .map(v -> java.util.OptionalDouble.of(v.asDouble())).orElse(java.util.OptionalDouble.empty());
            java.util.Map<String, io.twinworks.analytics.model.SignalBaseline> baselines = new java.util.HashMap<>();
            properties.getValue("baselines").filter(JsonValue::isObject).ifPresent(b -> collectBySignal("", b.asObject(),
                    o -> o.contains("mean") && o.contains("sd") && o.contains("n"),
                    o -> o.contains("rows")
                            ? new io.twinworks.analytics.model.SignalBaseline(number(o, "mean"), number(o, "sd"), (long) number(o, "n"),
                                    number(o, "min"), number(o, "max"), (long) number(o, "rows"),
                                    o.getValue("ctx").filter(JsonValue::isObject).map(c -> contextOf(c.asObject())).orElse(null))
                            : new io.twinworks.analytics.model.SignalBaseline(number(o, "mean"), number(o, "sd"), (long) number(o, "n")),
                    baselines));
            java.util.Map<String, io.twinworks.analytics.model.LearnedBaseline> learned = new java.util.HashMap<>();
            properties.getValue("learnedBaselines").filter(JsonValue::isObject).ifPresent(b -> collectBySignal("", b.asObject(),
                    o -> o.contains("mean") && o.contains("sd") && o.contains("n") && o.contains("err"),
                    o -> new io.twinworks.analytics.model.LearnedBaseline(number(o, "mean"), number(o, "sd"), (long) number(o, "n"),
                            number(o, "err"), number(o, "errMean"), number(o, "errVar"), (long) number(o, "scored")), learned));
            long revision = properties.getValue("basedOnRevision").filter(JsonValue::isNumber).map(JsonValue::asLong).orElse(-1L);
            return java.util.Optional.of(new io.twinworks.analytics.model.TwinSnapshot(health, rul, baselines, learned, revision));
        } catch (RuntimeException e) {
            LOG.warn("predictions of a twin cannot be restored ({}): {}", e.toString(), properties);
            return java.util.Optional.empty();
        }
    }

    /**
     * The context memory as JSON: the table as base64 of its big-endian ints (1 KB → 1,368 characters),
     * the level history and the calibration statistics.
     */
    static JsonObject contextToJson(io.twinworks.analytics.model.ContextMemory memory) {
        int[] entries = memory.entries();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(entries.length * Integer.BYTES);
        bytes.asIntBuffer().put(entries);
        return JsonObject.newBuilder()
                .set("table", java.util.Base64.getEncoder().encodeToString(bytes.array()))
                .set("history", memory.history())
                .set("points", memory.points())
                .set("mean", memory.mean())
                .set("var", memory.variance())
                .build();
    }

    /** Reads {@link #contextToJson}; anything malformed makes the whole snapshot unusable (caught by the caller). */
    static io.twinworks.analytics.model.ContextMemory contextOf(JsonObject json) {
        String table = json.getValue("table").filter(JsonValue::isString)
                .orElseThrow(() -> new IllegalArgumentException("'table' is not a string in " + json)).asString();
        byte[] bytes = java.util.Base64.getDecoder().decode(table);
        if (bytes.length % Integer.BYTES != 0) {
            throw new IllegalArgumentException("context table of " + bytes.length + " bytes is not whole ints");
        }
        int[] entries = new int[bytes.length / Integer.BYTES];
        java.nio.ByteBuffer.wrap(bytes).asIntBuffer().get(entries);
        return new io.twinworks.analytics.model.ContextMemory(entries, (long) number(json, "history"), (long) number(json, "points"),
                number(json, "mean"), number(json, "var"));
    }

    /** Walks an object nested by signal path down to the objects {@code isLeaf} accepts, and maps each by its signal. */
    private static <T> void collectBySignal(String prefix, JsonObject object, java.util.function.Predicate<JsonObject> isLeaf,
                                            java.util.function.Function<JsonObject, T> map, java.util.Map<String, T> out) {
        if (isLeaf.test(object)) {
            out.put(prefix, map.apply(object));
            return;
        }
        object.getKeys().forEach(key -> object.getValue(key).filter(JsonValue::isObject).ifPresent(child ->
                collectBySignal(prefix.isEmpty() ? key.toString() : prefix + "/" + key, child.asObject(), isLeaf, map, out)));
    }

    /** A number field; a missing or non-numeric one makes the whole snapshot unusable (caught by the caller). */
    private static double number(JsonObject object, String key) {
        return object.getValue(key).filter(JsonValue::isNumber)
                .orElseThrow(() -> new IllegalArgumentException("'" + key + "' is not a number in " + object)).asDouble();
    }

    private static double round6(double value) {
        return Math.round(value * 1_000_000) / 1_000_000.0;
    }

    /**
     * Reads a twin's predictions for a take-over (blocking is the caller's choice: the Kafka poll
     * thread waits for it so that the asset's readings stay in order).
     */
    public java.util.concurrent.CompletionStage<java.util.Optional<io.twinworks.analytics.model.TwinSnapshot>> retrieveSnapshot(String thingId) {
        return client.twin().forId(ThingId.of(thingId))
                .retrieve(org.eclipse.ditto.json.JsonFieldSelector.newInstance("features/" + PREDICTIONS_FEATURE + "/properties"))
                .thenApply(thing -> thing.getFeatures()
                        .flatMap(features -> features.getFeature(PREDICTIONS_FEATURE))
                        .flatMap(feature -> feature.getProperties())
                        .flatMap(properties -> snapshotOf(properties)));
    }

    /** Closes the event stream and the client's WebSocket. */
    @Override
    public void close() {
        DittoEventStream stream = events;
        if (stream != null) {
            stream.close();
        }
        socket.close();
    }
}
