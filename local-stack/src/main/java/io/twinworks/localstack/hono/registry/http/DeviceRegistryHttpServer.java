package io.twinworks.localstack.hono.registry.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.ops.HealthCheck;
import io.twinworks.core.ops.HealthChecks;
import io.twinworks.core.ops.OpsRoutes;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.hono.registry.HonoDeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
    private final HealthChecks health = new HealthChecks();

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

    /**
     * The checks behind {@code /health/live}, {@code /health/ready} and {@code /health} on this port (the
     * local stack's ops port); the registry registers its own, the stack adds its other pieces.
     */
    public HealthChecks health() {
        return health;
    }

    /** Starts listening; completes with the port actually bound. */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        health.ready("registry", () -> registry.store().isOpen()
                ? HealthCheck.Result.up("device registry database open")
                : HealthCheck.Result.down("device registry database closed"));
        OpsRoutes.mount(router, health, meters);
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
