package io.twinworks.adapters;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.bridge.PlantBrokerBridge;
import io.twinworks.adapters.config.AdapterConfig;
import io.twinworks.adapters.hono.CommandHandler;
import io.twinworks.adapters.hono.CommandResult;
import io.twinworks.adapters.hono.HonoUplink;
import io.twinworks.adapters.serial.SerialCommandHandler;
import io.twinworks.adapters.serial.SerialPortAdapter;
import io.twinworks.adapters.serial.SerialPortSettings;
import io.twinworks.adapters.modbus.ModbusPortAdapter;
import io.micrometer.core.instrument.Counter;
import java.util.HashMap;
import java.util.Map;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.core.ops.HealthCheck;
import io.twinworks.core.ops.HealthChecks;
import io.twinworks.core.ops.OpsServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A running adapter, built from its validated configuration: the Hono uplink (outbox, forwarder),
 * the sources (serial ports, or the plant-broker bridge), the command routing, and the HTTP server
 * with {@code /health} and {@code /metrics} (Prometheus).
 *
 * <pre>{@code
 * AdapterRuntime adapter = new AdapterRuntime(vertx, AdapterConfig.load(file, Kind.SERIAL, System.getenv()),
 *         Kind.SERIAL, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
 * adapter.start().onSuccess(port -> ...);
 * }</pre>
 */
public final class AdapterRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRuntime.class);

    private final Vertx vertx;
    private final AdapterConfig config;
    private final AdapterConfig.Kind kind;
    private final PrometheusMeterRegistry meters;
    /** Where Hono's commands go; replaced once the sources are up. */
    private volatile CommandHandler commands = command -> CommandResult.of(503, "the adapter is starting");
    /** Set by {@link #start()}; {@code null} before, and if opening the outbox failed. */
    private volatile @Nullable HonoUplink uplink;
    private final List<SerialPortAdapter> ports = new ArrayList<>();
    private final List<ModbusPortAdapter> modbusPorts = new ArrayList<>();
    private volatile @Nullable PlantBrokerBridge bridge;
    private final HealthChecks health = new HealthChecks();
    private volatile @Nullable OpsServer ops;

    public AdapterRuntime(Vertx vertx, AdapterConfig config, AdapterConfig.Kind kind, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Opens the outbox, starts the sources and the forwarder, binds HTTP; completes with the HTTP port. */
    public Future<Integer> start() {
        return vertx.<HonoUplink>executeBlocking(() -> {
            HonoUplink uplink = HonoUplink.open(config.hono(), config.outbox(), command -> commands.handle(command), meters);
            this.uplink = uplink;
            if (kind == AdapterConfig.Kind.SERIAL) {
                Map<String, ModbusPortAdapter> modbusByThing = new HashMap<>();
                for (SerialPortSettings port : config.serialPorts()) {
                    if (port.modbus() != null) {
                        ModbusPortAdapter modbus = new ModbusPortAdapter(port, port.modbus(), uplink.publisher(),
                                config.reopenBackoff(), meters);
                        modbusPorts.add(modbus);
                        modbusByThing.put(port.thingId(), modbus);
                    } else {
                        ports.add(new SerialPortAdapter(port, uplink.publisher(), config.reopenBackoff(), meters));
                    }
                }
                SerialCommandHandler lineCommands = new SerialCommandHandler(ports, meters);
                commands = command -> {
                    ModbusPortAdapter modbus = modbusByThing.get(command.deviceId());
                    if (modbus == null) {
                        return lineCommands.handle(command);
                    }
                    CommandResult result = modbus.handle(command);
                    Counter.builder("adapter.commands.handled").tag("status", String.valueOf(result.status()))
                            .register(meters).increment();
                    LOG.info("command {} for {} answered {}", command.name(), command.deviceId(), result.status());
                    return result;
                };
                ports.forEach(SerialPortAdapter::start);
                modbusPorts.forEach(ModbusPortAdapter::start);
            } else {
                PlantBrokerBridge bridge = new PlantBrokerBridge(config.requireBridge(), uplink.publisher(), meters);
                this.bridge = bridge;
                commands = bridge;
                bridge.start();
            }
            uplink.start();
            return uplink;
        }, false).compose(started -> {
            registerChecks(started, bridge);
            OpsServer ops = new OpsServer(vertx, "adapter", health, meters);
            this.ops = ops;
            return ops.listen(config.httpHost(), config.httpPort());
        }).onSuccess(port -> LOG.info("{} adapter running: Hono {} as {}, /health/live, /health/ready and /metrics on port {}",
                kind.name().toLowerCase(), config.hono().serverUri(), config.hono().username(), port));
    }

    /**
     * Readiness checks, all from in-memory state (the outbox's counters are atomics: a probe never
     * waits for the outbox lock, held across SQLite commits): Hono connected, outbox writable, and each
     * serial port open or the plant broker connected.
     */
    private void registerChecks(HonoUplink uplink, @Nullable PlantBrokerBridge bridge) {
        health.ready("hono", () -> uplink.isConnected()
                ? HealthCheck.Result.up("connected to " + config.hono().serverUri())
                : HealthCheck.Result.down("not connected to " + config.hono().serverUri()));
        health.ready("outbox", () -> {
            Outbox outbox = uplink.outbox();
            String fill = outbox.size() + "/" + outbox.maxMessages() + " messages, oldest "
                    + outbox.oldestAgeMillis() / 1000 + " s";
            return outbox.writable() ? HealthCheck.Result.up(fill)
                    : HealthCheck.Result.down("the last write to the outbox failed (" + fill + ")");
        });
        for (SerialPortAdapter port : ports) {
            health.ready("serialPort " + port.settings().path(), () -> port.isOpen()
                    ? HealthCheck.Result.up("open") : HealthCheck.Result.down("not open (reopening)"));
        }
        for (ModbusPortAdapter port : modbusPorts) {
            health.ready("modbusPort " + port.settings().path(), () -> port.isOpen()
                    ? HealthCheck.Result.up("open") : HealthCheck.Result.down("not open (reopening)"));
        }
        if (bridge != null) {
            health.ready("plantBroker", () -> bridge.isConnected()
                    ? HealthCheck.Result.up("connected") : HealthCheck.Result.down("not connected"));
        }
    }

    /** The readiness report ({@code status} UP when Hono and every source are connected and the outbox writable). */
    public JsonObject health() {
        return health.readiness().toJson();
    }

    /**
     * The Hono uplink (outbox, publisher).
     *
     * @throws IllegalStateException before {@link #start()} opened it
     */
    public HonoUplink uplink() {
        HonoUplink started = uplink;
        if (started == null) {
            throw new IllegalStateException("the adapter has not started");
        }
        return started;
    }

    /** Stops everything; the outbox keeps what was not acknowledged. */
    public Future<Void> stop() {
        OpsServer startedOps = ops;
        Future<Void> httpClosed = startedOps == null ? Future.succeededFuture() : startedOps.close();
        return httpClosed.eventually(() -> vertx.executeBlocking(() -> {
            ports.forEach(SerialPortAdapter::close);
            modbusPorts.forEach(ModbusPortAdapter::close);
            PlantBrokerBridge startedBridge = bridge;
            if (startedBridge != null) {
                startedBridge.close();
            }
            HonoUplink startedUplink = uplink;
            if (startedUplink != null) {
                startedUplink.close();
            }
            return null;
        }, false)).mapEmpty();
    }
}
