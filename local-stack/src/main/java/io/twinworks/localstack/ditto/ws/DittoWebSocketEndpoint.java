package io.twinworks.localstack.ditto.ws;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.service.TwinEventPublisher;
import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabelNotUniqueException;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ditto's WebSocket API {@code /ws/2}: the Ditto Protocol over text frames, authenticated with HTTP
 * Basic on the upgrade request (subject {@code nginx:<user>}, as the HTTP API).
 *
 * <p>Twin and policy commands go to the {@link TwinService} with the session's authorization context;
 * twin events from the {@link TwinEventPublisher} reach sessions that sent {@code START-SEND-EVENTS}
 * (optionally {@code ?filter=<RQL>&namespaces=..&extraFields=..}) and may READ the change; live messages,
 * live commands and live events are routed between sessions by the thing's policy; custom
 * acknowledgements ({@code declared-acks} on the upgrade, {@code requested-acks} on commands) are
 * aggregated as Ditto does.
 *
 * <p>Wiring: mount {@link #handle} for requests {@link #accepts} accepts, before any body handler:
 * <pre>{@code
 * DittoWebSocketEndpoint webSocket = new DittoWebSocketEndpoint(vertx, twinService, authenticator, metrics);
 * server.requestHandler(request -> {
 *     if (webSocket.accepts(request)) webSocket.handle(request); else router.handle(request);
 * });
 * }</pre>
 * and {@link #close()} it before the twin service closes.
 */
public final class DittoWebSocketEndpoint implements AutoCloseable {

    /** The path of Ditto's WebSocket API, version 2. */
    public static final String PATH = "/ws/2";
    private static final String DECLARED_ACKS = "declared-acks";

    private static final Logger LOG = LoggerFactory.getLogger(DittoWebSocketEndpoint.class);

    private final Vertx vertx;
    private final TwinService twins;
    private final BasicAuthenticator authenticator;
    private final WebSocketMetrics metrics;
    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<AcknowledgementLabel, WebSocketSession> declaredLabels = new ConcurrentHashMap<>();
    private final LiveSignalRouter live;
    private final TwinAcknowledgements acknowledgements;
    private final TwinEventPublisher.Subscription eventSubscription;

    /**
     * @param vertx         the Vert.x instance (timers for timeouts)
     * @param twins         the command handler; its {@link TwinService#events()} feed the event subscriptions
     * @param authenticator checks the HTTP Basic credentials of the upgrade request
     * @param metrics       where {@code twinworks.ditto.ws.*} meters go
     */
    public DittoWebSocketEndpoint(Vertx vertx, TwinService twins, BasicAuthenticator authenticator,
                                  MeterRegistry metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.twins = Objects.requireNonNull(twins, "twins");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.metrics = new WebSocketMetrics(Objects.requireNonNull(metrics, "metrics"));
        this.live = new LiveSignalRouter(vertx, twins, this::openSessions, this.metrics);
        this.acknowledgements = new TwinAcknowledgements(vertx, this.metrics);
        this.eventSubscription = twins.events().subscribeBatches(this::fanOut);
    }

    /** Live messages from senders outside the WebSocket (Ditto's HTTP messages API), routed to these sessions. */
    public LiveMessages liveMessages() {
        return new LiveMessages(live);
    }

    /** Where connection targets (e.g. the Hono connection) attach to the live channel. */
    public LiveConnections liveConnections() {
        return new LiveConnections(live);
    }

    /** Whether the request is for this endpoint ({@code /ws/2}). */
    public boolean accepts(HttpServerRequest request) {
        String path = request.path();
        return PATH.equals(path) || (PATH + "/").equals(path);
    }

    /**
     * Authenticates and upgrades the request; refuses it with Ditto's error JSON (401 without valid
     * credentials, 400 when it is no WebSocket upgrade or declares invalid acknowledgement labels).
     */
    public void handle(HttpServerRequest request) {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId(correlationIdOf(request)).build();
        AuthorizationContext subject;
        Set<AcknowledgementLabel> declared;
        try {
            subject = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION), headers);
            if (!isUpgrade(request)) {
                throw DittoHeaderInvalidException.newCustomMessageBuilder(
                                "The request to " + PATH + " is no WebSocket upgrade request.")
                        .description("Connect with a WebSocket client ('Connection: Upgrade', 'Upgrade: websocket').")
                        .dittoHeaders(headers).build();
            }
            declared = declaredAcks(request, headers);
        } catch (DittoRuntimeException e) {
            refuse(request, e);
            return;
        }
        Context context = vertx.getOrCreateContext();
        request.toWebSocket().onSuccess(socket -> {
            WebSocketSession session = new WebSocketSession(socket, context, subject, declared, twins, live,
                    acknowledgements, metrics);
            sessions.add(session);
            metrics.sessionOpened();
            session.start(() -> closed(session));
            LOG.info("WebSocket session {} opened for {} from {}", session.id(), subject.getAuthorizationSubjectIds(),
                    request.remoteAddress());
            claimDeclaredLabels(session, headers);
        }).onFailure(failure -> LOG.info("WebSocket upgrade of {} failed: {}", request.remoteAddress(),
                failure.toString()));
    }

    /** Stops delivering events and closes every session. */
    @Override
    public void close() {
        eventSubscription.close();
        for (WebSocketSession session : sessions) {
            session.close();
        }
    }

    private Collection<WebSocketSession> openSessions() {
        return sessions;
    }

    private void fanOut(List<TwinChange> changes) {
        // the changes carry the policy cache's enforcer and its decisions: every session decides with them, none
        // rebuilds them; each event's message is built once for all sessions that may read it whole; one
        // hand-over per session and transaction, the changes in commit order
        List<OutgoingEvent> outgoing = null;
        for (WebSocketSession session : sessions) {
            if (session.subscription(StreamingType.EVENTS).isPresent()) {
                if (outgoing == null) {
                    outgoing = changes.stream().map(OutgoingEvent::new).toList();
                }
                List<OutgoingEvent> events = outgoing;
                session.runOnContext(() -> session.deliverTwinChanges(events));
            }
        }
    }

    private void closed(WebSocketSession session) {
        if (sessions.remove(session)) {
            metrics.sessionClosed();
            declaredLabels.values().removeIf(owner -> owner == session);
            LOG.info("WebSocket session {} closed", session.id());
        }
    }

    /** Like Ditto: a label may be declared by one subscriber only; a second one gets an error and is closed. */
    private void claimDeclaredLabels(WebSocketSession session, DittoHeaders headers) {
        List<AcknowledgementLabel> taken = new ArrayList<>();
        for (AcknowledgementLabel label : session.declaredAcks()) {
            WebSocketSession owner = declaredLabels.putIfAbsent(label, session);
            if (owner != null && owner != session) {
                taken.add(label);
            }
        }
        if (!taken.isEmpty()) {
            session.emitError(AcknowledgementLabelNotUniqueException.newBuilder()
                    .message("The acknowledgement labels " + taken + " are already declared by another subscriber.")
                    .dittoHeaders(headers).build(), null);
            session.close();
        }
    }

    private static Set<AcknowledgementLabel> declaredAcks(HttpServerRequest request, DittoHeaders headers) {
        Set<String> labels = new LinkedHashSet<>();
        String header = request.getHeader(DECLARED_ACKS);
        if (header != null && !header.isBlank()) {
            try {
                JsonValue array = JsonFactory.readFrom(header);
                if (!array.isArray()) {
                    throw new IllegalArgumentException("not a JSON array");
                }
                array.asArray().forEach(value -> labels.add(value.isString() ? value.asString() : value.toString()));
            } catch (RuntimeException e) {
                throw invalidDeclaredAcks(header, headers);
            }
        }
        String parameter = request.getParam(DECLARED_ACKS);
        if (parameter != null && !parameter.isBlank()) {
            Arrays.stream(parameter.split(",")).map(String::strip).filter(label -> !label.isEmpty()).forEach(labels::add);
        }
        Set<AcknowledgementLabel> declared = new LinkedHashSet<>();
        for (String label : labels) {
            AcknowledgementLabel parsed;
            try {
                parsed = AcknowledgementLabel.of(label);
            } catch (RuntimeException e) {
                throw invalidDeclaredAcks(label, headers);
            }
            if (DittoAcknowledgementLabel.contains(parsed)) {
                throw DittoHeaderInvalidException.newCustomMessageBuilder(
                                "The built-in acknowledgement label '" + label + "' cannot be declared.")
                        .dittoHeaders(headers).build();
            }
            declared.add(parsed);
        }
        return declared;
    }

    private static DittoHeaderInvalidException invalidDeclaredAcks(String value, DittoHeaders headers) {
        return DittoHeaderInvalidException.newCustomMessageBuilder(
                        "The declared acknowledgement labels '" + value + "' are invalid.")
                .description("Declare labels as a JSON array in the 'declared-acks' header or comma-separated in "
                        + "the 'declared-acks' query parameter.")
                .dittoHeaders(headers).build();
    }

    private void refuse(HttpServerRequest request, DittoRuntimeException error) {
        int status = error.getHttpStatus().getCode();
        metrics.upgradeRefused(error.getErrorCode());
        metrics.errorSent(status, error.getErrorCode());
        LOG.info("WebSocket upgrade from {} refused: {} {}: {}", request.remoteAddress(), status,
                error.getErrorCode(), error.getMessage());
        HttpServerResponse response = request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        error.getDittoHeaders().getCorrelationId().ifPresent(id -> response.putHeader("correlation-id", id));
        if (error instanceof GatewayAuthenticationFailedException) {
            response.putHeader("WWW-Authenticate", "Basic realm=\"DITTO\"");
        }
        response.end(error.toJson().toString());
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && "websocket".equalsIgnoreCase(upgrade.strip());
    }

    private static String correlationIdOf(HttpServerRequest request) {
        String correlationId = request.getHeader("correlation-id");
        return correlationId == null || correlationId.isBlank() ? UUID.randomUUID().toString() : correlationId;
    }
}
