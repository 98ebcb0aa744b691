package io.twinworks.localstack.ditto.messages;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.service.DittoSignals;
import io.twinworks.localstack.ditto.ws.LiveMessages;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommandResponse;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Ditto's HTTP messages API: {@code POST /api/2/things/<id>[/features/<featureId>]/(inbox|outbox)/messages/<subject>}
 * sends the body as a live message and answers with the recipient's response — its status, content type and
 * payload. As in Ditto: {@code timeout} (default 10 s, at most 60 s; {@code 30}, {@code 30s}, {@code 500ms})
 * bounds the wait, then 408 {@code gateway:command.timeout}; {@code timeout=0} answers 202 at once
 * (fire-and-forget); the sender needs WRITE on the {@code message:} resource (else 403
 * {@code messages:send.notallowed}, or 404 {@code things:thing.notfound} without READ on the thing).
 * The message reaches the WebSocket sessions that sent {@code START-SEND-MESSAGES} and may READ it
 * ({@link LiveMessages}).
 *
 * <p>Body: JSON for {@code application/json} (and {@code +json}) content types, text for {@code text/*}
 * or none, base64 of the bytes for anything else (Ditto Protocol's binary payload form).
 */
public final class ThingMessagesRoutes {

    /** Runs before the generic {@code /api/2/*} route of the HTTP API. */
    private static final int ROUTE_ORDER = -100;
    private static final String MESSAGES_PATH =
            "/api/2/things/([^/]+)(/features/[^/]+)?/(inbox|outbox)/messages/(.+)";
    /** Ditto's HTTP messages default timeout. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Ditto gateway's largest accepted timeout. */
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final LiveMessages messages;
    private final BasicAuthenticator authenticator;
    private final DittoHttpErrors errors;
    private final int maxBodyBytes;

    /**
     * @param messages      routes the messages to WebSocket subscribers, enforcing the thing's policy
     * @param authenticator checks HTTP Basic credentials
     * @param errors        writes Ditto error responses
     * @param maxBodyBytes  the largest message body accepted (larger: 413)
     */
    public ThingMessagesRoutes(LiveMessages messages, BasicAuthenticator authenticator, DittoHttpErrors errors,
                               int maxBodyBytes) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Adds the messages route to the Ditto API router, ahead of its generic routes. */
    public void mount(Router router) {
        router.postWithRegex(MESSAGES_PATH).order(ROUTE_ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(this::send);
    }

    private void send(RoutingContext ctx) {
        DittoHeaders base = DittoHttpErrors.correlatedHeaders(ctx);
        MessageCommand<?, ?> message;
        AuthorizationContext subject;
        try {
            subject = authenticator.authenticate(ctx.request().getHeader("Authorization"), base);
            message = toMessage(ctx, base);
        } catch (RuntimeException e) {
            errors.send(ctx, e, base);
            return;
        }
        DittoHeaders headers = message.getDittoHeaders();
        messages.send(message, subject).onComplete(result -> {
            if (result.failed()) {
                errors.send(ctx, result.cause(), headers);
            } else {
                respond(ctx, result.result(), headers);
            }
        });
    }

    private static MessageCommand<?, ?> toMessage(RoutingContext ctx, DittoHeaders base) {
        ThingId thingId = ThingId.of(decode(ctx.pathParam("param0")));
        String featurePath = ctx.pathParam("param1");
        String direction = ctx.pathParam("param2");
        String subject = decode(ctx.pathParam("param3"));
        String contentType = ctx.request().getHeader("Content-Type");
        Duration timeout = timeout(ctx.request().getParam("timeout"), base);
        DittoHeaders headers = DittoHeaders.newBuilder(base)
                .timeout(timeout)
                .responseRequired(!timeout.isZero())
                .contentType(contentType == null ? "text/plain" : contentType)
                .build();
        JsonPointer path = JsonPointer.empty();
        if (featurePath != null && !featurePath.isEmpty()) {
            path = JsonPointer.of(decode(featurePath));
        }
        path = path.append(JsonPointer.of("/" + direction + "/messages")).append(JsonPointer.of("/" + subject));
        TopicPath topic = ProtocolFactory.newTopicPathBuilder(thingId).things().live().messages().subject(subject).build();
        Adaptable adaptable = ProtocolFactory.newAdaptableBuilder(topic)
                .withPayload(ProtocolFactory.newPayloadBuilder(path)
                        .withValue(payload(ctx.body().buffer(), contentType, headers)).build())
                .withHeaders(headers)
                .build();
        return (MessageCommand<?, ?>) DittoSignals.PROTOCOL_ADAPTER.fromAdaptable(adaptable);
    }

    private static Duration timeout(String value, DittoHeaders headers) {
        if (value == null || value.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        // Ditto's own parsing: a bare number is seconds; "ms", "s" and "m" units
        Duration timeout = DittoHeaders.newBuilder().timeout(value.trim()).build().getTimeout().orElse(DEFAULT_TIMEOUT);
        if (timeout.compareTo(MAX_TIMEOUT) > 0 || timeout.isNegative()) {
            throw DittoHeaderInvalidException.newBuilder()
                    .withInvalidHeaderKey("timeout")
                    .message("The timeout '" + value + "' is outside [0, 60s].")
                    .description("Use a timeout of at most 60 seconds, or 0 to not wait for a response.")
                    .dittoHeaders(headers).build();
        }
        return timeout;
    }

    private static JsonValue payload(Buffer body, String contentType, DittoHeaders headers) {
        if (body == null || body.length() == 0) {
            return JsonFactory.nullLiteral();
        }
        String type = contentType == null ? "text/plain" : contentType.toLowerCase(Locale.ROOT);
        if (isJson(type)) {
            try {
                return JsonFactory.readFrom(body.toString(StandardCharsets.UTF_8));
            } catch (JsonRuntimeException e) {
                throw new DittoJsonException(e, headers);
            }
        }
        if (type.startsWith("text/")) {
            return JsonValue.of(body.toString(StandardCharsets.UTF_8));
        }
        return JsonValue.of(Base64.getEncoder().encodeToString(body.getBytes()));
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";")[0].trim();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static void respond(RoutingContext ctx, Optional<Signal<?>> answer, DittoHeaders request) {
        HttpServerResponse http = ctx.response();
        request.getCorrelationId().ifPresent(id -> http.putHeader("correlation-id", id));
        if (answer.isEmpty()) {
            http.setStatusCode(202).end();
            return;
        }
        Signal<?> signal = answer.get();
        int status = signal instanceof MessageCommandResponse<?, ?> response ? response.getHttpStatus().getCode() : 200;
        String contentType = signal.getDittoHeaders().getContentType().orElse(null);
        Optional<?> payload = signal instanceof MessageCommandResponse<?, ?> response
                ? response.getMessage().getPayload() : Optional.empty();
        http.setStatusCode(status);
        if (payload.isEmpty() || (payload.get() instanceof JsonValue json && json.isNull())) {
            http.end();
            return;
        }
        Object value = payload.get();
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (value instanceof ByteBuffer bytes) {
            // a binary payload (e.g. a device's answer of content type application/octet-stream): the bytes
            byte[] raw = new byte[bytes.remaining()];
            bytes.duplicate().get(raw);
            http.putHeader("Content-Type", contentType == null ? "application/octet-stream" : contentType);
            http.end(Buffer.buffer(raw));
            return;
        }
        if (value instanceof JsonValue json && json.isString() && !isJson(type)) {
            // text, or base64 of binary content: answer the bytes, as Ditto does
            String text = json.asString();
            http.putHeader("Content-Type", contentType == null ? "text/plain" : contentType);
            http.end(type.startsWith("text/") || type.isEmpty() ? Buffer.buffer(text)
                    : Buffer.buffer(decodeBase64OrText(text)));
            return;
        }
        http.putHeader("Content-Type", contentType == null ? "application/json" : contentType);
        http.end(value.toString());
    }

    private static byte[] decodeBase64OrText(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
