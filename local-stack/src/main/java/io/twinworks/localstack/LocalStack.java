package io.twinworks.localstack;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The embedded default stack on one machine: a real in-JVM Kafka broker (Hono's northbound), the
 * Hono side (device registry with its management API, MQTT protocol endpoint) and the Ditto side.
 * Each piece speaks the same wire contract as its real counterpart, so clients only see URLs.
 *
 * <p>Built with constructors by the application's {@code Main}; {@link #start()} and {@link #stop()}
 * are future-based and never block the event loop (the broker starts on a worker thread).
 */
public final class LocalStack {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final Vertx vertx;
    private final LocalStackConfig config;
    private final PrometheusMeterRegistry metrics;
    private final EmbeddedKafkaBroker kafka;

    /**
     * @param vertx   the Vert.x instance every server of the stack runs on
     * @param config  the stack's configuration
     * @param metrics where the stack's counters go (served at {@code /metrics})
     */
    public LocalStack(Vertx vertx, LocalStackConfig config, PrometheusMeterRegistry metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.kafka = new EmbeddedKafkaBroker(config.stateDir().resolve("kafka"), config.bindHost(), config.kafkaPort());
    }

    /** Starts every piece in dependency order; fails (after stopping what started) if one cannot start. */
    public Future<LocalStackEndpoints> start() {
        return vertx.<Void>executeBlocking(() -> {
                    kafka.start();
                    return null;
                }, false)
                .map(started -> endpoints())
                .onSuccess(endpoints -> LOG.info("local stack up: {}", endpoints))
                .onFailure(failure -> {
                    LOG.error("local stack failed to start: {}", failure.toString());
                    stop();
                });
    }

    /** The addresses clients use; valid after {@link #start()} succeeded. */
    public LocalStackEndpoints endpoints() {
        return new LocalStackEndpoints(kafka.bootstrapServers());
    }

    /** Stops every piece in reverse order; the state directory is kept. */
    public Future<Void> stop() {
        return vertx.executeBlocking(() -> {
            kafka.close();
            return null;
        }, false);
    }

    /** The stack's meter registry. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }
}
