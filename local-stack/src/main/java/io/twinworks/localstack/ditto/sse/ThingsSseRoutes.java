package io.twinworks.localstack.ditto.sse;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.model.TwinChange;
import io.twinworks.localstack.ditto.search.ThingSearch;
import io.twinworks.localstack.ditto.model.HistoryRange;
import io.twinworks.localstack.ditto.model.ThingHistory;
import io.twinworks.localstack.ditto.service.TwinService;
import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.rql.query.criteria.Criteria;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Ditto's server-sent events of twin changes: {@code GET /api/2/things} with
 * {@code Accept: text/event-stream} (parameters {@code ids}, {@code namespaces}, {@code fields},
 * {@code extraFields}, {@code filter}), and {@code GET /api/2/things/<id>[/<path>]} for one thing or one
 * value in it. Each change the caller may READ is sent as {@code data:<json>} (see
 * {@link SseEventProjection}); a comment line every second keeps the connection alive, as Ditto's
 * heartbeat does. A client that disconnects is unsubscribed. A request without that {@code Accept}
 * goes on to the regular HTTP API. With Ditto 3.2+'s {@code from-historical-revision} /
 * {@code from-historical-timestamp} (and optional {@code to-...}) parameters, the single-thing variant sends
 * the thing's recorded history instead (see {@link HistoricalEvents}) and then ends.
 *
 * <p>The number of open streams is the gauge {@code twinworks.ditto.sse.streams}; events not sent
 * because a client reads too slowly count in {@code twinworks.ditto.sse.dropped}.
 */
public final class ThingsSseRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ThingsSseRoutes.class);
    private static final String EVENT_STREAM = "text/event-stream";
    /** Ditto's gateway sends an SSE heartbeat every second. */
    private static final long KEEP_ALIVE_MILLIS = 1_000;
    /** Runs before the generic {@code /api/2/*} route of the HTTP API. */
    private static final int ROUTE_ORDER = -100;
    /** Ditto 3.2+'s query parameters of a historical stream. */
    private static final List<String> HISTORICAL_PARAMETERS = List.of("from-historical-revision",
            "to-historical-revision", "from-historical-timestamp", "to-historical-timestamp");

    private final Vertx vertx;
    private final TwinService twins;
    private final BasicAuthenticator authenticator;
    private final DittoHttpErrors errors;
    private final MeterRegistry metrics;
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

    /**
     * @param vertx         the Vert.x instance (keep-alive timers)
     * @param twins         the twin service: its persisted changes ({@link TwinService#events()}) and history
     * @param authenticator checks HTTP Basic credentials (subject {@code nginx:<user>})
     * @param errors        writes Ditto error responses (before a stream starts)
     * @param metrics       where the stream gauge and drop counter go
     */
    public ThingsSseRoutes(Vertx vertx, TwinService twins, BasicAuthenticator authenticator,
                           DittoHttpErrors errors, MeterRegistry metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.twins = Objects.requireNonNull(twins, "twins");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.gauge("twinworks.ditto.sse.streams", openStreams);
        // for the server's lifetime, like the twin service's publisher: streams come and go in the set below
        twins.events().subscribeBatches(this::fanOut);
    }

    /**
     * Called on the twin service's worker: hands over at once, never works there. One hand-over per stream and store
     * transaction (a wake-up of the event loop per change and stream cost that thread, the ingest's bottleneck), the
     * changes in commit order; each change's shared parts ({@link SseChange}) are built once for all streams.
     */
    private void fanOut(List<TwinChange> changes) {
        List<SseChange> shared = null;
        for (Stream stream : streams) {
            List<SseChange> watched = null;
            for (int i = 0; i < changes.size(); i++) {
                if (stream.watches(changes.get(i))) {
                    if (shared == null) {
                        shared = changes.stream().map(SseChange::new).toList();
                    }
                    if (watched == null) {
                        watched = new ArrayList<>(changes.size());
                    }
                    watched.add(shared.get(i));
                }
            }
            if (watched != null) {
                stream.handOver(watched);
            }
        }
    }

    /** Adds the SSE routes to the Ditto API router, ahead of its generic routes. */
    public void mount(Router router) {
        router.get("/api/2/things").order(ROUTE_ORDER).handler(ctx -> {
            if (wantsEventStream(ctx)) {
                open(ctx, null, JsonPointer.empty());
            } else {
                ctx.next();
            }
        });
        router.getWithRegex("/api/2/things/([^/]+)(/.*)?").order(ROUTE_ORDER).handler(ctx -> {
            if (!wantsEventStream(ctx)) {
                ctx.next();
                return;
            }
            String thingId = decode(ctx.pathParam("param0"));
            String path = ctx.pathParam("param1");
            JsonPointer resourcePath = path == null || path.isEmpty() || "/".equals(path)
                    ? JsonPointer.empty() : JsonPointer.of(decode(path));
            if (HISTORICAL_PARAMETERS.stream().anyMatch(name -> param(ctx, name) != null)) {
                openHistorical(ctx, thingId, resourcePath);
            } else {
                open(ctx, thingId, resourcePath);
            }
        });
    }

    private static boolean wantsEventStream(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.toLowerCase().contains(EVENT_STREAM);
    }

    private void open(RoutingContext ctx, String singleThingId, JsonPointer resourcePath) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        AuthorizationContext subject;
        SseSubscription subscription;
        try {
            subject = authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
            subscription = subscription(ctx, singleThingId, resourcePath, headers);
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
            return;
        }
        HttpServerResponse response = eventStreamResponse(ctx, headers);
        response.write(":\n\n");   // sends the headers now, so that the client knows the stream is open
        new Stream(vertx.getOrCreateContext(), response, subject, subscription).start();
    }

    /**
     * Ditto 3.2+'s historical stream of one thing: the recorded states in the requested range as events,
     * then the stream ends. 404 when the thing does not exist or the caller may READ nothing of it.
     */
    private void openHistorical(RoutingContext ctx, String thingIdText, JsonPointer resourcePath) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        AuthorizationContext subject;
        SseSubscription subscription;
        HistoryRange range;
        ThingId thingId;
        try {
            subject = authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
            thingId = ThingId.of(thingIdText);
            subscription = subscription(ctx, thingIdText, resourcePath, headers);
            range = historyRange(ctx, headers);
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
            return;
        }
        twins.thingHistory(thingId, range).onComplete(result -> {
            if (result.failed()) {
                errors.send(ctx, result.cause(), headers);
                return;
            }
            Optional<ThingHistory> history = result.result();
            Enforcer enforcer = history.map(found -> PolicyEnforcers.defaultEvaluator(found.policy())).orElse(null);
            if (history.isEmpty() || !HistoricalEvents.seesThing(enforcer, subject)) {
                errors.send(ctx, ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build(), headers);
                return;
            }
            List<JsonValue> data;
            try {
                data = HistoricalEvents.project(thingId, history.get(), enforcer, subject, subscription);
            } catch (RuntimeException e) {
                errors.send(ctx, e, headers);
                return;
            }
            HttpServerResponse response = eventStreamResponse(ctx, headers);
            StringBuilder body = new StringBuilder(":\n\n");
            data.forEach(value -> body.append("data:").append(value).append("\n\n"));
            response.end(body.toString());
        });
    }

    private static HistoryRange historyRange(RoutingContext ctx, DittoHeaders headers) {
        Long fromRevision = revision(ctx, "from-historical-revision", headers);
        Long toRevision = revision(ctx, "to-historical-revision", headers);
        Instant fromTimestamp = timestamp(ctx, "from-historical-timestamp", headers);
        Instant toTimestamp = timestamp(ctx, "to-historical-timestamp", headers);
        if (fromRevision == null && fromTimestamp == null) {
            throw invalidParameter("A historical stream needs 'from-historical-revision' or "
                    + "'from-historical-timestamp'.", headers);
        }
        return new HistoryRange(fromRevision, toRevision, fromTimestamp, toTimestamp);
    }

    private static Long revision(RoutingContext ctx, String name, DittoHeaders headers) {
        String value = param(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalidParameter("The query parameter '" + name + "' must be a whole number, not '" + value + "'.",
                    headers);
        }
    }

    private static Instant timestamp(RoutingContext ctx, String name, DittoHeaders headers) {
        String value = param(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalidParameter("The query parameter '" + name + "' must be an ISO-8601 timestamp with offset,"
                    + " e.g. 2024-05-01T12:00:00Z, not '" + value + "'.", headers);
        }
    }

    private static DittoRuntimeException invalidParameter(String message, DittoHeaders headers) {
        return DittoHeaderInvalidException.newCustomMessageBuilder(message)
                .description("See Ditto's history documentation: basic-history.html.")
                .dittoHeaders(headers)
                .build();
    }

    private static SseSubscription subscription(RoutingContext ctx, String singleThingId, JsonPointer resourcePath,
                                                DittoHeaders headers) {
        String ids = singleThingId != null ? singleThingId : param(ctx, "ids");
        Set<ThingId> thingIds = ids == null ? Set.of() : Arrays.stream(ids.split(",")).map(String::trim)
                .filter(id -> !id.isEmpty()).map(ThingId::of).collect(Collectors.toSet());
        String namespaces = param(ctx, "namespaces");
        Set<String> namespaceSet = namespaces == null ? Set.of() : Arrays.stream(namespaces.split(","))
                .map(String::trim).filter(namespace -> !namespace.isEmpty()).collect(Collectors.toSet());
        // the /things/<id>/<path> variant projects onto its path, as Ditto does
        String fields = resourcePath.isEmpty() ? param(ctx, "fields") : resourcePath.toString();
        String filter = param(ctx, "filter");
        Criteria criteria = filter == null ? null : ThingSearch.parseFilter(filter, headers);
        return new SseSubscription(thingIds, namespaceSet, selector(fields), selector(param(ctx, "extraFields")),
                criteria, resourcePath);
    }

    private static JsonFieldSelector selector(String fields) {
        return fields == null ? null : JsonFactory.newFieldSelector(fields,
                JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build());
    }

    private static String param(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static String decode(String segment) {
        // '+' is a literal plus in a path
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** An event-stream response (chunked, not cached) carrying the request's correlation ID; nothing written yet. */
    private static HttpServerResponse eventStreamResponse(RoutingContext ctx, DittoHeaders headers) {
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", EVENT_STREAM)
                .putHeader("Cache-Control", "no-cache");
        headers.getCorrelationId().ifPresent(id -> response.putHeader("correlation-id", id));
        return response;
    }

    /** One client's open event stream. Everything but the subscription callback runs on the request's context. */
    private final class Stream {

        private final Context context;
        private final HttpServerResponse response;
        private final AuthorizationContext subject;
        private final SseSubscription subscription;
        private long keepAliveTimer;
        private boolean closed;

        Stream(Context context, HttpServerResponse response, AuthorizationContext subject,
               SseSubscription subscription) {
            this.context = context;
            this.response = response;
            this.subject = subject;
            this.subscription = subscription;
        }

        void start() {
            openStreams.incrementAndGet();
            response.closeHandler(v -> close());
            response.exceptionHandler(failure -> close());
            // changes published from now on (the twin service's thread hands them over: fanOut)
            streams.add(this);
            keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> {
                if (!closed && !response.writeQueueFull()) {
                    response.write(":\n\n");
                }
            });
        }

        /** Whether the stream may want the change: its thing is one of the watched. */
        boolean watches(TwinChange change) {
            return subscription.watches(change.event().getEntityId());
        }

        /** Hands changes over to the stream's context (from the publisher's thread), in order. */
        void handOver(List<SseChange> changes) {
            context.runOnContext(v -> changes.forEach(this::deliver));
        }

        private void deliver(SseChange change) {
            if (closed) {
                return;
            }
            Optional<JsonValue> data;
            try {
                data = SseEventProjection.project(change, subject, subscription);
            } catch (RuntimeException e) {
                LOG.warn("cannot project {} for an SSE client: {}", change.change().event().getType(), e.toString());
                return;
            }
            if (data.isEmpty()) {
                return;
            }
            if (response.writeQueueFull()) {
                metrics.counter("twinworks.ditto.sse.dropped").increment();
                return;
            }
            response.write("data:" + data.get() + "\n\n");
        }

        private void close() {
            if (closed) {
                return;
            }
            closed = true;
            openStreams.decrementAndGet();
            vertx.cancelTimer(keepAliveTimer);
            streams.remove(this);
        }
    }
}
