package io.twinworks.localstack.ditto.search;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.http.RequestUriInvalidException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.eclipse.ditto.base.model.exceptions.UnsupportedMediaTypeException;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayMethodNotAllowedException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ditto's search HTTP API: {@code GET /api/2/search/things?filter=&namespaces=&fields=&option=} and
 * {@code GET /api/2/search/things/count?filter=&namespaces=}, authenticated like the rest of the API; Ditto 3.x's
 * {@code POST} of the same parameters as an {@code application/x-www-form-urlencoded} body (for filters too long for
 * a URL) answers the same, another body type is 415.
 * The scan runs on {@link ThingSearch}'s worker, never on the event loop.
 */
public final class ThingSearchRoutes {

    /** Routes run before the generic {@code /api/2/*} route of the HTTP API, which would treat them as unknown. */
    private static final int ROUTE_ORDER = -100;
    private static final String FORM = "application/x-www-form-urlencoded";
    /** Search parameters are short: a form body beyond this is refused (413). */
    private static final BodyHandler FORM_BODY = BodyHandler.create(false).setBodyLimit(64 * 1024).setMergeFormAttributes(true);

    private final ThingSearch search;
    private final BasicAuthenticator authenticator;
    private final DittoHttpErrors errors;

    /**
     * @param search        the search over the twin store
     * @param authenticator checks HTTP Basic credentials (subject {@code nginx:<user>})
     * @param errors        writes Ditto error responses
     */
    public ThingSearchRoutes(ThingSearch search, BasicAuthenticator authenticator, DittoHttpErrors errors) {
        this.search = Objects.requireNonNull(search, "search");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /** Adds the search routes to the Ditto API router, ahead of its generic routes. */
    public void mount(Router router) {
        // a form body's fields join the query parameters (BodyHandler merges form attributes into the params)
        router.post("/api/2/search/things/count").order(ROUTE_ORDER - 1).handler(FORM_BODY).failureHandler(this::formUndecodable);
        router.post("/api/2/search/things").order(ROUTE_ORDER - 1).handler(FORM_BODY).failureHandler(this::formUndecodable);
        router.route("/api/2/search/things/count").order(ROUTE_ORDER).handler(this::count);
        router.route("/api/2/search/things").order(ROUTE_ORDER).handler(this::search);
    }

    /**
     * The form decoder (Netty's, inside the body handler) fails the request on a broken percent escape:
     * that is the client's error, answered 400 in Ditto's shape; a body over the limit (413) goes on to
     * the router's own handling.
     */
    private void formUndecodable(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            ctx.next();
            return;
        }
        String reason = ctx.failure() == null || ctx.failure().getMessage() == null ? "it cannot be decoded"
                : ctx.failure().getMessage();
        errors.send(ctx, RequestUriInvalidException.of("form body: " + reason, DittoHttpErrors.correlatedHeaders(ctx)));
    }

    private void search(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        SearchRequest request;
        AuthorizationContext subject;
        try {
            subject = authenticate(ctx, headers);
            String filter = param(ctx, "filter");
            if (filter != null) {
                ThingSearch.parseFilter(filter, headers);   // fail fast with 400 before scanning
            }
            String fields = param(ctx, "fields");
            JsonFieldSelector selector = fields == null ? null : JsonFactory.newFieldSelector(fields,
                    JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build());
            request = new SearchRequest(filter, namespaces(ctx), selector,
                    SearchOptions.parse(param(ctx, "option"), headers));
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
            return;
        }
        search.search(request, subject, headers)
                .onSuccess(result -> respond(ctx, headers, result.toJson().toString()))
                .onFailure(failure -> errors.send(ctx, failure, headers));
    }

    private void count(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        AuthorizationContext subject;
        String filter;
        try {
            subject = authenticate(ctx, headers);
            filter = param(ctx, "filter");
            if (filter != null) {
                ThingSearch.parseFilter(filter, headers);
            }
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
            return;
        }
        search.count(filter, namespaces(ctx), subject, headers)
                .onSuccess(count -> respond(ctx, headers, Long.toString(count)))
                .onFailure(failure -> errors.send(ctx, failure, headers));
    }

    private AuthorizationContext authenticate(RoutingContext ctx, DittoHeaders headers) {
        AuthorizationContext subject = authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
        if (HttpMethod.POST.equals(ctx.request().method())) {
            String contentType = ctx.request().getHeader("Content-Type");
            if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(FORM)) {
                throw UnsupportedMediaTypeException.withDetailedInformationBuilder(contentType == null ? "none" : contentType,
                        Set.of(FORM)).dittoHeaders(headers).build();
            }

        } else if (!HttpMethod.GET.equals(ctx.request().method())) {
            throw GatewayMethodNotAllowedException.newBuilder(ctx.request().method().name()).dittoHeaders(headers).build();
        }
        return subject;
    }

    private static void respond(RoutingContext ctx, DittoHeaders headers, String body) {
        if (ctx.response().ended()) {
            return;
        }
        headers.getCorrelationId().ifPresent(id -> ctx.response().putHeader("correlation-id", id));
        ctx.response().putHeader("Content-Type", "application/json").end(body);
    }

    private static String param(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static Set<String> namespaces(RoutingContext ctx) {
        String namespaces = param(ctx, "namespaces");
        return namespaces == null ? Set.of() : Arrays.stream(namespaces.split(",")).map(String::trim)
                .filter(namespace -> !namespace.isEmpty()).collect(Collectors.toSet());
    }
}
