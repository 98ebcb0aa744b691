package io.twinworks.localstack.ditto;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.definitions.HttpThingModelResolver;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ServedThingModels;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.http.ThingModelRoutes;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.api3.CheckPermissionsRoutes;
import io.twinworks.localstack.ditto.api3.ConditionRoutes;
import io.twinworks.localstack.ditto.api3.CreateThingRoutes;
import io.twinworks.localstack.ditto.api3.WhoAmIRoutes;
import io.twinworks.localstack.ditto.connections.BuiltInConnection;
import io.twinworks.localstack.ditto.connections.ConnectionsRoutes;
import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpApi;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.messages.ThingMessagesRoutes;
import io.twinworks.localstack.ditto.search.ThingSearch;
import io.twinworks.localstack.ditto.search.ThingSearchRoutes;
import io.twinworks.localstack.ditto.sse.ThingsSseRoutes;
import io.twinworks.localstack.ditto.service.TwinEventPublisher;
import io.twinworks.localstack.ditto.service.TwinService;
import io.twinworks.localstack.ditto.store.TwinStore;
import io.twinworks.localstack.ditto.ws.DittoWebSocketEndpoint;
import io.twinworks.localstack.ditto.ws.LiveConnections;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Ditto side of the local stack: the twin store under the state directory, the
 * {@link TwinService} command handler, the Ditto HTTP API and the WebSocket {@code /ws/2}
 * ({@link DittoWebSocketEndpoint}) on {@code dittoHttpPort}, and the shipped Thing Models under {@code /models/}
 * ({@link ThingModelRoutes}: where Ditto would download them). WoT validation resolves a thing's definition by
 * downloading it from its URL ({@link HttpThingModelResolver}), as real Ditto does, not from the classpath.
 *
 * <p>Lifecycle: {@code new DittoTwinServer(vertx, config, metrics)}, then {@link #start()} (opens the
 * store on a worker thread, then listens), {@link #stop()} (stops listening, then closes the store).
 * Later entry points (WebSocket, SSE, Hono Kafka consumer) use {@link #twinService()} and
 * {@link #events()} after start.
 */
public final class DittoTwinServer {

    private static final Logger LOG = LoggerFactory.getLogger(DittoTwinServer.class);

    private final Vertx vertx;
    private final LocalStackConfig config;
    private final MeterRegistry metrics;
    private final TwinEventPublisher events = new TwinEventPublisher();
    private TwinStore store;
    private TwinService twinService;
    private ThingSearch search;
    private HttpServer server;
    private DittoWebSocketEndpoint webSocket;
    private final AtomicReference<ServedThingModels> servedModels = new AtomicReference<>();
    private final AtomicReference<BuiltInConnection> builtInConnection = new AtomicReference<>();

    /**
     * @param vertx   the Vert.x instance to run on
     * @param config  the stack config ({@code stateDir}, {@code bindHost}, {@code dittoHttpPort},
     *                {@code dittoUsers}, {@code dittoMaxEntityBytes})
     * @param metrics where the HTTP API counts errors
     */
    public DittoTwinServer(Vertx vertx, LocalStackConfig config, MeterRegistry metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Opens the store and starts listening; completes with the actual HTTP port. */
    public Future<Integer> start() {
        return vertx.executeBlocking(() -> TwinStore.open(config.stateDir(), config.dittoThingHistoryDepth()), false)
                .compose(openedStore -> {
                    store = openedStore;
                    // the validator downloads models on the twin service's own command thread, never on an event loop
                    twinService = new TwinService(vertx, store, events, config.dittoMaxEntityBytes(), Clock.systemUTC(),
                            config.dittoWotValidation() ? new ThingPayloadValidator(HttpThingModelResolver.withDefaults()) : null);
                    BasicAuthenticator authenticator = new BasicAuthenticator(config.dittoUsers());
                    DittoHttpApi api = new DittoHttpApi(twinService, authenticator, config.dittoMaxEntityBytes(), metrics);
                    Router router = api.router(vertx);
                    ThingModelCatalog shippedModels = ThingModelCatalog.fromClasspath();
                    new ThingModelRoutes(() -> servedModels.updateAndGet(served -> served != null ? served
                            : new ServedThingModels(shippedModels, modelsBaseUrl())), metrics).mount(router);
                    Map<String, String> connectionUsers = new HashMap<>(config.dittoUsers());
                    connectionUsers.putAll(config.dittoDevopsUsers());
                    new ConnectionsRoutes(new BasicAuthenticator(connectionUsers), new DittoHttpErrors(metrics),
                            () -> Optional.ofNullable(builtInConnection.get())).mount(router);
                    new WhoAmIRoutes(authenticator, new DittoHttpErrors(metrics)).mount(router);
                    new CheckPermissionsRoutes(twinService, authenticator, new DittoHttpErrors(metrics),
                            config.dittoMaxEntityBytes()).mount(router);
                    new ConditionRoutes(twinService, authenticator, new DittoHttpErrors(metrics)).mount(router);
                    new CreateThingRoutes(twinService, authenticator, new DittoHttpErrors(metrics),
                            config.dittoMaxEntityBytes()).mount(router);
                    search = new ThingSearch(vertx, store);
                    new ThingSearchRoutes(search, authenticator, new DittoHttpErrors(metrics)).mount(router);
                    new ThingsSseRoutes(vertx, twinService, authenticator, new DittoHttpErrors(metrics), metrics).mount(router);
                    webSocket = new DittoWebSocketEndpoint(vertx, twinService, authenticator, metrics);
                    new ThingMessagesRoutes(webSocket.liveMessages(), authenticator, new DittoHttpErrors(metrics),
                            config.dittoMaxEntityBytes()).mount(router);
                    server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.bindHost()).setPort(config.dittoHttpPort()));
                    // the WebSocket endpoint takes /ws/2 before the router's body handler would read the upgrade request
                    return server.requestHandler(request -> {
                        if (webSocket.accepts(request)) {
                            webSocket.handle(request);
                        } else {
                            router.handle(request);
                        }
                    }).listen();
                })
                .map(HttpServer::actualPort)
                .onSuccess(port -> LOG.info("Ditto API on http://{}:{}/api/2", config.bindHost(), port))
                .onFailure(failure -> stop());
    }

    /** Stops listening, then closes the store (committed data stays on disk). */
    public Future<Void> stop() {
        if (webSocket != null) {
            webSocket.close();
        }
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> {
            if (twinService != null) {
                twinService.close();
            }
            if (search != null) {
                search.close();
            }
            TwinStore toClose = store;
            store = null;
            return toClose == null ? Future.succeededFuture()
                    : vertx.<Void>executeBlocking(() -> {
                        toClose.close();
                        return null;
                    }, false);
        });
    }

    /** The actual HTTP port (after {@link #start()}). */
    public int httpPort() {
        return server.actualPort();
    }

    /**
     * Shows the built-in Hono connection on {@code /api/2/connections} (once its ingest runs), or withdraws it
     * ({@code null}).
     */
    public void announceConnection(BuiltInConnection connection) {
        builtInConnection.set(connection);
    }

    /**
     * Where the Thing Models are served (after {@link #start()}): the configured {@code TWINWORKS_MODELS_BASE_URL},
     * else this server's own address (loopback when it listens on every interface).
     */
    public ModelsBaseUrl modelsBaseUrl() {
        if (config.modelsBaseUrl() != null) {
            return config.modelsBaseUrl();
        }
        String host = "0.0.0.0".equals(config.bindHost()) || "::".equals(config.bindHost()) ? "127.0.0.1" : config.bindHost();
        return ModelsBaseUrl.parse("http://" + host + ":" + server.actualPort());
    }

    /** The command handler (after {@link #start()}), for the WebSocket, SSE and Kafka entry points. */
    public TwinService twinService() {
        return twinService;
    }

    /** The live channel's attachment point for connection targets (after {@link #start()}). */
    public LiveConnections liveConnections() {
        return webSocket.liveConnections();
    }

    /** The stream of persisted thing changes. */
    public TwinEventPublisher events() {
        return events;
    }
}
