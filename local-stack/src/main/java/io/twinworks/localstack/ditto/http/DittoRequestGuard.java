package io.twinworks.localstack.ditto.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.exceptions.UnsupportedMediaTypeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks every request of the Ditto API passes before any route sees it, so routes added later
 * inherit them: a request URI that is not validly percent-encoded gets 400 {@code uri.invalid}, a body
 * in a media type the route cannot read gets 415 {@code mediatype.unsupported}, both in Ditto's error
 * shape and logged once at INFO by {@link DittoHttpErrors}, never a stack trace.
 *
 * <p>Media types: JSON routes read {@code application/json}, {@code application/merge-patch+json} and
 * other {@code +json} types in UTF-8 (a missing {@code Content-Type} is read as JSON); the messages
 * inbox/outbox takes any type as Ditto does, except HTML forms, which no route of this API reads (the
 * body handler would decode them as a form instead of passing the payload on); only the search routes
 * may take {@code application/x-www-form-urlencoded} (Ditto's {@code POST /api/2/search/things} form).
 *
 * <p>It also catches what Vert.x web cannot route at all (a URI it fails to decode while matching
 * routes, a failure inside a failure handler) and answers in Ditto's shape instead of plain text.
 */
public final class DittoRequestGuard {

    /** Runs before every route of the API (theirs are ordered at -100 and above). */
    private static final int ROUTE_ORDER = -1000;
    private static final Set<String> FORM_MEDIA_TYPES = Set.of("application/x-www-form-urlencoded",
            "multipart/form-data");
    private static final Set<String> JSON_MEDIA_TYPES = Set.of("application/json", "application/merge-patch+json");
    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.POST);
    private static final Pattern MESSAGES_PATH =
            Pattern.compile("/api/2/things/[^/]+(/features/[^/]+)?/(inbox|outbox)/messages/.+");
    private static final String SEARCH_PATH_PREFIX = "/api/2/search/";

    private final DittoHttpErrors errors;

    /** @param errors writes and counts the Ditto error responses */
    public DittoRequestGuard(DittoHttpErrors errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /** Adds the checks ahead of every route of the router and its error handlers for unroutable requests. */
    public void install(Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
        // Vert.x web answers these itself in plain text (and logs a stack trace) unless handlers are set
        router.errorHandler(400, ctx -> errors.send(ctx, RequestUriInvalidException.of(
                percentEncodingProblem(ctx.request().uri()).orElse("it cannot be decoded"),
                DittoHttpErrors.correlatedHeaders(ctx))));
        router.errorHandler(500, ctx -> errors.send(ctx, DittoHttpErrors.asDittoException(
                ctx.failure() != null ? ctx.failure() : GatewayInternalErrorException.newBuilder()
                        .dittoHeaders(DittoHttpErrors.correlatedHeaders(ctx)).build(),
                DittoHttpErrors.correlatedHeaders(ctx))));
    }

    private void check(RoutingContext ctx) {
        Optional<String> uriProblem = percentEncodingProblem(ctx.request().uri());
        if (uriProblem.isPresent()) {
            errors.send(ctx, RequestUriInvalidException.of(uriProblem.get(), DittoHttpErrors.correlatedHeaders(ctx)));
            return;
        }
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && !acceptsContentType(ctx.request().method(), ctx.request().path(), contentType)) {
            DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
            errors.send(ctx, UnsupportedMediaTypeException.withDetailedInformationBuilder(contentType,
                    JSON_MEDIA_TYPES).dittoHeaders(headers).build());
            return;
        }
        ctx.next();
    }

    /** Whether a request with this method to this (raw) path may carry a body of this content type. */
    static boolean acceptsContentType(HttpMethod method, String path, String contentType) {
        MediaType type = MediaType.parse(contentType);
        if (type.name().startsWith("multipart/")) {
            return false;
        }
        if (FORM_MEDIA_TYPES.contains(type.name())) {
            return path.startsWith(SEARCH_PATH_PREFIX);
        }
        if (MESSAGES_PATH.matcher(path).matches()) {
            return type.charsetSupported();
        }
        if (!BODY_METHODS.contains(method)) {
            return true;   // no body to read: the header does not matter
        }
        return (JSON_MEDIA_TYPES.contains(type.name()) || type.name().startsWith("application/")
                && type.name().endsWith("+json")) && type.isUtf8();
    }

    /**
     * Why the raw request URI (path and query) cannot be percent-decoded, if it cannot: every {@code %}
     * must start an escape of two hex digits.
     */
    static Optional<String> percentEncodingProblem(String rawUri) {
        if (rawUri == null) {
            return Optional.of("no URI");
        }
        for (int i = 0; i < rawUri.length(); i++) {
            if (rawUri.charAt(i) == '%') {
                if (i + 2 >= rawUri.length() || !isHex(rawUri.charAt(i + 1)) || !isHex(rawUri.charAt(i + 2))) {
                    String escape = rawUri.substring(i, Math.min(rawUri.length(), i + 3));
                    return Optional.of("'" + escape + "' at position " + i + " is no escape of two hex digits.");
                }
                i += 2;
            }
        }
        return Optional.empty();
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** A Content-Type header's media type (lower case, no parameters) and charset parameter. */
    private record MediaType(String name, String charset) {

        static MediaType parse(String header) {
            String[] parts = header.split(";");
            String charset = null;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                int equals = parameter.indexOf('=');
                if (equals > 0 && "charset".equalsIgnoreCase(parameter.substring(0, equals).trim())) {
                    charset = parameter.substring(equals + 1).trim().replace("\"", "");
                }
            }
            return new MediaType(parts.length == 0 ? "" : parts[0].trim().toLowerCase(Locale.ROOT), charset);
        }

        boolean isUtf8() {
            return charset == null || "utf-8".equalsIgnoreCase(charset) || "utf8".equalsIgnoreCase(charset);
        }

        /** Whether the body can be read as text in this charset (the messages API keeps text payloads as text). */
        boolean charsetSupported() {
            if (charset == null) {
                return true;
            }
            try {
                return java.nio.charset.Charset.isSupported(charset);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
