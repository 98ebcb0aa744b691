package io.twinworks.localstack.hono.mqtt;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.hono.kafka.CommandConsumer;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.twinworks.localstack.hono.registry.DeviceRegistryService;
import io.twinworks.localstack.hono.registry.RegistryException;
import io.twinworks.core.logging.FirstThenSummaryLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local stack's stand-in for Hono's MQTT protocol adapter: an MQTT 3.1.1 / 5 server (Vert.x
 * MQTT, as Hono's adapter is built) that authenticates devices against the device registry, forwards
 * telemetry and events to Kafka ({@code hono.telemetry.<tenant>}, {@code hono.event.<tenant>}) in
 * the record layout of Hono's Kafka APIs, and delivers commands from {@code hono.command.<tenant>}
 * to subscribed devices, writing their responses to {@code hono.command_response.<tenant>}.
 *
 * <p>Wiring: create it with the stack's Vert.x, configuration, registry, Kafka bootstrap servers and
 * meter registry, {@link #start()} it once Kafka runs (completes with the bound port), and
 * {@link #stop()} it before Kafka stops. All connection state lives on one Vert.x context.
 *
 * <h2>CONNECT refusals</h2>
 * <table>
 *   <caption>CONNACK codes</caption>
 *   <tr><th>cause</th><th>MQTT 3.1.1</th><th>MQTT 5</th><th>{@code reason} tag</th></tr>
 *   <tr><td>no user name/password, user name not {@code auth-id@tenant}, wrong password, unknown tenant</td>
 *       <td>0x04 bad user name or password</td><td>0x86 bad user name or password</td>
 *       <td>missing_credentials, malformed_username, bad_credentials</td></tr>
 *   <tr><td>device or tenant disabled</td><td>0x05 not authorized</td><td>0x87 not authorized</td>
 *       <td>not_authorized</td></tr>
 *   <tr><td>MQTT 5 enhanced authentication requested</td><td>-</td><td>0x8C bad authentication method</td>
 *       <td>unsupported_authentication_method</td></tr>
 *   <tr><td>device registry failed or did not answer in time</td><td>0x03 server unavailable</td>
 *       <td>0x88 server unavailable</td><td>registry_unavailable</td></tr>
 *   <tr><td>Kafka unreachable</td><td>0x03 server unavailable</td><td>0x89 server busy</td>
 *       <td>kafka_unavailable</td></tr>
 *   <tr><td>MQTT 3.1 (protocol level 3)</td><td>0x01 unacceptable protocol version</td><td>-</td>
 *       <td>unsupported_protocol_version</td></tr>
 * </table>
 */
public final class HonoMqttEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HonoMqttEndpoint.class);
    /** Hono adds this to the payload limit for the MQTT packet limit (topic name, properties). */
    private static final int VARIABLE_HEADER_ALLOWANCE = 128;
    private static final long REGISTRY_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_QUEUED_KAFKA_RECORDS = 10_000;
    /** A client must send CONNECT this soon after opening the socket (garbage or silence is dropped). */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final LocalStackConfig config;
    private final DeviceRegistryService registry;
    private final String kafkaBootstrapServers;
    private final MqttEndpointMetrics metrics;
    private final Set<DeviceConnection> connections = new LinkedHashSet<>();
    private Context context;
    private volatile NorthboundProducer producer;
    private CommandConsumer commandConsumer;
    private CommandRouter router;
    private MqttServer server;
    private volatile boolean accepting;

    /** How often refusals after the first of their key are summarized in one log line. */
    static final long REFUSAL_SUMMARY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Refusals (CONNECT, PUBLISH, SUBSCRIBE) are logged like the Hono connection's: the first per device
     * (or user) and reason in full, then a summary every 10 s; the metrics count every one exactly.
     */
    private final FirstThenSummaryLog refusalLog = new FirstThenSummaryLog(REFUSAL_SUMMARY_NANOS, System::nanoTime,
            (seconds, counts) -> LOG.info("refused {} more MQTT request(s) in the last {} s (the first of each device"
                    + " and reason logged before): {}", FirstThenSummaryLog.total(counts), seconds, counts));
    private long refusalSummaryTimer = -1;

    /**
     * Creates the endpoint; nothing runs until {@link #start()}.
     *
     * @param vertx                 the stack's Vert.x instance
     * @param config                bindHost, mqttPort (0 = free port), maxPayloadBytes, commandTimeoutMillis
     * @param registry              authenticates devices and asserts gateway authority
     * @param kafkaBootstrapServers the Kafka broker(s), e.g. {@code EmbeddedKafkaBroker.bootstrapServers()}
     * @param meterRegistry         receives the endpoint's meters (see {@link MqttEndpointMetrics})
     */
    public HonoMqttEndpoint(Vertx vertx, LocalStackConfig config, DeviceRegistryService registry,
                            String kafkaBootstrapServers, MeterRegistry meterRegistry) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.kafkaBootstrapServers = Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        this.metrics = new MqttEndpointMetrics(Objects.requireNonNull(meterRegistry, "meterRegistry"));
    }

    /**
     * Connects to Kafka, starts reading commands and binds the MQTT port.
     *
     * @return the port the server listens on
     */
    public synchronized Future<Integer> start() {
        if (context != null) {
            return Future.failedFuture(new IllegalStateException("already started"));
        }
        context = vertx.getOrCreateContext();
        Promise<Integer> started = Promise.promise();
        context.runOnContext(v -> startOnContext().onComplete(started));
        return started.future();
    }

    private Future<Integer> startOnContext() {
        return vertx.executeBlocking(() -> new NorthboundProducer(vertx, kafkaBootstrapServers, MAX_QUEUED_KAFKA_RECORDS,
                        new NorthboundProducer.Batching(config.honoKafkaLingerMs(), config.honoKafkaBatchBytes())))
                .compose(createdProducer -> {
                    producer = createdProducer;
                    router = new CommandRouter(vertx, registry, producer, metrics, config.commandTimeoutMillis());
                    commandConsumer = new CommandConsumer(vertx, kafkaBootstrapServers, router::handleCommandRecord);
                    return commandConsumer.start();
                })
                .compose(ready -> {
                    MqttServerOptions options = new MqttServerOptions()
                            .setHost(config.bindHost())
                            .setPort(config.mqttPort())
                            .setMaxMessageSize(config.maxPayloadBytes() + VARIABLE_HEADER_ALLOWANCE)
                            .setTimeoutOnConnect(CONNECT_TIMEOUT_SECONDS);
                    server = MqttServer.create(vertx, options);
                    server.endpointHandler(this::onConnect);
                    server.exceptionHandler(e -> LOG.debug("MQTT connection failed before CONNECT: {}", e.toString()));
                    return server.listen();
                })
                .map(listening -> {
                    accepting = true;
                    refusalSummaryTimer = vertx.setPeriodic(REFUSAL_SUMMARY_NANOS / 1_000_000,
                            tick -> refusalLog.summarizeIfDue());
                    LOG.info("Hono MQTT endpoint listening on {}:{} (max payload {} bytes, Kafka {})",
                            config.bindHost(), listening.actualPort(), config.maxPayloadBytes(), kafkaBootstrapServers);
                    return listening.actualPort();
                })
                .recover(e -> {
                    LOG.error("Hono MQTT endpoint failed to start", e);
                    return releaseResources().transform(ignored -> Future.failedFuture(e));
                });
    }

    /** Whether the endpoint accepts connections (in memory, for readiness). */
    public boolean isAccepting() {
        return accepting;
    }

    /** Whether the northbound producer's last interaction with Kafka succeeded (in memory, for readiness). */
    public boolean kafkaAvailable() {
        NorthboundProducer current = producer;
        return current != null && current.isAvailable();
    }

    /** The port the server listens on, or 0 when not started. */
    public int actualPort() {
        MqttServer current = server;
        return current == null ? 0 : current.actualPort();
    }

    /** The current counters, e.g. for a one-line live status. */
    public MqttEndpointStatus snapshot() {
        return metrics.snapshot();
    }

    /**
     * Stops accepting connections, disconnects the devices, and closes the Kafka clients.
     */
    public synchronized Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        accepting = false;
        vertx.cancelTimer(refusalSummaryTimer);
        refusalLog.summarizeIfDue();
        Promise<Void> stopped = Promise.promise();
        context.runOnContext(v -> {
            new ArrayList<>(connections).forEach(DeviceConnection::closeForShutdown);
            releaseResources().onComplete(stopped);
        });
        return stopped.future();
    }

    private Future<Void> releaseResources() {
        Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
        if (router != null) {
            router.close();
        }
        CommandConsumer consumerToClose = commandConsumer;
        NorthboundProducer producerToClose = producer;
        return serverClosed.recover(e -> Future.succeededFuture())
                .compose(v -> vertx.<Void>executeBlocking(() -> {
                    if (consumerToClose != null) {
                        consumerToClose.close();
                    }
                    if (producerToClose != null) {
                        producerToClose.close();
                    }
                    return null;
                }))
                .onComplete(v -> LOG.info("Hono MQTT endpoint stopped"));
    }

    // ---------------------------------------------------------------- CONNECT

    /** Why a CONNECT was refused, and the codes for either protocol version. */
    private record ConnectRefusal(String reason, MqttConnectReturnCode mqtt3Code, MqttConnectReturnCode mqtt5Code,
                                  String detail) {
        static ConnectRefusal badCredentials(String reason, String detail) {
            return new ConnectRefusal(reason, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD, detail);
        }
    }

    private static final class ConnectRefusedException extends RuntimeException {
        final ConnectRefusal refusal;

        ConnectRefusedException(ConnectRefusal refusal) {
            super(refusal.detail(), null, false, false);
            this.refusal = refusal;
        }
    }

    private void onConnect(MqttEndpoint endpoint) {
        String clientAddress = describe(endpoint);
        MqttAuth auth = endpoint.auth();
        String username = auth == null ? null : auth.getUsername();
        boolean[] closedEarly = {false};
        endpoint.closeHandler(v -> closedEarly[0] = true);
        authenticate(endpoint, auth)
                .onSuccess(device -> {
                    if (closedEarly[0]) {
                        return;
                    }
                    if (!accepting) {
                        refuse(endpoint, clientAddress, username, new ConnectRefusal("shutting_down",
                                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, "endpoint is stopping"));
                        return;
                    }
                    accept(endpoint, device, clientAddress);
                })
                .onFailure(e -> {
                    ConnectRefusal refusal = e instanceof ConnectRefusedException refused ? refused.refusal
                            : new ConnectRefusal("internal_error", MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                            MqttConnectReturnCode.CONNECTION_REFUSED_UNSPECIFIED_ERROR, e.toString());
                    if (!(e instanceof ConnectRefusedException)) {
                        LOG.error("unexpected error authenticating client {}", clientAddress, e);
                    }
                    if (closedEarly[0]) {
                        metrics.connectionRefused("client_closed");
                        return;
                    }
                    refuse(endpoint, clientAddress, username, refusal);
                });
    }

    private Future<AuthenticatedDevice> authenticate(MqttEndpoint endpoint, MqttAuth auth) {
        boolean mqtt5 = endpoint.protocolVersion() >= 5;
        if (endpoint.protocolVersion() < 4) {
            return refused(new ConnectRefusal("unsupported_protocol_version",
                    MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION,
                    "only MQTT 3.1.1 and 5 are supported"));
        }
        if (mqtt5 && endpoint.connectProperties() != null && endpoint.connectProperties()
                .getProperty(MqttProperties.MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            return refused(new ConnectRefusal("unsupported_authentication_method", null,
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "MQTT 5 enhanced authentication is not supported; use user name and password"));
        }
        if (auth == null || auth.getUsername() == null || auth.getPassword() == null) {
            return refused(ConnectRefusal.badCredentials("missing_credentials",
                    "CONNECT carries no user name and password"));
        }
        String username = auth.getUsername();
        int at = username.lastIndexOf('@');
        if (at <= 0 || at == username.length() - 1) {
            return refused(ConnectRefusal.badCredentials("malformed_username",
                    "user name must have the form auth-id@tenant"));
        }
        if (!producer.isAvailable()) {
            return refused(new ConnectRefusal("kafka_unavailable",
                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY, "Kafka is not reachable"));
        }
        String authId = username.substring(0, at);
        String tenantId = username.substring(at + 1);
        Promise<AuthenticatedDevice> result = Promise.promise();
        long timer = vertx.setTimer(REGISTRY_TIMEOUT_MILLIS, t -> result.tryFail(
                new TimeoutException("device registry did not answer within " + REGISTRY_TIMEOUT_MILLIS + " ms")));
        registry.authenticate(tenantId, authId, auth.getPassword()).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                result.tryComplete(ar.result());
            } else {
                result.tryFail(ar.cause());
            }
        });
        return result.future().recover(e -> refused(connectRefusal(e)));
    }

    private static ConnectRefusal connectRefusal(Throwable error) {
        if (error instanceof RegistryException refused) {
            return switch (refused.reason()) {
                case BAD_CREDENTIALS, TENANT_NOT_FOUND, DEVICE_NOT_FOUND ->
                        ConnectRefusal.badCredentials("bad_credentials", refused.getMessage());
                case DEVICE_DISABLED, TENANT_DISABLED, GATEWAY_NOT_AUTHORIZED -> new ConnectRefusal("not_authorized",
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5, refused.getMessage());
            };
        }
        return new ConnectRefusal("registry_unavailable", MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5, "device registry failed: " + error);
    }

    private static <T> Future<T> refused(ConnectRefusal refusal) {
        return Future.failedFuture(new ConnectRefusedException(refusal));
    }

    private void accept(MqttEndpoint endpoint, AuthenticatedDevice device, String clientAddress) {
        DeviceConnection connection = new DeviceConnection(endpoint, device, clientAddress,
                new DeviceConnection.Services(vertx, registry, producer, router, metrics, config.maxPayloadBytes(),
                        config.commandTimeoutMillis(), REGISTRY_TIMEOUT_MILLIS, refusalLog));
        try {
            // Hono keeps no session state: session present is always 0
            endpoint.accept(false);
        } catch (IllegalStateException closed) {
            return;
        }
        connections.add(connection);
        metrics.connectionAccepted();
        connection.start(() -> {
            connections.remove(connection);
            metrics.connectionClosed();
        });
        LOG.info("device connected [tenant: {}, device: {}, auth-id: {}, client: {}, MQTT {}]", device.tenantId(),
                device.deviceId(), device.authId(), clientAddress, endpoint.protocolVersion() >= 5 ? "5" : "3.1.1");
    }

    private void refuse(MqttEndpoint endpoint, String clientAddress, String username, ConnectRefusal refusal) {
        metrics.connectionRefused(refusal.reason());
        // the user name (auth-id@tenant) is logged, the password never; the first per user and reason only
        if (refusalLog.first("connect\u0000" + username + '\u0000' + refusal.reason(),
                "CONNECT reason=" + refusal.reason())) {
            LOG.info("refused MQTT connection [user: {}, client: {}, reason: {}]: {} (further refusals of this user"
                    + " for this reason are only counted in a summary every 10 s)", username, clientAddress,
                    refusal.reason(), refusal.detail());
        }
        boolean mqtt5 = endpoint.protocolVersion() >= 5;
        MqttConnectReturnCode code = mqtt5 ? refusal.mqtt5Code() : refusal.mqtt3Code();
        try {
            if (code == null) {
                endpoint.close();
            } else {
                endpoint.reject(code);
            }
        } catch (IllegalStateException alreadyClosed) {
            // client went away meanwhile
        }
    }

    private static String describe(MqttEndpoint endpoint) {
        try {
            return endpoint.remoteAddress() + " (client-id " + endpoint.clientIdentifier() + ")";
        } catch (IllegalStateException closed) {
            return "(closed) client-id " + endpoint.clientIdentifier();
        }
    }
}
