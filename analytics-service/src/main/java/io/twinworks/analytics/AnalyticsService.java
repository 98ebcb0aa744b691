package io.twinworks.analytics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.ditto.DittoTwinConnection;
import io.twinworks.analytics.ditto.WebSocketTwinEvents;
import io.twinworks.analytics.ditto.ThingChangeReadings;
import io.twinworks.analytics.ditto.WriteFailures;
import io.twinworks.analytics.kafka.KafkaTwinEvents;
import io.twinworks.analytics.rul.BatchingRulEstimator;
import io.twinworks.analytics.rul.RulModelWatcher;
import io.twinworks.core.ops.HealthChecks;
import io.twinworks.core.ops.OpsServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.twinworks.analytics.model.Reading;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

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
    private final HealthChecks health = new HealthChecks();
    private OpsServer ops;
    private volatile int opsPort;
    /** The ops port listens on every interface (Kubernetes probes it from the node). */
    private static final String ALL_INTERFACES = "0.0.0.0";
    private TwinAnalytics analytics;
    private BatchingRulEstimator rulEstimator;
    private volatile ThingChangeReadings extractor;
    private RulModelWatcher watcher;
    private io.twinworks.analytics.learn.LearnedForecasts learnedForecasts;
    private long modelPoll = -1;
    private KafkaTwinEvents kafkaEvents;
    /** The timer summarizing the WebSocket transport's refused frames, or -1. */
    private long refusalSummaries = -1;
    private Context context;
    /** WebSocket transport: readings of assets whose snapshot is being read, per thing (context only). */
    private final Map<String, List<List<Reading>>> restoring = new HashMap<>();

    /** Creates the service; nothing runs until {@link #start()}. */
    public AnalyticsService(Vertx vertx, AnalyticsConfig config, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /**
     * Loads the newest RUL model of the model directory (if any), connects to Ditto, subscribes to
     * change events and starts the HTTP endpoints. Fails when a model is present but unreadable.
     */
    public Future<Void> start() {
        context = vertx.getOrCreateContext();
        watcher = new RulModelWatcher(context, config.modelDir(), null, meters, this::useRulEstimator);
        extractor = new ThingChangeReadings(config.signals());
        return watcher.checkNow()
                .compose(loaded -> {
                    if (watcher.current() == null && watcher.lastFailed() != null) {
                        return Future.failedFuture(new IllegalStateException("the RUL model in " + watcher.lastFailed().toAbsolutePath()
                                + " cannot be loaded (see the log)"));
                    }
                    return DittoTwinConnection.connect(context, config.dittoEndpoint(), config.dittoUser(), config.dittoPassword());
                })
                .compose(connected -> {
                    connection = connected;
                    PredictionWriter writer = new RetryingPredictionWriter(vertx, connected, WriteFailures::isTransient,
                            config.writeRetries(), config.writeRetryBackoff(), meters);
                    analytics = new TwinAnalytics(config, writer, connected, meters, Clock.systemUTC());
                    analytics.useRulEstimator(rulEstimator);
                    if (config.learnedProbation() <= 0) {
                        return Future.succeededFuture(connected);
                    }
                    // saved forecasters are in use before the first reading: a restart scores without retraining
                    io.twinworks.analytics.learn.LearnedForecasts forecasts = new io.twinworks.analytics.learn.LearnedForecasts(context,
                            config.learnedProbation(), io.twinworks.analytics.ml.ForecastModel.Settings.DEFAULTS, config.modelDir(),
                            config.learnedRetrainAssets(), meters);
                    learnedForecasts = forecasts;
                    analytics.useLearnedForecasts(forecasts);
                    return forecasts.loadSaved().map(loaded -> connected);
                })
                .compose(connected -> {
                    if (config.kafka() == null) {
                        WebSocketTwinEvents events = new WebSocketTwinEvents(() -> extractor, this::onWebSocketReadings, meters,
                                KafkaTwinEvents.EVENT_LAG_METER, java.util.concurrent.TimeUnit.SECONDS.toNanos(10), System::nanoTime);
                        refusalSummaries = vertx.setPeriodic(10_000, id -> events.summarizeIfDue());
                        return connected.subscribe(events::onFrame);
                    }
                    kafkaEvents = new KafkaTwinEvents(context, config.kafka().bootstrapServers(), config.kafka().groupId(),
                            config.kafka().topic(), () -> extractor, analytics::onReadings, analytics::forget,
                            thingId -> connected.retrieveSnapshot(thingId).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS),
                            analytics::restore, meters);
                    return kafkaEvents.start();
                })
                .compose(subscribed -> {
                    if (config.modelPollMillis() > 0) {
                        modelPoll = vertx.setPeriodic(config.modelPollMillis(), tick -> watcher.checkNow());
                    }
                    health.ready("ditto", connection.link());
                    if (kafkaEvents != null) {
                        health.ready("kafka", kafkaEvents.check());
                    }
                    health.ready("rulModel", this::rulModelCheck);
                    ops = new OpsServer(vertx, "analytics", health, meters);
                    return ops.listen(ALL_INTERFACES, config.httpPort());
                })
                .onSuccess(port -> opsPort = port)
                .onSuccess(port -> LOG.info("analytics service subscribed to {} as {} (writes to {}); RUL model {}; /health/live, /health/ready and /metrics on port {}",
                        config.kafka() == null ? config.dittoEndpoint() : "Kafka " + config.kafka(), config.dittoUser(), config.dittoEndpoint(),
                        rulEstimator == null ? "none (no model in " + config.modelDir().toAbsolutePath() + ")"
                                : rulEstimator.modelName() + " v" + rulEstimator.modelVersion() + " on feature " + config.rulFeature(),
                        port))
                .mapEmpty();
    }

    /**
     * The WebSocket transport's way to survive a restart: an asset seen for the first time since
     * start is restored from its twin's {@code predictions} (baselines, last health state, revision
     * floor: the same hand-over the Kafka transport does after a rebalance) before its readings are
     * scored; readings arriving meanwhile wait behind the snapshot, in order. A twin that cannot be
     * read costs a re-learn, never the readings. Runs on the context.
     */
    private void onWebSocketReadings(List<Reading> readings) {
        if (readings.isEmpty()) {
            return;
        }
        String thingId = readings.get(0).thingId();
        List<List<Reading>> waiting = restoring.get(thingId);
        if (waiting != null) {
            waiting.add(readings);
            return;
        }
        if (analytics.assetState(thingId) != null) {
            analytics.onReadings(readings);
            return;
        }
        List<List<Reading>> queue = new ArrayList<>();
        queue.add(readings);
        restoring.put(thingId, queue);
        Future.fromCompletionStage(connection.retrieveSnapshot(thingId), context).onComplete(snapshot -> {
            if (snapshot.succeeded()) {
                snapshot.result().ifPresent(s -> analytics.restore(thingId, s));
            } else {
                meters.counter("twinworks_analytics_restore_failures_total").increment();
                LOG.warn("state of {} cannot be restored from its twin, it learns afresh: {}", thingId, snapshot.cause().toString());
            }
            restoring.remove(thingId).forEach(analytics::onReadings);
        });
    }

    /**
     * Readiness of the RUL part: down only when a model is in the model directory but cannot be loaded
     * and none is in use (without any model the service scores anomalies and leaves {@code rulCycles} null).
     */
    private io.twinworks.core.ops.HealthCheck.Result rulModelCheck() {
        java.nio.file.Path failed = watcher.lastFailed();
        java.nio.file.Path current = watcher.current();
        if (current == null && failed != null) {
            return io.twinworks.core.ops.HealthCheck.Result.down("the RUL model " + failed + " cannot be loaded");
        }
        return io.twinworks.core.ops.HealthCheck.Result.up(current == null
                ? "no RUL model in " + config.modelDir() + " (anomaly scores only)" : "RUL model " + current);
    }

    /** The port of /health/live, /health/ready and /metrics (after {@link #start()}). */
    public int opsPort() {
        return opsPort;
    }

    /** Liveness and readiness checks (Ditto WebSocket, Kafka consumer in the Kafka transport, RUL model). */
    public HealthChecks health() {
        return health;
    }

    /** Switches to a (new) RUL model: its inputs become monitored signals of the RUL feature. Runs on the context. */
    private void useRulEstimator(BatchingRulEstimator estimator) {
        rulEstimator = estimator;
        Set<String> signals = new HashSet<>(config.signals());
        signals.addAll(TwinAnalytics.rulSignals(config.rulFeature(), estimator));
        extractor = new ThingChangeReadings(signals);
        if (analytics != null) {
            analytics.useRulEstimator(estimator);
        }
    }

    /** Checks the model directory for a newer RUL model now (also done every model-poll interval). */
    public Future<Boolean> reloadModels() {
        io.vertx.core.Promise<Boolean> result = io.vertx.core.Promise.promise();
        context.runOnContext(v -> watcher.checkNow().onComplete(result));
        return result.future();
    }

    /** The assets whose state lives in this instance, read on the analytics context. */
    public Future<Set<String>> assetIds() {
        io.vertx.core.Promise<Set<String>> ids = io.vertx.core.Promise.promise();
        context.runOnContext(v -> ids.complete(analytics.assetIds()));
        return ids.future();
    }

    /** Kafka partitions owned by this replica (0 with the WebSocket transport). */
    public int ownedPartitions() {
        KafkaTwinEvents events = kafkaEvents;
        return events == null ? 0 : events.ownedPartitions().size();
    }

    /** The RUL estimator in use, or {@code null} (after {@link #start()}). */
    public BatchingRulEstimator rulEstimator() {
        return rulEstimator;
    }

    /** The per-asset analytics (after {@link #start()}). */
    public TwinAnalytics analytics() {
        return analytics;
    }

    /** Closes the HTTP server, the Ditto connection and the RUL model executor. */
    public Future<Void> stop() {
        if (modelPoll >= 0) {
            vertx.cancelTimer(modelPoll);
        }
        if (refusalSummaries >= 0) {
            vertx.cancelTimer(refusalSummaries);
        }
        Future<Void> closed = ops == null ? Future.succeededFuture() : ops.close();
        return closed.eventually(() -> {
            if (kafkaEvents != null) {
                // leaving the group off the event loop: close() waits for the poll thread
                KafkaTwinEvents leaving = kafkaEvents;
                kafkaEvents = null;
                return vertx.executeBlocking(() -> {
                    leaving.close();
                    return null;
                });
            }
            return Future.succeededFuture();
        }).eventually(() -> {
            if (connection != null) {
                connection.close();
            }
            return watcher == null ? Future.succeededFuture() : watcher.close();
        }).eventually(() -> {
            io.twinworks.analytics.learn.LearnedForecasts learned = learnedForecasts;
            return learned == null ? Future.succeededFuture() : learned.close();
        });
    }
}
