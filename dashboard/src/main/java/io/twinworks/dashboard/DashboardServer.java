package io.twinworks.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.http.ErrorResponse;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ServedThingModels;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.http.ThingModelRoutes;
import io.twinworks.core.ops.ConnectionState;
import io.twinworks.core.ops.HealthChecks;
import io.twinworks.core.ops.OpsRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The dashboard: the page (plain ES modules under {@code webroot/}, no build step), uPlot from its WebJar
 * under {@code /vendor/uplot/}, and {@link DittoProxy} on {@code /api/2/}. It speaks only the Ditto HTTP
 * API and its server-sent events, so it runs against the local stack and real Ditto alike. {@code /health}
 * answers the probes, {@code /metrics} serves its meters in the Prometheus format: answered requests
 * ({@code dashboard_http_requests_total{route,status}}, route {@code api} = proxied to Ditto, {@code models} = Thing Models, {@code page}
 * = the page and its files, {@code other} = /health, /metrics, unknown paths), event streams relayed now
 * ({@code dashboard_event_streams_open}) and requests Ditto did not answer
 * ({@code dashboard_ditto_unreachable_total}). It also serves the shipped Thing Models under {@code /models/}
 * ({@link ThingModelRoutes}), so that a Ditto in the same cluster can download the things' definitions from it.
 *
 * <p>Lifecycle: {@code new DashboardServer(vertx, config, meters)}, {@link #start()} (completes with the
 * port), {@link #stop()}.
 */
public final class DashboardServer {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final Vertx vertx;
    private final DashboardConfig config;
    private final PrometheusMeterRegistry meters;
    /** Set by {@link #start()}. */
    private @Nullable DittoProxy proxy;
    /** Set by {@link #start()}. */
    private @Nullable HttpServer server;
    private final AtomicReference<ServedThingModels> servedModels = new AtomicReference<>();
    private final HealthChecks health = new HealthChecks();
    /** Set by {@link #start()}, with the HTTP client that probes Ditto. */
    private @Nullable ConnectionState dittoLink;
    private @Nullable HttpClient probeClient;
    private static final long DITTO_PROBE_MILLIS = 5_000;
    /** What the readiness probe asks Ditto (below the Ditto URL); any answer, even 401, means Ditto is up. */
    static final String DITTO_PROBE_PATH = "/api/2/search/things/count";

    /** A dashboard with its own meter registry (served on /metrics). */
    public DashboardServer(Vertx vertx, DashboardConfig config) {
        this(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** A dashboard whose meters go to {@code meters} (served on /metrics). */
    public DashboardServer(Vertx vertx, DashboardConfig config, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Starts listening; completes with the actual port. */
    public Future<Integer> start() {
        DittoProxy proxy = new DittoProxy(vertx, config);
        this.proxy = proxy;
        FunctionCounter.builder("dashboard_ditto_unreachable", proxy, DittoProxy::failures)
                .description("Requests the dashboard could not forward because Ditto did not answer (502)")
                .register(meters);
        Gauge.builder("dashboard_event_streams_open", proxy, DittoProxy::openEventStreams)
                .description("Ditto event streams (server-sent events) relayed to browsers now")
                .register(meters);
        Router router = Router.router(vertx);
        router.route().handler(this::countWhenAnswered);
        router.route("/api/2/*").handler(proxy);
        ConnectionState dittoLink = dittoReachability();
        this.dittoLink = dittoLink;
        health.ready("ditto", dittoLink);
        OpsRoutes.mount(router, health, meters);
        ThingModelCatalog shippedModels = ThingModelCatalog.fromClasspath();
        new ThingModelRoutes(() -> servedModels.updateAndGet(served -> served != null ? served
                : new ServedThingModels(shippedModels, modelsBaseUrl())), meters).mount(router);
        router.get("/vendor/uplot/*").handler(StaticHandler.create("META-INF/resources/webjars/uplot/" + uplotVersion()));
        router.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));
        router.route().last().handler(ctx -> notFound(ctx));
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == 404) {
                notFound(ctx);
            } else {
                int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
                if (status >= 500) {
                    LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
                }
                new ErrorResponse(status, "dashboard:request.failed", "The request could not be served.",
                        null).send(ctx);
            }
        });
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(config.bindHost()).setPort(config.httpPort()));
        this.server = server;
        return server.requestHandler(router).listen()
                .map(HttpServer::actualPort)
                .onSuccess(port -> LOG.info("dashboard on http://{}:{}/ fronting Ditto at {}", config.bindHost(), port,
                        config.dittoUrl()))
                .onFailure(failure -> stop());
    }

    /** Counts every answered request by route and status class once its response has ended. */
    private void countWhenAnswered(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String route = path.startsWith(DittoProxy.API_PREFIX) ? "api"
                : path.startsWith(ModelsBaseUrl.MODELS_PATH) ? "models"
                : path.startsWith("/health") || path.equals("/metrics") ? "other"
                : "page";
        ctx.addEndHandler(ended -> Counter.builder("dashboard_http_requests")
                .description("HTTP requests the dashboard answered, by route (api = proxied to Ditto, models, page, other) and status class")
                .tag("route", route)
                .tag("status", (ctx.response().getStatusCode() / 100) + "xx")
                .register(meters).increment());
        ctx.next();
    }

    private static void notFound(io.vertx.ext.web.RoutingContext ctx) {
        new ErrorResponse(404, "dashboard:path.notfound", "The path '" + ctx.normalizedPath() + "' does not exist.",
                "The dashboard is at /.").send(ctx);
    }

    /** The URL to open in a browser (after {@link #start()}). */
    public String url() {
        String host = "0.0.0.0".equals(config.bindHost()) ? "127.0.0.1" : config.bindHost();
        HttpServer listening = Objects.requireNonNull(server, "url() is known after start()");
        return "http://" + host + ":" + listening.actualPort() + "/";
    }

    /** The base the served Thing Models name (after {@link #start()}): the configured one, else this dashboard's address. */
    public ModelsBaseUrl modelsBaseUrl() {
        ModelsBaseUrl configured = config.modelsBaseUrl();
        return configured != null ? configured : ModelsBaseUrl.parse(url());
    }

    /** Stops listening and closes the connections to Ditto. */
    public Future<Void> stop() {
        ConnectionState link = dittoLink;
        if (link != null) {
            link.close();
        }
        HttpClient probe = probeClient;
        if (probe != null) {
            probe.close();
        }
        DittoProxy forwarding = proxy;
        if (forwarding != null) {
            forwarding.close();
        }
        HttpServer listening = server;
        return listening == null ? Future.succeededFuture() : listening.close();
    }

    /**
     * Readiness: Ditto answers HTTP at all (any status, even 401: the dashboard forwards the browser's
     * credentials). Probed every few seconds off the probe path, so an idle dashboard knows too.
     */
    private ConnectionState dittoReachability() {
        HttpClient probeClient = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(1)
                .setConnectTimeout(config.connectTimeoutMillis()));
        this.probeClient = probeClient;
        String probeUrl = config.dittoUrl().toString().replaceAll("/+$", "") + DITTO_PROBE_PATH;
        ConnectionState link = new ConnectionState(vertx, "Ditto at " + config.dittoUrl(),
                () -> probeClient.request(new RequestOptions().setAbsoluteURI(probeUrl)
                                .setTimeout(config.connectTimeoutMillis()))
                        .compose(request -> request.send().compose(response -> response.body().map(response.statusCode())))
                        .toCompletionStage(), DITTO_PROBE_MILLIS);
        link.watch();
        return link;
    }

    /** Liveness and readiness checks (readiness: Ditto answers). */
    public HealthChecks health() {
        return health;
    }

    /** The uPlot version on the class path (its WebJar's pom.properties), so no version is hard-coded twice. */
    static String uplotVersion() {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar is missing from the class path (" + UPLOT_POM + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
