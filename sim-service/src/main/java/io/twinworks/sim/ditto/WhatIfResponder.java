package io.twinworks.sim.ditto;

import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.core.http.ErrorResponse;
import io.twinworks.core.ditto.DittoWebSocket;
import io.twinworks.core.ops.HealthCheck;
import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.sim.line.LineSpec;
import io.twinworks.sim.whatif.InvalidScenarioException;
import io.twinworks.sim.whatif.LineWhatIf;
import io.twinworks.sim.whatif.MotorWhatIf;
import io.twinworks.sim.whatif.PumpWhatIf;
import io.twinworks.sim.whatif.Scenario;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.live.messages.RepliableMessage;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletionException;

/**
 * Answers Ditto live messages with subject {@value #SUBJECT}: reads the twin, runs the model of its
 * asset type (a pump's physics forward from its last readings, a motor's thermal model from its last
 * winding temperature; a production line's discrete-event
 * model from its {@code stations} and {@code buffers}) under the scenario in the payload, merges the
 * outcome into {@code /features/simulation} and answers the message with it (200), or with an error
 * in Ditto's shape: 400 for an invalid scenario or an asset type without a model, 404 for an unknown
 * (or unreadable) twin, 409 when the twin lacks the state a run starts from.
 */
public final class WhatIfResponder implements AutoCloseable {

    /** The live message subject. */
    public static final String SUBJECT = "simulate";
    /** The feature the simulation service owns (and the only one its policy lets it write). */
    public static final String SIMULATION_FEATURE = "simulation";

    private static final Logger LOG = LoggerFactory.getLogger(WhatIfResponder.class);
    private static final String REGISTRATION_ID = "twinworks-simulate";
    private static final JsonFieldSelector FIELDS = JsonFieldSelector.newInstance("thingId", "definition", "attributes", "features", "_revision");
    private static final ThingModelCatalog CATALOG = ThingModelCatalog.fromClasspath();

    private final Context context;
    private final DittoWebSocket socket;
    private final DittoClient client;
    private final double defaultVibrationLimitMmS;
    private final double maxHorizonHours;
    private final MeterRegistry meters;
    private final Clock clock;

    private WhatIfResponder(Context context, DittoWebSocket socket, double defaultVibrationLimitMmS, double maxHorizonHours,
                            MeterRegistry meters, Clock clock) {
        this.context = context;
        this.socket = socket;
        this.client = socket.client();
        this.defaultVibrationLimitMmS = defaultVibrationLimitMmS;
        this.maxHorizonHours = maxHorizonHours;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Connects to Ditto's WebSocket with HTTP Basic credentials, registers for {@value #SUBJECT}
     * messages and starts live consumption ({@code START-SEND-MESSAGES}).
     *
     * @param endpoint {@code ws://host:port} of Ditto (the client appends {@code /ws/2})
     */
    public static Future<WhatIfResponder> start(Context context, URI endpoint, String user, String password,
                                                double defaultVibrationLimitMmS, double maxHorizonHours,
                                                MeterRegistry meters, Clock clock) {
        return DittoWebSocket.connect(context, endpoint, user, password, "sim-ditto-client-callbacks")
                .compose(socket -> {
                    WhatIfResponder responder = new WhatIfResponder(context, socket, defaultVibrationLimitMmS,
                            maxHorizonHours, meters, clock);
                    return responder.register().map(responder).onFailure(failure -> socket.close());
                });
    }

    private Future<Void> register() {
        client.live().<JsonValue>registerForMessage(REGISTRATION_ID, SUBJECT,
                message -> context.runOnContext(v -> handle(message)));
        return Future.fromCompletionStage(client.live().startConsumption(), context);
    }

    private void handle(RepliableMessage<?, JsonValue> message) {
        ThingId thingId = ThingId.of(message.getEntityId());
        @Nullable String payload = payloadText(message);
        Future.fromCompletionStage(client.twin().forId(thingId).retrieve(FIELDS), context)
                .compose(thing -> context.owner().executeBlocking(() -> simulate(thingId, thing, payload), false))
                .compose(properties -> Future.fromCompletionStage(client.twin().forId(thingId).forFeature(SIMULATION_FEATURE)
                                .mergeProperties(JsonFactory.readFrom(properties.encode()).asObject()), context)
                        .map(properties))
                .onSuccess(properties -> {
                    message.reply().httpStatus(HttpStatus.OK)
                            .payload(JsonFactory.readFrom(properties.encode())).contentType("application/json").send();
                    count("ok");
                    LOG.info("simulate {}: {}", thingId, properties.containsKey("throughputPerHour")
                            ? properties.getValue("throughputPerHour") + " parts/h, bottleneck "
                            + properties.getJsonObject("bottleneck").getString("station")
                            : properties.getValue("timeToThresholdHours"));
                })
                .onFailure(failure -> answerError(message, errorFor(failure),
                        unwrap(failure) instanceof InvalidScenarioException ? "invalid" : "failed"));
    }

    /** Runs the model of the thing's asset type; the scenario is read by that model's rules. */
    private JsonObject simulate(ThingId thingId, Thing thing, @Nullable String payload) throws InvalidScenarioException, TwinStateException {
        JsonObject json = new JsonObject(thing.toJson().toString());
        String type = assetType(json);
        if (LineWhatIf.ASSET_TYPE.equals(type)) {
            return simulateLine(thingId, thing, json, LineWhatIf.parse(payload, maxHorizonHours));
        }
        if (MotorWhatIf.ASSET_TYPE.equals(type)) {
            return simulateMotor(thingId, thing, json, Scenario.parse(payload, defaultVibrationLimitMmS, maxHorizonHours));
        }
        if (!PumpWhatIf.ASSET_TYPE.equals(type)) {
            throw new InvalidScenarioException("no simulation model for asset type '" + type + "' of " + thingId
                    + " (definition or attribute 'type'); models: [" + PumpWhatIf.ASSET_TYPE + ", " + MotorWhatIf.ASSET_TYPE
                    + ", " + LineWhatIf.ASSET_TYPE + "]");
        }
        Scenario scenario = Scenario.parse(payload, defaultVibrationLimitMmS, maxHorizonHours);
        JsonObject features = Optional.ofNullable(json.getJsonObject("features")).orElse(new JsonObject());
        OptionalDouble vibration = number(features, "vibration", "rms");
        Object running = Optional.ofNullable(features.getJsonObject("drive")).map(f -> f.getJsonObject("properties"))
                .map(p -> p.getValue("running")).orElse(null);
        if (Boolean.FALSE.equals(running)) {
            throw new TwinStateException(thingId + " is stopped (features/drive/properties/running is false, e.g. tripped on"
                    + " a worn-out bearing): a what-if runs a pump forward from running");
        }
        if (vibration.isEmpty()) {
            throw new TwinStateException(thingId + " has no vibration reading (features/vibration/properties/rms) to start from");
        }
        OptionalDouble wearRate = OptionalDouble.empty();
        Object model = Optional.ofNullable(json.getJsonObject("attributes")).map(a -> a.getValue("model")).orElse(null);
        if (model instanceof JsonObject modelJson && modelJson.getValue("wearPerHour") instanceof Number rate) {
            wearRate = OptionalDouble.of(rate.doubleValue());
        }
        PumpWhatIf.Result result = PumpWhatIf.run(scenario, new PumpWhatIf.TwinState(vibration.getAsDouble(),
                number(features, "temperature", "value"), wearRate));
        JsonObject properties = new JsonObject()
                .put("scenario", scenario.toJson())
                .put("timeToThresholdHours", result.timeToThresholdHours().isPresent()
                        ? result.timeToThresholdHours().getAsDouble() : null)
                .put("timeToFailureHours", result.timeToFailureHours().isPresent()
                        ? result.timeToFailureHours().getAsDouble() : null)
                .put("threshold", new JsonObject().put("signal", "vibration/rms").put("limit", scenario.vibrationLimitMmS()))
                .put("summary", result.summary())
                .put("trajectory", result.trajectory())
                .put("model", PumpWhatIf.MODEL)
                .put("modelVersion", PumpWhatIf.MODEL_VERSION)
                .put("computedAt", clock.instant().toString());
        thing.getRevision().ifPresent(revision -> properties.put("basedOnRevision", revision.toLong()));
        return properties;
    }

    private JsonObject simulateMotor(ThingId thingId, Thing thing, JsonObject json, Scenario scenario)
            throws InvalidScenarioException, TwinStateException {
        JsonObject features = Optional.ofNullable(json.getJsonObject("features")).orElse(new JsonObject());
        OptionalDouble temperature = number(features, "temperature", "value");
        if (temperature.isEmpty()) {
            throw new TwinStateException(thingId + " has no winding temperature (features/temperature/properties/value) to start from");
        }
        MotorWhatIf.Result result = MotorWhatIf.run(scenario, temperature);
        JsonObject properties = new JsonObject()
                .put("scenario", scenario.toJson())
                .put("timeToThresholdHours", result.timeToThresholdHours().isPresent()
                        ? result.timeToThresholdHours().getAsDouble() : null)
                .put("threshold", new JsonObject().put("signal", "temperature/value").put("limit", scenario.temperatureLimitC()))
                .put("summary", result.summary())
                .put("trajectory", result.trajectory())
                .put("model", MotorWhatIf.MODEL)
                .put("modelVersion", MotorWhatIf.MODEL_VERSION)
                .put("computedAt", clock.instant().toString());
        thing.getRevision().ifPresent(revision -> properties.put("basedOnRevision", revision.toLong()));
        return properties;
    }

    private JsonObject simulateLine(ThingId thingId, Thing thing, JsonObject json, LineWhatIf.LineScenario scenario)
            throws InvalidScenarioException, TwinStateException {
        LineSpec line;
        try {
            line = LineWhatIf.line(json.getJsonObject("attributes"), scenario);
        } catch (LineWhatIf.LineStructureException e) {
            throw new TwinStateException(thingId + ": " + e.getMessage());
        }
        JsonObject properties = LineWhatIf.run(line, scenario).put("computedAt", clock.instant().toString());
        thing.getRevision().ifPresent(revision -> properties.put("basedOnRevision", revision.toLong()));
        return properties;
    }

    /**
     * The asset type: the Thing Model the thing's {@code definition} names (as provisioning creates
     * twins), else the attribute {@code type} (twins made without a model).
     */
    static @Nullable String assetType(JsonObject thing) {
        Object definition = thing.getValue("definition");
        Optional<String> modelled = definition instanceof String text
                ? CATALOG.resolve(text).map(ThingModel::name) : Optional.empty();
        return modelled.orElseGet(() -> Optional.ofNullable(thing.getJsonObject("attributes")).map(a -> a.getValue("type"))
                .map(Object::toString).orElse(null));
    }

    private static OptionalDouble number(JsonObject features, String feature, String property) {
        Object value = Optional.ofNullable(features.getJsonObject(feature)).map(f -> f.getJsonObject("properties"))
                .map(p -> p.getValue(property)).orElse(null);
        return value instanceof Number number && Double.isFinite(number.doubleValue())
                ? OptionalDouble.of(number.doubleValue()) : OptionalDouble.empty();
    }

    /** The message's payload as text, or {@code null} when it has none (parsed as an empty scenario). */
    private static @Nullable String payloadText(RepliableMessage<?, JsonValue> message) {
        Optional<?> payload = message.getPayload();
        if (payload.isPresent()) {
            Object value = payload.get();
            if (value instanceof ByteBuffer buffer) {
                return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
            }
            if (value instanceof JsonValue json && json.isString()) {
                return json.asString();
            }
            return value.toString();
        }
        return message.getRawPayload().map(buffer -> StandardCharsets.UTF_8.decode(buffer.duplicate()).toString()).orElse(null);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static ErrorResponse errorFor(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof InvalidScenarioException invalid) {
            return new ErrorResponse(400, "simulation:scenario.invalid", invalid.getMessage(),
                    "Send a JSON object such as {\"horizonHours\":72,\"loadFactor\":1.2} (an asset) or {\"horizonHours\":500}"
                            + " (a production line) to a thing whose definition names a supported Thing Model (or attribute 'type').");
        }
        if (cause instanceof TwinStateException missing) {
            return new ErrorResponse(409, "simulation:twin.state.missing", missing.reason(),
                    "Wait until the device has reported its readings (a line: give it the attributes stations and buffers).");
        }
        if (cause instanceof DittoRuntimeException ditto) {
            return new ErrorResponse(ditto.getHttpStatus().getCode(), ditto.getErrorCode(),
                    java.util.Objects.requireNonNullElse(ditto.getMessage(), ditto.getErrorCode()),
                    ditto.getDescription().orElse(""));
        }
        LOG.warn("simulate failed", cause);
        return new ErrorResponse(500, "simulation:internal", String.valueOf(cause.getMessage()), cause.getClass().getSimpleName());
    }

    private void answerError(RepliableMessage<?, JsonValue> message, ErrorResponse error, String outcome) {
        LOG.info("simulate {} answered {}: {}", message.getEntityId(), error.status(), error.message());
        message.reply().httpStatus(HttpStatus.tryGetInstance(error.status()).orElse(HttpStatus.INTERNAL_SERVER_ERROR))
                .payload(JsonFactory.readFrom(error.toJson().encode()))
                .contentType("application/json")
                .send();
        count(outcome);
    }

    private void count(String outcome) {
        meters.counter("twinworks_sim_whatif_requests", "outcome", outcome).increment();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** Readiness: the Ditto WebSocket is connected and the {@value #SUBJECT} messages are subscribed. */
    public HealthCheck dittoLink() {
        return socket.link();
    }

    /** The twin lacks the state a run starts from. */
    static final class TwinStateException extends Exception {
        private static final long serialVersionUID = 1L;

        private final String reason;

        TwinStateException(String reason) {
            super(reason);
            this.reason = reason;
        }

        /** What the twin lacks, for the requester. */
        String reason() {
            return reason;
        }
    }
}
