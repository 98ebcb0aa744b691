package io.twinworks.localstack.ditto.connections;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.connectivity.model.ConnectionId;
import org.eclipse.ditto.connectivity.model.signals.commands.exceptions.ConnectionNotAccessibleException;
import org.eclipse.ditto.connectivity.model.signals.commands.exceptions.ConnectionSignalIllegalException;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Ditto 3.x's connections API ({@code /api/2/connections}) for the local stack's one, built-in, read-only
 * connection: {@code GET /api/2/connections} (the list; {@code ids-only=true}: the IDs),
 * {@code GET /api/2/connections/<id>} and {@code GET /api/2/connections/<id>/status}; an unknown ID is 404
 * {@code connectivity:connection.notfound}. Every write ({@code POST}, {@code PUT}, {@code DELETE}, commands) answers
 * 409 {@code connectivity:signal.illegal}, Ditto's error for a signal the connection's state does not allow. Like
 * Ditto, it authenticates the devops users (and the API's users).
 */
public final class ConnectionsRoutes {

    private static final int ROUTE_ORDER = -100;
    private static final String JSON = "application/json";

    private final BasicAuthenticator authenticator;
    private final DittoHttpErrors errors;
    private final Supplier<Optional<BuiltInConnection>> connection;

    /**
     * @param authenticator the devops (and API) users
     * @param errors        writes Ditto error responses
     * @param connection    the built-in connection once the Hono ingest runs (empty before and after)
     */
    public ConnectionsRoutes(BasicAuthenticator authenticator, DittoHttpErrors errors,
                             Supplier<Optional<BuiltInConnection>> connection) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** Adds the routes ahead of the API's generic ones. */
    public void mount(Router router) {
        router.route("/api/2/connections").order(ROUTE_ORDER).handler(this::list);
        router.route("/api/2/connections/:id").order(ROUTE_ORDER).handler(ctx -> one(ctx, false));
        router.route("/api/2/connections/:id/status").order(ROUTE_ORDER).handler(ctx -> one(ctx, true));
        router.route("/api/2/connections/:id/*").order(ROUTE_ORDER + 1).handler(this::write);
    }

    private void list(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        try {
            authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
            if (ctx.request().method() != HttpMethod.GET) {
                throw illegal(connection.get().map(c -> BuiltInConnection.ID).orElse("new"), ctx, headers);
            }
            boolean idsOnly = "true".equals(ctx.request().getParam("ids-only"));
            JsonArray body = connection.get().map(built -> JsonFactory.newArrayBuilder()
                    .add(idsOnly ? JsonFactory.newValue(BuiltInConnection.ID) : built.toJson()).build())
                    .orElse(JsonFactory.newArray());
            respond(ctx, headers, body.toString());
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
        }
    }

    private void one(RoutingContext ctx, boolean status) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        try {
            authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
            String id = ctx.pathParam("id");
            Optional<BuiltInConnection> built = connection.get().filter(c -> BuiltInConnection.ID.equals(id));
            if (ctx.request().method() != HttpMethod.GET) {
                throw illegal(id, ctx, headers);
            }
            if (built.isEmpty()) {
                throw ConnectionNotAccessibleException.newBuilder(ConnectionId.of(id)).dittoHeaders(headers).build();
            }
            respond(ctx, headers, (status ? built.get().status() : built.get().toJson()).toString());
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
        }
    }

    private void write(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        try {
            authenticator.authenticate(ctx.request().getHeader("Authorization"), headers);
            throw illegal(ctx.pathParam("id"), ctx, headers);
        } catch (RuntimeException e) {
            errors.send(ctx, e, headers);
        }
    }

    private static ConnectionSignalIllegalException illegal(String id, RoutingContext ctx, DittoHeaders headers) {
        String signal = ctx.request().method() + " " + ctx.request().path();
        return ConnectionSignalIllegalException.newBuilder(ConnectionId.of(id))
                .illegalSignalForState(signal, "read-only, built-in")
                .description("The local stack's Hono connection '" + BuiltInConnection.ID + "' is built in and serves every "
                        + "tenant; connections cannot be created, changed or deleted here.")
                .dittoHeaders(headers).build();
    }

    private static void respond(RoutingContext ctx, DittoHeaders headers, String body) {
        if (ctx.response().ended()) {
            return;
        }
        headers.getCorrelationId().ifPresent(id -> ctx.response().putHeader("correlation-id", id));
        ctx.response().putHeader("Content-Type", JSON).end(body);
    }
}
