package io.twinworks.localstack.ditto.api3;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

import java.util.Objects;

/**
 * What the Ditto 3.x routes of this package share: they run ahead of the generic {@code /api/2/*} route, authenticate
 * like the rest of the API and answer JSON with the request's correlation ID.
 */
final class Api3Routes {

    /** Ahead of the HTTP API's generic routes (which would treat these paths as unknown). */
    static final int ROUTE_ORDER = -100;

    private final BasicAuthenticator authenticator;
    private final DittoHttpErrors errors;

    Api3Routes(BasicAuthenticator authenticator, DittoHttpErrors errors) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    AuthorizationContext authenticate(RoutingContext ctx, DittoHeaders headers) {
        return authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
    }

    DittoHttpErrors errors() {
        return errors;
    }

    static void respond(RoutingContext ctx, DittoHeaders headers, int status, String body) {
        if (ctx.response().ended()) {
            return;
        }
        headers.getCorrelationId().ifPresent(id -> ctx.response().putHeader("correlation-id", id));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
