package io.twinworks.core.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.http.ErrorResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * The HTTP server of a service whose only HTTP endpoints are the operations ones ({@link OpsRoutes}):
 * anything else is 404 in Ditto's error shape ({@code <component>:resource.notfound}).
 */
public final class OpsServer {

    private final Vertx vertx;
    private final String component;
    private final HealthChecks health;
    private final PrometheusMeterRegistry meters;
    /** Set once {@link #listen} succeeded. */
    private @Nullable HttpServer server;

    /**
     * @param component the error-code namespace, e.g. {@code analytics}
     * @param health    the checks the service's components registered
     * @param meters    what {@code /metrics} serves
     */
    public OpsServer(Vertx vertx, String component, HealthChecks health, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.component = Objects.requireNonNull(component, "component");
        this.health = Objects.requireNonNull(health, "health");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Listens on host:port (port 0: a free one); completes with the port bound. */
    public Future<Integer> listen(String host, int port) {
        Router router = Router.router(vertx);
        OpsRoutes.mount(router, health, meters);
        router.route().last().handler(ctx -> new ErrorResponse(404, component + ":resource.notfound",
                "The path '" + ctx.request().path() + "' does not exist.",
                "This port serves /health/live, /health/ready, /health and /metrics.").send(ctx));
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router).listen()
                .map(listening -> {
                    server = listening;
                    return listening.actualPort();
                });
    }

    /** Stops listening. */
    public Future<Void> close() {
        HttpServer listening = server;
        return listening == null ? Future.succeededFuture() : listening.close();
    }
}
