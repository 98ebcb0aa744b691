package io.twinworks.localstack.ditto.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.localstack.ditto.service.DittoSignals;
import io.twinworks.localstack.ditto.service.DittoSignals.Action;
import io.twinworks.localstack.ditto.service.HistoricalRead;
import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.exceptions.UnsupportedMediaTypeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.base.model.signals.commands.WithEntity;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayMethodNotAllowedException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.PathUnknownException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.PolicyTooLargeException;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.PayloadBuilder;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingTooLargeException;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Ditto's HTTP API v2 subset ({@code /api/2/things/...}, {@code /api/2/policies/...}) on Vert.x web.
 *
 * <p>Each request becomes a Ditto Protocol {@link Adaptable} (topic {@code ns/name/things/twin/commands/<action>},
 * the resource path, the body as value, {@code fields}) which Ditto's own protocol adapter turns into the
 * exact command signal ({@code ModifyFeatureProperty}, {@code MergeThing}, {@code RetrievePolicyEntry}, ...)
 * — the same translation a WebSocket or Kafka message goes through. The {@link TwinService}'s response
 * signal or {@code DittoRuntimeException} becomes the HTTP response; errors always have Ditto's shape
 * {@code {status,error,message,description}}.
 */
public final class DittoHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(DittoHttpApi.class);
    private static final String API_PREFIX = "/api/2/";
    private static final String MERGE_PATCH_MEDIA_TYPE = "application/merge-patch+json";
    private static final String UNKNOWN_PROTOCOL_PATH = "things.protocol.adapter:unknown.path";

    private final TwinService twins;
    private final BasicAuthenticator authenticator;
    private final int maxBodyBytes;
    private final DittoHttpErrors errors;

    /**
     * @param twins         the command handler
     * @param authenticator checks HTTP Basic credentials
     * @param maxBodyBytes  the largest request body accepted (larger: 413)
     * @param metrics       where error counts go ({@code twinworks.ditto.http.errors} by status and error code)
     */
    public DittoHttpApi(TwinService twins, BasicAuthenticator authenticator, int maxBodyBytes, MeterRegistry metrics) {
        this.twins = Objects.requireNonNull(twins, "twins");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.maxBodyBytes = maxBodyBytes;
        this.errors = new DittoHttpErrors(Objects.requireNonNull(metrics, "metrics"));
    }

    /** The router serving the API (mount it on an HTTP server). */
    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        new DittoRequestGuard(errors).install(router);
        router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        router.route("/api/2/*").handler(this::handleApiRequest);
        router.route().last().handler(ctx -> errors.send(ctx, PathUnknownException.newBuilder(
                JsonPointer.of(ctx.request().path())).dittoHeaders(DittoHttpErrors.correlatedHeaders(ctx)).build()));
        router.route().failureHandler(this::handleRoutingFailure);
        return router;
    }

    private void handleApiRequest(RoutingContext ctx) {
        DittoHeaders base = DittoHttpErrors.correlatedHeaders(ctx);
        Command<?> command;
        try {
            AuthorizationContext subject = authenticator.authenticate(ctx.request().getHeader("Authorization"), base);
            command = toCommand(ctx, requestHeaders(ctx, base, subject));
        } catch (RuntimeException e) {
            errors.send(ctx, DittoHttpErrors.asDittoException(e, base));
            return;
        }
        twins.handle(command)
                .onSuccess(response -> sendResponse(ctx, response))
                .onFailure(failure -> errors.send(ctx, DittoHttpErrors.asDittoException(failure, command.getDittoHeaders())));
    }

    private Command<?> toCommand(RoutingContext ctx, DittoHeaders headers) {
        String path = ctx.request().path();
        // the route "/api/2/*" also matches "/api/2" itself
        List<String> segments = pathSegments(path.length() > API_PREFIX.length() ? path.substring(API_PREFIX.length()) : "");
        HttpMethod method = ctx.request().method();
        if (segments.isEmpty()) {
            throw PathUnknownException.newBuilder(JsonPointer.of(ctx.request().path())).dittoHeaders(headers).build();
        }
        String root = segments.get(0);
        if ("things".equals(root) && segments.size() == 1) {
            if (!HttpMethod.GET.equals(method)) {
                throw methodNotAllowed(method, headers);
            }
            return retrieveThings(ctx, headers);
        }
        if (segments.size() < 2 || !("things".equals(root) || "policies".equals(root))) {
            throw PathUnknownException.newBuilder(JsonPointer.of(ctx.request().path())).dittoHeaders(headers).build();
        }
        Action action = actionOf(method, headers);
        JsonPointer resourcePath = JsonPointer.empty();
        for (String segment : segments.subList(2, segments.size())) {
            if (segment.isEmpty()) {
                // "//" inside a resource path names no resource (an empty JSON key is no Ditto path)
                throw PathUnknownException.newBuilder(JsonPointer.of(ctx.request().path())).dittoHeaders(headers).build();
            }
            resourcePath = resourcePath.addLeaf(JsonKey.of(segment));
        }
        TopicPath topic = "things".equals(root)
                ? DittoSignals.thingCommandTopic(ThingId.of(segments.get(1)), action)
                : DittoSignals.policyCommandTopic(PolicyId.of(segments.get(1)), action);
        PayloadBuilder payload = ProtocolFactory.newPayloadBuilder(resourcePath);
        if (action == Action.MODIFY || action == Action.MERGE) {
            if (action == Action.MERGE) {
                requireMergePatchContentType(ctx, headers);
            }
            payload.withValue(parseBody(ctx, headers));
        }
        String fields = ctx.request().getParam("fields");
        if (action == Action.RETRIEVE && fields != null && !fields.isBlank()) {
            payload.withFields(fieldSelector(fields));
        }
        Adaptable adaptable = ProtocolFactory.newAdaptableBuilder(topic)
                .withPayload(payload.build())
                .withHeaders(headers)
                .build();
        try {
            return (Command<?>) DittoSignals.PROTOCOL_ADAPTER.fromAdaptable(adaptable).setDittoHeaders(headers);
        } catch (DittoRuntimeException e) {
            if (UNKNOWN_PROTOCOL_PATH.equals(e.getErrorCode())) {
                // report an unknown HTTP resource path with the same error as an unknown route (Ditto gateway code)
                throw PathUnknownException.newBuilder(JsonPointer.of(ctx.request().path())).dittoHeaders(headers).build();
            }
            throw e;
        }
    }

    private static RetrieveThings retrieveThings(RoutingContext ctx, DittoHeaders headers) {
        String ids = ctx.request().getParam("ids");
        if (ids == null || ids.isBlank()) {
            // listing all things is Ditto's search API, not this resource
            throw GatewayMethodNotAllowedException.newBuilder("GET")
                    .message("Retrieving things needs the 'ids' parameter; use /api/2/search/things to list things.")
                    .dittoHeaders(headers).build();
        }
        List<ThingId> thingIds = Arrays.stream(ids.split(",")).map(String::trim).filter(id -> !id.isEmpty())
                .map(ThingId::of).toList();
        RetrieveThings.Builder builder = RetrieveThings.getBuilder(thingIds).dittoHeaders(headers);
        String fields = ctx.request().getParam("fields");
        if (fields != null && !fields.isBlank()) {
            builder.selectedFields(fieldSelector(fields));
        }
        return builder.build();
    }

    /** Ditto's {@code fields} syntax: comma-separated pointers with {@code (...)} grouping, already URL-decoded. */
    private static JsonFieldSelector fieldSelector(String fields) {
        return JsonFactory.newFieldSelector(fields, JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build());
    }

    private static Action actionOf(HttpMethod method, DittoHeaders headers) {
        if (HttpMethod.GET.equals(method)) {
            return Action.RETRIEVE;
        } else if (HttpMethod.PUT.equals(method)) {
            return Action.MODIFY;
        } else if (HttpMethod.PATCH.equals(method)) {
            return Action.MERGE;
        } else if (HttpMethod.DELETE.equals(method)) {
            return Action.DELETE;
        }
        throw methodNotAllowed(method, headers);
    }

    private static GatewayMethodNotAllowedException methodNotAllowed(HttpMethod method, DittoHeaders headers) {
        return GatewayMethodNotAllowedException.newBuilder(method.name()).dittoHeaders(headers).build();
    }

    private static void requireMergePatchContentType(RoutingContext ctx, DittoHeaders headers) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith(MERGE_PATCH_MEDIA_TYPE)) {
            throw UnsupportedMediaTypeException.withDetailedInformationBuilder(
                    contentType == null ? "none" : contentType, Set.of(MERGE_PATCH_MEDIA_TYPE))
                    .dittoHeaders(headers).build();
        }
    }

    private static JsonValue parseBody(RoutingContext ctx, DittoHeaders headers) {
        String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        try {
            return JsonFactory.readFrom(body);
        } catch (JsonRuntimeException e) {
            throw new DittoJsonException(e, headers);
        }
    }

    /** Percent-decoded path segments; a trailing slash adds no segment. */
    private static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            // '+' is a literal plus in a path (URLDecoder would make it a space)
            segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        while (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        return segments;
    }

    private static DittoHeaders requestHeaders(RoutingContext ctx, DittoHeaders base, AuthorizationContext subject) {
        DittoHeadersBuilder<?, ?> builder = base.toBuilder()
                .authorizationContext(subject)
                .schemaVersion(JsonSchemaVersion.V_2);
        copyHeader(ctx, builder, "if-match");
        copyHeader(ctx, builder, "if-none-match");
        copyHeader(ctx, builder, "content-type");
        // Ditto 3.2+'s historical reads; like Ditto's gateway, also taken from a query parameter of the same name
        for (String name : HistoricalRead.HEADERS) {
            String value = ctx.request().getHeader(name);
            if (value == null) {
                value = ctx.request().getParam(name);
            }
            if (value != null) {
                builder.putHeader(name, value);
            }
        }
        return builder.build();
    }

    private static void copyHeader(RoutingContext ctx, DittoHeadersBuilder<?, ?> builder, String name) {
        String value = ctx.request().getHeader(name);
        if (value != null) {
            builder.putHeader(name, value);   // validates (e.g. entity tag syntax): 400 when malformed
        }
    }

    private void sendResponse(RoutingContext ctx, CommandResponse<?> response) {
        if (ctx.response().ended()) {
            return;
        }
        int status = response.getHttpStatus().getCode();
        HttpServerResponse http = ctx.response().setStatusCode(status);
        DittoHeaders headers = response.getDittoHeaders();
        headers.getETag().ifPresent(tag -> http.putHeader("ETag", tag.toString()));
        headers.getCorrelationId().ifPresent(id -> http.putHeader("correlation-id", id));
        if (status == HttpStatus.CREATED.getCode()) {
            http.putHeader("Location", ctx.request().absoluteURI());
        }
        JsonValue entity = entityOf(response);
        if (entity == null || status == HttpStatus.NO_CONTENT.getCode()) {
            http.end();
        } else {
            http.putHeader("Content-Type", "application/json").end(entity.toString());
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

    private void handleRoutingFailure(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        if (ctx.statusCode() == 413) {
            long size = parseLongOr(ctx.request().getHeader("Content-Length"), maxBodyBytes + 1L);
            DittoRuntimeException tooLarge = ctx.request().path().startsWith("/api/2/policies")
                    ? PolicyTooLargeException.newBuilder(size, maxBodyBytes).dittoHeaders(headers).build()
                    : ThingTooLargeException.newBuilder(size, maxBodyBytes).dittoHeaders(headers).build();
            errors.send(ctx, tooLarge);
        } else if (ctx.failure() != null) {
            errors.send(ctx, DittoHttpErrors.asDittoException(ctx.failure(), headers));
        } else {
            errors.send(ctx, GatewayInternalErrorException.newBuilder()
                    .message("The request failed with status " + ctx.statusCode() + ".")
                    .dittoHeaders(headers).build());
        }
    }

    private static long parseLongOr(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
