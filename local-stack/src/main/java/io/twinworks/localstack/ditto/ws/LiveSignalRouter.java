package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.Vertx;
import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.UnsupportedSignalException;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayCommandTimeoutException;
import org.eclipse.ditto.messages.model.MessageSendNotAllowedException;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.EffectedSubjects;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.EventSendNotAllowedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.modify.ThingModifyCommand;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Routes live signals between WebSocket sessions, enforcing the thing's policy as Ditto's live signal
 * enforcement does:
 * <ul>
 *   <li>messages ({@code things/live/messages/<subject>}, thing or feature inbox/outbox): the sender needs
 *       WRITE on the {@code message:} resource; delivered to every other session that sent
 *       {@code START-SEND-MESSAGES} and whose subject has READ there;</li>
 *   <li>live commands: the sender needs WRITE (modifying) or READ (retrieving) on the {@code thing:} path;
 *       delivered to {@code START-SEND-LIVE-COMMANDS} sessions with READ there;</li>
 *   <li>live events: the sender needs WRITE; delivered to {@code START-SEND-LIVE-EVENTS} sessions with READ.</li>
 * </ul>
 * A message or live command that wants a response waits for the first response with its correlation ID
 * from any session, which goes back to the sender; without one within {@code timeout} (Ditto's default 60 s)
 * the sender gets Ditto's 408 {@code gateway:command.timeout} — also when nobody was subscribed, as in Ditto,
 * which does not know whether a subscriber will answer. A sender who may READ nothing of the thing is
 * refused with 404 {@code things:thing.notfound}, as if it did not exist; one who may read it, with the
 * signal's own 403. Senders are WebSocket sessions or requests of the HTTP messages API ({@link LiveSender}). {@code timeout: 0} or {@code response-required: false}
 * means fire-and-forget.
 *
 * <p>Messages and live commands also go to the attached connection targets ({@link LiveSignalTarget}, e.g. the
 * Hono connection turning them into Hono commands) whose authorization context may READ them, and their
 * responses ({@link LiveConnections#respond}) compete with the sessions' under the same rules.
 */
final class LiveSignalRouter {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSignalRouter.class);
    private static final Duration DEFAULT_LIVE_TIMEOUT = Duration.ofSeconds(60);
    private static final Permissions READ = PoliciesModelFactory.newPermissions("READ");
    private static final String WRITE = "WRITE";

    private final Vertx vertx;
    private final TwinService twins;
    private final Supplier<Collection<WebSocketSession>> sessions;
    private final WebSocketMetrics metrics;
    private final Map<String, PendingResponse> pending = new ConcurrentHashMap<>();
    private final List<LiveSignalTarget> targets = new CopyOnWriteArrayList<>();

    /** A sender waiting for the response to a live signal. */
    private record PendingResponse(LiveSender sender, ThingId thingId, String requestId) {
    }

    /** How a kind of live signal is routed. */
    private record Route(StreamingType streamingType, ResourceKey resource, String requiredPermission,
                         boolean mayHaveResponse) {
    }

    LiveSignalRouter(Vertx vertx, TwinService twins, Supplier<Collection<WebSocketSession>> sessions,
                     WebSocketMetrics metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.twins = Objects.requireNonNull(twins, "twins");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    void attach(LiveSignalTarget target) {
        targets.add(target);
    }

    void detach(LiveSignalTarget target) {
        targets.remove(target);
    }

    /** Routes a live-channel signal a session sent (on that session's context). */
    void route(LiveSender sender, Signal<?> signal) {
        if (signal instanceof CommandResponse<?> response) {
            respond(sender.id(), response);
            return;
        }
        ThingId thingId = WebSocketSession.thingIdOf(signal).orElseThrow(() -> unsupported(signal));
        Route route = routeOf(signal);
        twins.thingPolicy(thingId).onComplete(result -> {
            if (result.failed()) {
                sender.emitError(WebSocketSession.asDittoException(result.cause(), signal.getDittoHeaders()), thingId);
            } else {
                dispatch(sender, signal, thingId, route, result.result());
            }
        });
    }

    private static Route routeOf(Signal<?> signal) {
        if (signal instanceof MessageCommand<?, ?> message) {
            return new Route(StreamingType.MESSAGES, PoliciesResourceType.messageResource(message.getResourcePath()),
                    WRITE, true);
        }
        if (signal instanceof ThingCommand<?> command) {
            return new Route(StreamingType.LIVE_COMMANDS, PoliciesResourceType.thingResource(command.getResourcePath()),
                    command instanceof ThingModifyCommand ? WRITE : "READ", true);
        }
        if (signal instanceof ThingEvent<?> event) {
            return new Route(StreamingType.LIVE_EVENTS, PoliciesResourceType.thingResource(event.getResourcePath()),
                    WRITE, false);
        }
        throw unsupported(signal);
    }

    private void dispatch(LiveSender sender, Signal<?> signal, ThingId thingId, Route route,
                          Optional<Policy> policy) {
        DittoHeaders headers = signal.getDittoHeaders();
        if (policy.isEmpty()) {
            refuse(sender, ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build(), thingId);
            return;
        }
        Enforcer enforcer = PolicyEnforcers.defaultEvaluator(policy.get());
        if (!enforcer.hasUnrestrictedPermissions(route.resource(), sender.subject(), route.requiredPermission())) {
            refuse(sender, notAllowed(signal, thingId, enforcer, sender), thingId);
            return;
        }
        Duration timeout = headers.getTimeout().orElse(DEFAULT_LIVE_TIMEOUT);
        boolean awaitResponse = route.mayHaveResponse() && headers.isResponseRequired() && !timeout.isZero();
        if (awaitResponse && !awaitResponse(sender, thingId, headers, timeout)) {
            return;
        }
        EffectedSubjects readers = enforcer.getSubjectsWithPermission(route.resource(), READ);
        String frame = ProtocolJson.toText(signal);
        int recipients = 0;
        for (WebSocketSession recipient : sessions.get()) {
            if (recipient != sender && recipient.isOpen()
                    && recipient.subscription(route.streamingType())
                            .filter(subscription -> subscription.matchesNamespace(thingId.getNamespace()))
                            .isPresent()
                    && recipient.subject().isAuthorized(readers.getGranted(), readers.getRevoked())) {
                recipient.emit(frame);
                recipients++;
            }
        }
        if (route.streamingType() != StreamingType.LIVE_EVENTS) {
            for (LiveSignalTarget target : targets) {
                if (target.accepts(signal, thingId)
                        && target.authorizationContext().isAuthorized(readers.getGranted(), readers.getRevoked())) {
                    target.publish(signal, thingId, awaitResponse);
                    recipients++;
                }
            }
        }
        LOG.debug("live {} {} for {} from session {} delivered to {} sessions", signal.getType(),
                headers.getCorrelationId().orElse("-"), thingId, sender.id(), recipients);
        sender.dispatched(recipients, awaitResponse);
    }

    /** Registers the sender as waiting; {@code false} (and an error sent) when the correlation ID is taken. */
    private boolean awaitResponse(LiveSender sender, ThingId thingId, DittoHeaders headers, Duration timeout) {
        String correlationId = headers.getCorrelationId().orElseThrow();
        PendingResponse waiting = new PendingResponse(sender, thingId, UUID.randomUUID().toString());
        if (pending.putIfAbsent(correlationId, waiting) != null) {
            refuse(sender, DittoHeaderInvalidException.newBuilder()
                    .withInvalidHeaderKey("correlation-id")
                    .message("The correlation-id '" + correlationId + "' is already used by a live signal still "
                            + "waiting for its response.")
                    .description("Use a unique correlation-id per live message or live command.")
                    .dittoHeaders(headers).build(), thingId);
            return false;
        }
        vertx.setTimer(Math.max(1, timeout.toMillis()), ignored -> {
            if (pending.remove(correlationId, waiting)) {
                metrics.liveSignalDropped("timeout");
                sender.emitError(GatewayCommandTimeoutException.newBuilder(timeout)
                        .dittoHeaders(ProtocolJson.external(headers)).build(), thingId);
            }
        });
        return true;
    }

    /** Hands a response to the sender waiting for it; {@code false} (counted, logged) when nobody waits. */
    boolean respond(String responderId, CommandResponse<?> response) {
        DittoHeaders headers = response.getDittoHeaders();
        String correlationId = headers.getCorrelationId().orElse("");
        PendingResponse waiting = pending.get(correlationId);
        Optional<ThingId> thingId = WebSocketSession.thingIdOf(response);
        if (waiting == null || thingId.filter(waiting.thingId()::equals).isEmpty()
                || !pending.remove(correlationId, waiting)) {
            // like Ditto: a response nobody (or nobody any more) waits for is dropped
            metrics.liveSignalDropped("unexpected-response");
            LOG.info("dropped live response {} with correlation-id {} from {}: nobody waits for it",
                    response.getType(), correlationId, responderId);
            return false;
        }
        waiting.sender().emitSignal(response);
        return true;
    }

    private static DittoRuntimeException notAllowed(Signal<?> signal, ThingId thingId, Enforcer enforcer,
                                                    LiveSender sender) {
        DittoHeaders headers = signal.getDittoHeaders();
        boolean seesThing = enforcer.hasPartialPermissions(PoliciesResourceType.thingResource("/"),
                sender.subject(), READ);
        if (signal instanceof MessageCommand<?, ?> && seesThing) {
            return MessageSendNotAllowedException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        if (signal instanceof ThingEvent<?> && seesThing) {
            return EventSendNotAllowedException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        if (signal instanceof ThingModifyCommand<?> && seesThing) {
            return ThingNotModifiableException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        return ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
    }

    private void refuse(LiveSender sender, DittoRuntimeException error, ThingId thingId) {
        if (error.getDittoHeaders().isResponseRequired()) {
            sender.emitError(error, thingId);
        } else {
            sender.refusedWithoutResponse(error);
            metrics.errorSent(error.getHttpStatus().getCode(), error.getErrorCode());
            LOG.info("session {}: live signal refused (no response required): {} {}", sender.id(),
                    error.getErrorCode(), error.getMessage());
        }
    }

    private static UnsupportedSignalException unsupported(Signal<?> signal) {
        return UnsupportedSignalException.newBuilder(signal.getType())
                .message("The live signal '" + signal.getType() + "' cannot be routed: only messages, live commands,"
                        + " live events and their responses about a thing are supported.")
                .dittoHeaders(signal.getDittoHeaders())
                .build();
    }
}
