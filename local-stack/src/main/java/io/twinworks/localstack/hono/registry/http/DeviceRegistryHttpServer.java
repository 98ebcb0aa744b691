package io.twinworks.localstack.hono.registry.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.http.ErrorResponse;
import io.twinworks.core.metrics.PrometheusScrapeHandler;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.hono.registry.HonoDeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The HTTP server of the local stack's device registry (Hono's default port 28080): the
 * management API under {@code /v1/}, {@code /health} (200 {@code {"status":"UP"}} while the
 * database answers, 503 otherwise) and {@code /metrics} (Prometheus).
 */
public final class DeviceRegistryHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistryHttpServer.class);

    private final Vertx vertx;
    private final HonoDeviceRegistry registry;
    private final PrometheusMeterRegistry meters;
    private final String bindHost;
    private final int port;
    private final int maxBodyBytes;
    private HttpServer server;

    /**
     * Creates the server.
     *
     * @param bindHost     the address to listen on
     * @param port         the port; 0 picks a free one (see {@link #actualPort()})
     * @param maxBodyBytes the largest request body accepted (413 above)
     */
    public DeviceRegistryHttpServer(Vertx vertx, HonoDeviceRegistry registry, PrometheusMeterRegistry meters,
                                    String bindHost, int port, int maxBodyBytes) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Creates the server on the configured bind host and {@code registryPort}, with Hono's default body limit. */
    public DeviceRegistryHttpServer(Vertx vertx, HonoDeviceRegistry registry, PrometheusMeterRegistry meters,
                                    LocalStackConfig config) {
        this(vertx, registry, meters, config.bindHost(), config.registryPort(),
                DeviceRegistryManagementApi.DEFAULT_MAX_BODY_BYTES);
    }

    /** Starts listening; completes with the port actually bound. */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> registry.store().checkHealth()
                .onSuccess(v -> ctx.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("status", "UP").encode()))
                .onFailure(e -> new ErrorResponse(503, "registry:unavailable",
                        "the registry database does not answer", null).send(ctx)));
        router.get("/metrics").handler(new PrometheusScrapeHandler(meters));
        new DeviceRegistryManagementApi(registry, meters, maxBodyBytes).addRoutes(router);
        return vertx.createHttpServer(new HttpServerOptions().setHost(bindHost).setPort(port))
                .requestHandler(router)
                .listen()
                .map(listening -> {
                    server = listening;
                    LOG.info("Hono device registry management API listening on http://{}:{}/v1/", bindHost,
                            listening.actualPort());
                    return listening.actualPort();
                });
    }

    /** The port bound, after {@link #start()} succeeded. */
    public int actualPort() {
        if (server == null) {
            throw new IllegalStateException("the server is not started");
        }
        return server.actualPort();
    }

    /** Stops listening (the registry stays open). */
    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
