package io.twinworks.localstack.ditto.ws;

import io.vertx.core.Vertx;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabelNotDeclaredException;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.base.model.signals.acks.AcknowledgementRequestTimeoutException;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgements;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.base.model.signals.commands.WithEntity;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Aggregates the acknowledgements a twin-modifying command from a WebSocket requested
 * ({@code requested-acks} with custom labels besides {@code twin-persisted}), as Ditto's
 * acknowledgement aggregator does: {@code twin-persisted} is fulfilled by the command's own response
 * after the commit, custom labels by subscribers that declared them and answer the event with an
 * acknowledgement carrying the same correlation ID. When all are in, or when the {@code timeout}
 * passes (missing ones become 408 {@code acknowledgement:request.timeout}), the requester gets one
 * aggregated {@code Acknowledgements} message ({@code <ns>/<name>/things/twin/acks}). A failing command
 * ends the aggregation with its error, as in Ditto.
 *
 * <p>Commands that request only {@code twin-persisted} do not come here: like Ditto, the requester
 * then simply gets the command response.
 */
final class TwinAcknowledgements {

    private static final Logger LOG = LoggerFactory.getLogger(TwinAcknowledgements.class);

    private final Vertx vertx;
    private final WebSocketMetrics metrics;
    private final Map<String, Aggregation> pending = new ConcurrentHashMap<>();

    TwinAcknowledgements(Vertx vertx, WebSocketMetrics metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Starts waiting for the requested acknowledgements of a command (before the command is applied). */
    Aggregation start(WebSocketSession requester, ThingId thingId, DittoHeaders commandHeaders, Duration timeout) {
        String correlationId = commandHeaders.getCorrelationId().orElseThrow();
        Aggregation aggregation = new Aggregation(requester, thingId, commandHeaders, timeout);
        pending.put(correlationId, aggregation);
        long timerId = vertx.setTimer(Math.max(1, timeout.toMillis()), ignored -> aggregation.timedOut());
        aggregation.timerId = timerId;
        return aggregation;
    }

    /**
     * An acknowledgement a subscriber sent (or a weak one issued for it). Only declared labels are
     * accepted; acknowledgements nobody waits for are dropped, as Ditto does.
     */
    void acknowledgementReceived(WebSocketSession from, Acknowledgement acknowledgement) {
        DittoHeaders headers = acknowledgement.getDittoHeaders();
        if (!from.declaredAcks().contains(acknowledgement.getLabel())) {
            from.emitError(AcknowledgementLabelNotDeclaredException.of(acknowledgement.getLabel(), headers),
                    acknowledgement.getEntityId());
            return;
        }
        Aggregation aggregation = headers.getCorrelationId().map(pending::get).orElse(null);
        if (aggregation == null || !aggregation.thingId.equals(acknowledgement.getEntityId())) {
            metrics.liveSignalDropped("unexpected-acknowledgement");
            LOG.info("dropped acknowledgement {} for {} from session {}: nobody waits for correlation-id {}",
                    acknowledgement.getLabel(), acknowledgement.getEntityId(), from.id(),
                    headers.getCorrelationId().orElse("-"));
            return;
        }
        aggregation.received(acknowledgement);
    }

    /** The acknowledgements of one command; all methods may be called from any thread. */
    final class Aggregation {

        private final WebSocketSession requester;
        private final ThingId thingId;
        private final DittoHeaders commandHeaders;
        private final Duration timeout;
        private final Map<AcknowledgementLabel, Acknowledgement> received = new LinkedHashMap<>();
        private volatile long timerId = -1;
        private boolean done;

        private Aggregation(WebSocketSession requester, ThingId thingId, DittoHeaders commandHeaders, Duration timeout) {
            this.requester = requester;
            this.thingId = thingId;
            this.commandHeaders = commandHeaders;
            this.timeout = timeout;
        }

        /** The command was applied and persisted: fulfils {@code twin-persisted} (if requested). */
        void commandSucceeded(CommandResponse<?> response) {
            DittoHeaders headers = ProtocolJson.external(response.getDittoHeaders());
            received(Acknowledgement.of(DittoAcknowledgementLabel.TWIN_PERSISTED, thingId, response.getHttpStatus(),
                    headers, entityOf(response)));
        }

        /** The command failed: the requester gets the error, not an aggregation. */
        void commandFailed(DittoRuntimeException error) {
            if (finish()) {
                requester.emitError(error, thingId);
            }
        }

        synchronized void received(Acknowledgement acknowledgement) {
            if (done || !isRequested(acknowledgement.getLabel())) {
                return;
            }
            received.putIfAbsent(acknowledgement.getLabel(), acknowledgement);
            if (received.size() == commandHeaders.getAcknowledgementRequests().size()) {
                complete();
            }
        }

        private boolean isRequested(AcknowledgementLabel label) {
            return commandHeaders.getAcknowledgementRequests().stream()
                    .map(AcknowledgementRequest::getLabel)
                    .anyMatch(label::equals);
        }

        private synchronized void timedOut() {
            if (!done) {
                LOG.info("acknowledgements {} for {} timed out after {}; received only {}",
                        commandHeaders.getAcknowledgementRequests(), thingId, timeout, received.keySet());
                complete();
            }
        }

        private synchronized void complete() {
            if (!finish()) {
                return;
            }
            DittoHeaders headers = ProtocolJson.external(commandHeaders);
            List<Acknowledgement> all = new ArrayList<>();
            for (AcknowledgementRequest request : commandHeaders.getAcknowledgementRequests()) {
                Acknowledgement acknowledgement = received.get(request.getLabel());
                all.add(acknowledgement != null ? acknowledgement : Acknowledgement.of(request.getLabel(), thingId,
                        HttpStatus.REQUEST_TIMEOUT, headers,
                        AcknowledgementRequestTimeoutException.newBuilder(timeout).dittoHeaders(headers).build().toJson()));
            }
            requester.emitSignal(Acknowledgements.of(all, headers));
        }

        /** Marks the aggregation done exactly once; {@code false} when it already was. */
        private synchronized boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            commandHeaders.getCorrelationId().ifPresent(id -> pending.remove(id, this));
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
            return true;
        }
    }

    private static JsonValue entityOf(CommandResponse<?> response) {
        if (response instanceof WithEntity<?> withEntity) {
            return withEntity.getEntity(JsonSchemaVersion.V_2);
        }
        if (response instanceof WithOptionalEntity withOptionalEntity) {
            return withOptionalEntity.getEntity(JsonSchemaVersion.V_2).orElse(null);
        }
        return null;
    }
}
