package io.twinworks.localstack;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.core.ops.HealthCheck;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.twinworks.localstack.ditto.connections.BuiltInConnection;
import io.twinworks.localstack.ditto.connectivity.HonoCommandTarget;
import io.twinworks.localstack.ditto.connectivity.HonoConnectionSettings;
import io.twinworks.localstack.ditto.connectivity.HonoTwinIngest;
import io.twinworks.localstack.hono.mqtt.HonoMqttEndpoint;
import io.twinworks.localstack.hono.mqtt.MqttEndpointStatus;
import io.twinworks.localstack.hono.registry.HonoDeviceRegistry;
import io.twinworks.localstack.hono.registry.http.DeviceRegistryHttpServer;
import io.twinworks.localstack.hono.registry.provisioning.ProvisioningReport;
import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * The embedded default stack on one machine: a real in-JVM Kafka broker (Hono's northbound), the
 * Hono side (device registry with its management API, MQTT protocol endpoint) and the Ditto side
 * (twin service with Ditto's HTTP and WebSocket API, and Ditto's Hono connection consuming the
 * northbound topics). Each piece speaks the same wire contract as its real
 * counterpart, so clients only see URLs.
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
    private final DittoTwinServer ditto;
    private HonoDeviceRegistry registry;
    private DeviceRegistryHttpServer registryHttp;
    private HonoMqttEndpoint mqtt;
    private HonoTwinIngest honoConnection;
    private volatile boolean dittoUp;
    private HonoCommandTarget honoCommands;

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
        this.ditto = new DittoTwinServer(vertx, config, metrics);
    }

    /** Starts every piece in dependency order; fails (after stopping what started) if one cannot start. */
    public Future<LocalStackEndpoints> start() {
        return vertx.<Void>executeBlocking(() -> {
                    kafka.start();
                    return null;
                }, false)
                .compose(kafkaUp -> HonoDeviceRegistry.open(vertx, config, metrics))
                .compose(openedRegistry -> {
                    registry = openedRegistry;
                    return registry.provisionFromConfig(config);
                })
                .compose(report -> {
                    logProvisioning(report);
                    registryHttp = new DeviceRegistryHttpServer(vertx, registry, metrics, config);
                    return registryHttp.start();
                })
                .compose(registryPort -> {
                    mqtt = new HonoMqttEndpoint(vertx, config, registry.service(), kafka.bootstrapServers(), metrics);
                    return mqtt.start();
                })
                .compose(mqttPort -> {
                    registryHttp.health()
                            .ready("mqtt", () -> mqtt.isAccepting() ? HealthCheck.Result.up("accepting connections")
                                    : HealthCheck.Result.down("not accepting connections"))
                            .ready("kafka", () -> mqtt.kafkaAvailable()
                                    ? HealthCheck.Result.up("the northbound producer reaches Kafka")
                                    : HealthCheck.Result.down("the northbound producer's last Kafka request failed"));
                    return ditto.start();
                })
                .onSuccess(dittoPort -> registryHttp.health().ready("ditto", () -> dittoUp
                        ? HealthCheck.Result.up("Ditto API listening") : HealthCheck.Result.down("Ditto API stopped")))
                .onSuccess(dittoPort -> dittoUp = true)
                .compose(dittoPort -> {
                    // Ditto's Hono connection: device telemetry/events become twin commands.
                    honoConnection = new HonoTwinIngest(vertx, ditto.twinService(),
                            HonoConnectionSettings.of(config, kafka.bootstrapServers()), metrics);
                    return honoConnection.start();
                })
                .compose(ingesting -> {
                    // ... and live messages / live commands become Hono commands, their responses the answers.
                    honoCommands = new HonoCommandTarget(vertx, ditto.liveConnections(),
                            HonoConnectionSettings.of(config, kafka.bootstrapServers()).authorizationContext(),
                            kafka.bootstrapServers(), metrics);
                    return honoCommands.start();
                })
                .onSuccess(connected -> ditto.announceConnection(new BuiltInConnection(
                        HonoConnectionSettings.of(config, kafka.bootstrapServers()), Instant.now())))
                .map(connected -> endpoints())
                .onSuccess(endpoints -> LOG.info("local stack up: {}", endpoints))
                .recover(failure -> {
                    LOG.error("local stack failed to start: {}", failure.toString());
                    return stop().transform(stopped -> Future.failedFuture(failure));
                });
    }

    /**
     * Loads a provisioning file into the device registry (idempotent: creates or updates).
     *
     * @return what was created, updated or left unchanged
     */
    public Future<ProvisioningReport> provision(Path provisioningFile) {
        return registry.provision(provisioningFile).onSuccess(this::logProvisioning);
    }

    private void logProvisioning(ProvisioningReport report) {
        if (report != null && !report.summary().isBlank()) {
            LOG.info("device registry provisioned: {}", report.summary());
        }
    }

    /** The addresses clients use; valid after {@link #start()} succeeded. */
    public LocalStackEndpoints endpoints() {
        String host = config.bindHost();
        return new LocalStackEndpoints(
                kafka.bootstrapServers(),
                "tcp://" + host + ":" + mqtt.actualPort(),
                "http://" + host + ":" + registryHttp.actualPort(),
                "http://" + host + ":" + ditto.httpPort(),
                ditto.modelsBaseUrl().value());
    }

    /** The MQTT endpoint's counters, for a live status line. */
    public MqttEndpointStatus mqttStatus() {
        return mqtt.snapshot();
    }

    /** Stops every piece in reverse order; the state directory is kept. */
    public Future<Void> stop() {
        ditto.announceConnection(null);
        dittoUp = false;
        Future<Void> commandsStopped = honoCommands == null ? Future.succeededFuture() : honoCommands.stop();
        return commandsStopped
                .eventually(() -> honoConnection == null ? Future.succeededFuture() : honoConnection.stop())
                .eventually(ditto::stop)
                .eventually(() -> mqtt == null ? Future.succeededFuture() : mqtt.stop())
                .eventually(() -> registryHttp == null ? Future.succeededFuture() : registryHttp.stop())
                .eventually(() -> registry == null ? Future.succeededFuture() : registry.close())
                .eventually(() -> vertx.executeBlocking(() -> {
                    kafka.close();
                    return null;
                }, false))
                .mapEmpty();
    }

    /** The embedded Kafka broker (readiness tests stop and restart it under the running stack). */
    EmbeddedKafkaBroker kafkaBroker() {
        return kafka;
    }

    /** The stack's meter registry. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }
}
