package io.twinworks.analytics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.ditto.DittoTwinConnection;
import io.twinworks.analytics.ditto.ThingChangeReadings;
import io.twinworks.core.metrics.PrometheusScrapeHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;

/**
 * The analytics service: connects to Ditto, turns every twin change into readings, scores them
 * per asset, writes predictions back, and serves {@code /health} and {@code /metrics}.
 */
public final class AnalyticsService {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsService.class);

    private final Vertx vertx;
    private final AnalyticsConfig config;
    private final PrometheusMeterRegistry meters;
    private DittoTwinConnection connection;
    private HttpServer http;
    private TwinAnalytics analytics;

    /** Creates the service; nothing runs until {@link #start()}. */
    public AnalyticsService(Vertx vertx, AnalyticsConfig config, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Connects to Ditto, subscribes to change events and starts the HTTP endpoints. */
    public Future<Void> start() {
        Context context = vertx.getOrCreateContext();
        ThingChangeReadings extractor = new ThingChangeReadings(config.signals());
        return DittoTwinConnection.connect(context, config.dittoEndpoint(), config.dittoUser(), config.dittoPassword())
                .compose(connected -> {
                    connection = connected;
                    analytics = new TwinAnalytics(config, connected, meters, Clock.systemUTC());
                    return connected.subscribe(change ->
                            analytics.onReadings(DittoTwinConnection.readingsOf(extractor, change)));
                })
                .compose(subscribed -> {
                    Router router = Router.router(vertx);
                    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
                    router.get("/metrics").handler(new PrometheusScrapeHandler(meters));
                    http = vertx.createHttpServer();
                    return http.requestHandler(router).listen(config.httpPort());
                })
                .onSuccess(server -> LOG.info("analytics service subscribed to {} as {}; /health and /metrics on port {}",
                        config.dittoEndpoint(), config.dittoUser(), server.actualPort()))
                .mapEmpty();
    }

    /** The per-asset analytics (after {@link #start()}). */
    public TwinAnalytics analytics() {
        return analytics;
    }

    /** Closes the HTTP server and the Ditto connection. */
    public Future<Void> stop() {
        Future<Void> closed = http == null ? Future.succeededFuture() : http.close();
        return closed.eventually(() -> {
            if (connection != null) {
                connection.close();
            }
            return Future.succeededFuture();
        });
    }
}
