package io.twinworks.localstack.ditto.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.core.http.HttpErrorLogLevel;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.UUID;

/**
 * Ditto's HTTP error responses ({@code {status,error,message,description}}) and request correlation
 * IDs, for the routes mounted beside {@link DittoHttpApi} (search, SSE), so that every route of the
 * API answers errors the same way and counts them in {@code twinworks.ditto.http.errors}.
 */
public final class DittoHttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(DittoHttpErrors.class);

    private final MeterRegistry metrics;

    /** @param metrics where error counts go ({@code twinworks.ditto.http.errors} by status and error code) */
    public DittoHttpErrors(MeterRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Headers with the request's {@code correlation-id} (or {@code x-correlation-id}, or a new one). */
    public static DittoHeaders correlatedHeaders(RoutingContext ctx) {
        String correlationId = ctx.request().getHeader("correlation-id");
        if (correlationId == null || correlationId.isBlank()) {
            correlationId = ctx.request().getHeader("x-correlation-id");
        }
        if (correlationId == null || correlationId.isBlank()) {
            correlationId = UUID.randomUUID().toString();
        }
        return DittoHeaders.newBuilder().correlationId(correlationId).build();
    }

    /** Any failure as a Ditto exception (unexpected ones become 500 {@code gateway:internalerror}). */
    public static DittoRuntimeException asDittoException(Throwable failure, DittoHeaders headers) {
        if (failure instanceof DittoRuntimeException dittoException) {
            return dittoException;
        }
        if (failure instanceof JsonRuntimeException jsonException) {
            return new DittoJsonException(jsonException, headers);
        }
        LOG.error("unexpected failure in the Ditto HTTP API", failure);
        return GatewayInternalErrorException.newBuilder().cause(failure).dittoHeaders(headers).build();
    }

    /** Sends the failure as Ditto's error JSON with its status (unless the response has already started). */
    public void send(RoutingContext ctx, Throwable failure, DittoHeaders headers) {
        send(ctx, asDittoException(failure, headers));
    }

    /** Sends the error as Ditto's error JSON with its status, counted and logged (5xx as errors). */
    public void send(RoutingContext ctx, DittoRuntimeException error) {
        int status = error.getHttpStatus().getCode();
        metrics.counter("twinworks.ditto.http.errors", "status", Integer.toString(status),
                "error", error.getErrorCode()).increment();
        if (status >= 500) {
            LOG.error("{} {} -> {} {}: {}", ctx.request().method(), ctx.request().path(), status,
                    error.getErrorCode(), error.getMessage(), error);
        } else {
            LOG.atLevel(HttpErrorLogLevel.of(ctx.request().method().name(), status,
                            ctx.request().getHeader("Authorization") != null))
                    .log("{} {} -> {} {}: {}", ctx.request().method(), ctx.request().path(), status,
                            error.getErrorCode(), error.getMessage());
        }
        HttpServerResponse http = ctx.response();
        if (http.ended() || http.headWritten()) {
            return;
        }
        http.setStatusCode(status);
        error.getDittoHeaders().getCorrelationId().ifPresent(id -> http.putHeader("correlation-id", id));
        if (error instanceof GatewayAuthenticationFailedException) {
            http.putHeader("WWW-Authenticate", "Basic realm=\"DITTO\"");
        }
        if (status == HttpStatus.NOT_MODIFIED.getCode()) {
            http.end();
            return;
        }
        http.putHeader("Content-Type", "application/json").end(error.toJson().toString());
    }
}
