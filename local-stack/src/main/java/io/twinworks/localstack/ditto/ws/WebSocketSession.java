package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.model.TwinChange;

import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.entity.id.EntityId;
import org.eclipse.ditto.base.model.entity.id.WithEntityId;
import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.UnsupportedSignalException;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgements;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.modify.ThingModifyCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One WebSocket connection speaking the Ditto Protocol, with the authorization context its HTTP upgrade
 * was authenticated with.
 *
 * <p>Frames are handled on the connection's Vert.x context: control messages ({@code START-SEND-*},
 * {@code STOP-SEND-*}) change subscriptions; Ditto Protocol messages become signals with the session's
 * authorization context (whatever the client puts into its headers) and go to the twin service, the
 * live router or the acknowledgement aggregator. Anything sent to the client from another thread or
 * session is handed over to this context first, so frames leave in the order they were produced.
 */
final class WebSocketSession implements LiveSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);
    /** Ditto's default and maximum wait for acknowledgements. */
    static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);

    private final String id = UUID.randomUUID().toString();
    private final ServerWebSocket socket;
    private final Context context;
    private final AuthorizationContext subject;
    private final Set<AcknowledgementLabel> declaredAcks;
    private final TwinService twins;
    private final LiveSignalRouter live;
    private final TwinAcknowledgements acknowledgements;
    private final WebSocketMetrics metrics;
    private final BatchedFrameWriter eventFrames;
    private final Map<StreamingType, StreamSubscription> subscriptions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    WebSocketSession(ServerWebSocket socket, Context context, AuthorizationContext subject,
                     Set<AcknowledgementLabel> declaredAcks, TwinService twins, LiveSignalRouter live,
                     TwinAcknowledgements acknowledgements, WebSocketMetrics metrics) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.context = Objects.requireNonNull(context, "context");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.declaredAcks = Set.copyOf(declaredAcks);
        this.twins = Objects.requireNonNull(twins, "twins");
        this.live = Objects.requireNonNull(live, "live");
        this.acknowledgements = Objects.requireNonNull(acknowledgements, "acknowledgements");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.eventFrames = new BatchedFrameWriter(socket);
    }

    /** The connection's ID; it is the {@code origin} of every signal the session sends in. */
    @Override
    public String id() {
        return id;
    }

    @Override
    public AuthorizationContext subject() {
        return subject;
    }

    Set<AcknowledgementLabel> declaredAcks() {
        return declaredAcks;
    }

    Optional<StreamSubscription> subscription(StreamingType type) {
        return Optional.ofNullable(subscriptions.get(type));
    }

    boolean isOpen() {
        return !closed;
    }

    /** Starts reading frames; {@code onClose} runs once when the connection is gone. */
    void start(Runnable onClose) {
        socket.textMessageHandler(this::onText);
        socket.binaryMessageHandler(binary -> {
            metrics.frameIn();
            malformed(new DittoJsonException(new IllegalArgumentException(
                    "Binary frames are not supported: send Ditto Protocol JSON or control messages as text frames."),
                    DittoHeaders.newBuilder().correlationId(id).build()));
        });
        socket.exceptionHandler(failure -> LOG.debug("WebSocket session {} failed: {}", id, failure.toString()));
        socket.closeHandler(ignored -> {
            closed = true;
            onClose.run();
        });
    }

    /** Closes the connection (1001 going away: the server stops). */
    void close() {
        runOnContext(() -> {
            if (!closed) {
                socket.close((short) 1001, "server stopping");
            }
        });
    }

    /** Runs a task on the session's context (at once when already there). */
    void runOnContext(Runnable task) {
        if (Context.isOnEventLoopThread() && io.vertx.core.Vertx.currentContext() == context) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }

    // ---------------------------------------------------------------- outgoing

    /** Sends a text frame (from any thread); dropped once the connection is closed. */
    void emit(String frame) {
        runOnContext(() -> {
            if (closed) {
                return;
            }
            metrics.frameOut();
            socket.writeTextMessage(frame);
        });
    }

    /** Sends a signal as a Ditto Protocol message. */
    @Override
    public void emitSignal(Signal<?> signal) {
        emit(ProtocolJson.toText(signal));
    }

    /** Sends an error as a Ditto Protocol error response with the error's correlation ID. */
    @Override
    public void emitError(DittoRuntimeException error, EntityId entityId) {
        int status = error.getHttpStatus().getCode();
        metrics.errorSent(status, error.getErrorCode());
        if (status >= 500) {
            LOG.error("WebSocket session {} ({}): {} {}: {}", id, subject.getFirstAuthorizationSubject()
                    .map(Object::toString).orElse("?"), status, error.getErrorCode(), error.getMessage(), error);
        } else {
            LOG.info("WebSocket session {} ({}): refused with {} {}: {}", id, subject.getFirstAuthorizationSubject()
                    .map(Object::toString).orElse("?"), status, error.getErrorCode(), error.getMessage());
        }
        emitSignal(ProtocolJson.errorResponse(error, entityId));
    }

    /**
     * Delivers persisted twin changes (a transaction's, in commit order) this session subscribed to and may see;
     * on its context. Their frames leave in one flush: one write per batch, not per frame.
     */
    void deliverTwinChanges(List<OutgoingEvent> changes) {
        for (OutgoingEvent change : changes) {
            deliverTwinChange(change);
        }
        eventFrames.flush();
    }

    private void deliverTwinChange(OutgoingEvent outgoing) {
        if (closed) {
            return;
        }
        TwinChange published = outgoing.change();
        DittoHeaders eventHeaders = published.event().getDittoHeaders();
        if (eventHeaders.getOrigin().filter(id::equals).isPresent()) {
            // like Ditto: a session does not get the events its own commands caused
            return;
        }
        StreamSubscription subscription = subscriptions.get(StreamingType.EVENTS);
        if (subscription == null) {
            return;
        }
        EventProjection.Result result = EventProjection.project(outgoing, subject, subscription);
        switch (result.outcome()) {
            case DELIVERED -> {
                metrics.frameOut();
                eventFrames.write(result.frame());
            }
            case OTHER_NAMESPACE, FILTERED_OUT -> issueWeakAcknowledgements(published);
            case NOT_READABLE -> LOG.debug("session {}: event {} of {} not readable for {}", id,
                    published.event().getType(), published.event().getEntityId(), subject);
        }
    }

    /**
     * Like Ditto: a subscriber that declared a requested label but does not get the event (namespace or
     * RQL filter) answers for it with a weak acknowledgement, so the requester does not wait in vain.
     */
    private void issueWeakAcknowledgements(TwinChange published) {
        DittoHeaders headers = published.event().getDittoHeaders();
        for (AcknowledgementRequest request : EventProjection.customAcknowledgementRequests(headers)) {
            if (declaredAcks.contains(request.getLabel())) {
                acknowledgements.acknowledgementReceived(this, Acknowledgement.weak(request.getLabel(),
                        published.event().getEntityId(), external(headers),
                        JsonValue.of("Acknowledgement was issued automatically as weak ack, because the signal is not"
                                + " relevant for the subscriber: it was dropped by its namespace or RQL filter.")));
            }
        }
    }

    private static DittoHeaders external(DittoHeaders headers) {
        return ProtocolJson.external(headers);
    }

    // ---------------------------------------------------------------- incoming

    private void onText(String frame) {
        metrics.frameIn();
        Optional<ControlMessage> control;
        try {
            control = ControlMessage.parse(frame);
        } catch (IllegalArgumentException e) {
            malformed(new DittoJsonException(new IllegalArgumentException(
                    "The control message is not URL-encoded correctly: " + e.getMessage(), e),
                    DittoHeaders.newBuilder().correlationId(id).build()));
            return;
        }
        if (control.isPresent()) {
            handleControl(control.get());
        } else {
            handleProtocolMessage(frame);
        }
    }

    private void handleControl(ControlMessage control) {
        DittoHeaders headers = DittoHeaders.newBuilder()
                .correlationId(control.parameter("correlation-id").orElse(id))
                .build();
        if (!control.start()) {
            subscriptions.remove(control.type());
            emit(control.acknowledgement());
            return;
        }
        try {
            subscriptions.put(control.type(), StreamSubscription.of(control, headers));
        } catch (DittoRuntimeException e) {
            malformed(e.setDittoHeaders(headers));
            return;
        } catch (RuntimeException e) {
            malformed(new DittoJsonException(e, headers));
            return;
        }
        LOG.debug("session {} ({}) subscribed to {} with {}", id, subject, control.type(), control.parameters());
        emit(control.acknowledgement());
    }

    private void handleProtocolMessage(String frame) {
        DittoHeaders fallbackHeaders = DittoHeaders.newBuilder().correlationId(id).build();
        Adaptable adaptable;
        Signal<?> signal;
        try {
            JsonValue json = JsonFactory.readFrom(frame);
            if (!json.isObject()) {
                throw new IllegalArgumentException("A frame must be a Ditto Protocol JSON object "
                        + "({\"topic\":..,\"headers\":..,\"path\":..,\"value\":..}) or a control message such as "
                        + "START-SEND-EVENTS; got: " + abbreviate(frame));
            }
            fallbackHeaders = headersForErrors(json.asObject(), fallbackHeaders);
            adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(json.asObject());
            signal = ProtocolJson.ADAPTER.fromAdaptable(adaptable);
        } catch (DittoRuntimeException e) {
            malformed(e.setDittoHeaders(fallbackHeaders.toBuilder().putHeaders(e.getDittoHeaders()).build()));
            return;
        } catch (RuntimeException e) {
            malformed(new DittoJsonException(e, fallbackHeaders));
            return;
        }
        Signal<?> authorized = signal.setDittoHeaders(sessionHeaders(signal.getDittoHeaders()));
        try {
            dispatch(authorized, adaptable.getTopicPath());
        } catch (DittoRuntimeException e) {
            emitError(e, entityIdOf(authorized));
        }
    }

    /** The correlation ID (and response-required) of a frame that could not be turned into a signal. */
    private static DittoHeaders headersForErrors(JsonObject frame, DittoHeaders fallback) {
        return frame.getValue(JsonPointer.of("/headers/correlation-id"))
                .filter(JsonValue::isString)
                .<DittoHeaders>map(value -> fallback.toBuilder().correlationId(value.asString()).build())
                .orElse(fallback);
    }

    private void malformed(DittoRuntimeException error) {
        metrics.malformedFrame();
        emitError(error.getMessage() != null ? error : withMessage(error), null);
    }

    /** Ditto's error shape always has a message; a parser failure without one still says what went wrong. */
    private static DittoRuntimeException withMessage(DittoRuntimeException error) {
        Throwable cause = error.getCause();
        return new DittoJsonException(new IllegalArgumentException("The frame is no valid Ditto Protocol message"
                + (cause == null ? "." : " (" + cause.getClass().getSimpleName() + ").")), error.getDittoHeaders());
    }

    /**
     * The headers a signal from this session is processed with: what the client may set, plus the
     * session's authorization context and origin (never the client's), schema version 2 and a
     * correlation ID when the client gave none.
     */
    private DittoHeaders sessionHeaders(DittoHeaders fromClient) {
        DittoHeadersBuilder<?, ?> builder = DittoHeaders.newBuilder(ProtocolJson.fromClient(fromClient))
                .authorizationContext(subject)
                .origin(id)
                .schemaVersion(JsonSchemaVersion.V_2);
        if (fromClient.getCorrelationId().isEmpty()) {
            builder.correlationId(UUID.randomUUID().toString());
        }
        return builder.build();
    }

    private void dispatch(Signal<?> signal, TopicPath topic) {
        if (signal instanceof Acknowledgement acknowledgement) {
            acknowledgements.acknowledgementReceived(this, acknowledgement);
        } else if (signal instanceof Acknowledgements aggregated) {
            aggregated.stream().forEach(ack -> acknowledgements.acknowledgementReceived(this, ack));
        } else if (topic.getChannel() == TopicPath.Channel.LIVE) {
            live.route(this, signal);
        } else if (signal instanceof Command<?> command) {
            handleTwinCommand(command);
        } else {
            throw UnsupportedSignalException.newBuilder(signal.getType())
                    .message("A client can send twin or policy commands, live signals and acknowledgements; "
                            + "'" + signal.getType() + "' is none of these.")
                    .dittoHeaders(signal.getDittoHeaders())
                    .build();
        }
    }

    private void handleTwinCommand(Command<?> command) {
        DittoHeaders headers = command.getDittoHeaders();
        boolean responseRequired = headers.isResponseRequired();
        if (!responseRequired && !headers.getAcknowledgementRequests().isEmpty()) {
            throw DittoHeaderInvalidException.newBuilder()
                    .withInvalidHeaderKey(DittoHeaderDefinition.REQUESTED_ACKS.getKey())
                    .message("For WebSocket, it is forbidden to request acknowledgements while 'response-required'"
                            + " is set to false.")
                    .description("Please set 'requested-acks' to [] or 'response-required' to true.")
                    .dittoHeaders(headers)
                    .build();
        }
        EntityId entityId = entityIdOf(command);
        Set<AcknowledgementRequest> customAcks = EventProjection.customAcknowledgementRequests(headers);
        if (command instanceof ThingModifyCommand<?> modify && !customAcks.isEmpty()) {
            // acknowledgements from subscribers may arrive before the command's own response: register first
            TwinAcknowledgements.Aggregation aggregation = acknowledgements.start(this, modify.getEntityId(), headers,
                    headers.getTimeout().orElse(DEFAULT_ACK_TIMEOUT));
            twins.handle(command).onComplete(result -> {
                if (result.succeeded()) {
                    aggregation.commandSucceeded(result.result());
                } else {
                    aggregation.commandFailed(asDittoException(result.cause(), headers));
                }
            });
            return;
        }
        twins.handle(command).onComplete(result -> {
            if (!responseRequired) {
                if (result.failed()) {
                    LOG.info("session {}: {} failed without response required: {}", id, command.getType(),
                            result.cause().toString());
                }
                return;
            }
            if (result.succeeded()) {
                emitSignal(result.result());
            } else {
                emitError(asDittoException(result.cause(), headers), entityId);
            }
        });
    }

    static DittoRuntimeException asDittoException(Throwable failure, DittoHeaders headers) {
        if (failure instanceof DittoRuntimeException dittoException) {
            return dittoException;
        }
        LOG.error("unexpected failure in the Ditto WebSocket", failure);
        return GatewayInternalErrorException.newBuilder().cause(failure).dittoHeaders(headers).build();
    }

    static EntityId entityIdOf(Signal<?> signal) {
        return signal instanceof WithEntityId withEntityId ? withEntityId.getEntityId() : null;
    }

    /** The thing a signal is about, if it is about one. */
    static Optional<ThingId> thingIdOf(Signal<?> signal) {
        EntityId entityId = entityIdOf(signal);
        return entityId instanceof ThingId thingId ? Optional.of(thingId) : Optional.empty();
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + id + ", " + subject.getAuthorizationSubjectIds() + "]";
    }
}
