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
import io.twinworks.core.http.ErrorResponse;
import io.twinworks.core.metrics.PrometheusScrapeHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AtomicReference<CommandHandler> commands = new AtomicReference<>(
            command -> CommandResult.of(503, "the adapter is starting"));
    private HonoUplink uplink;
    private final List<SerialPortAdapter> ports = new ArrayList<>();
    private final List<ModbusPortAdapter> modbusPorts = new ArrayList<>();
    private PlantBrokerBridge bridge;
    private HttpServer http;

    public AdapterRuntime(Vertx vertx, AdapterConfig config, AdapterConfig.Kind kind, PrometheusMeterRegistry meters) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Opens the outbox, starts the sources and the forwarder, binds HTTP; completes with the HTTP port. */
    public Future<Integer> start() {
        return vertx.executeBlocking(() -> {
            uplink = HonoUplink.open(config.hono(), config.outbox(), command -> commands.get().handle(command), meters);
            if (kind == AdapterConfig.Kind.SERIAL) {
                Map<String, ModbusPortAdapter> modbusByThing = new HashMap<>();
                for (SerialPortSettings port : config.serialPorts()) {
                    if (port.modbus() != null) {
                        ModbusPortAdapter modbus = new ModbusPortAdapter(port, port.modbus(), uplink.publisher(),
                                config.reopenMinMillis(), config.reopenMaxMillis(), meters);
                        modbusPorts.add(modbus);
                        modbusByThing.put(port.thingId(), modbus);
                    } else {
                        ports.add(new SerialPortAdapter(port, uplink.publisher(), config.reopenMinMillis(),
                                config.reopenMaxMillis(), meters));
                    }
                }
                SerialCommandHandler lineCommands = new SerialCommandHandler(ports, meters);
                commands.set(command -> {
                    ModbusPortAdapter modbus = modbusByThing.get(command.deviceId());
                    if (modbus == null) {
                        return lineCommands.handle(command);
                    }
                    CommandResult result = modbus.handle(command);
                    Counter.builder("adapter.commands.handled").tag("status", String.valueOf(result.status()))
                            .register(meters).increment();
                    LOG.info("command {} for {} answered {}", command.name(), command.deviceId(), result.status());
                    return result;
                });
                ports.forEach(SerialPortAdapter::start);
                modbusPorts.forEach(ModbusPortAdapter::start);
            } else {
                bridge = new PlantBrokerBridge(config.bridge(), uplink.publisher(), meters);
                commands.set(bridge);
                bridge.start();
            }
            uplink.start();
            return null;
        }, false).compose(started -> {
            Router router = Router.router(vertx);
            router.get("/health").handler(ctx -> {
                JsonObject health = health();
                ctx.response().setStatusCode("UP".equals(health.getString("status")) ? 200 : 503)
                        .putHeader("content-type", "application/json").end(health.encode());
            });
            router.get("/metrics").handler(new PrometheusScrapeHandler(meters));
            router.route().last().handler(ctx -> new ErrorResponse(404, "adapter:resource.notfound",
                    "no such resource: " + ctx.request().path(), "the adapter serves /health and /metrics").send(ctx));
            return vertx.createHttpServer().requestHandler(router).listen(config.httpPort(), config.httpHost());
        }).map(server -> {
            http = server;
            LOG.info("{} adapter running: Hono {} as {}, /health and /metrics on port {}",
                    kind.name().toLowerCase(), config.hono().serverUri(), config.hono().username(), server.actualPort());
            return server.actualPort();
        });
    }

    /** UP when Hono and every source are connected; the details name what is down. */
    public JsonObject health() {
        boolean hono = uplink != null && uplink.isConnected();
        JsonObject details = new JsonObject().put("hono", hono ? "UP" : "DOWN")
                .put("outboxMessages", uplink == null ? 0 : uplink.outbox().size());
        boolean sources = true;
        if (kind == AdapterConfig.Kind.SERIAL) {
            JsonArray portStates = new JsonArray();
            for (SerialPortAdapter port : ports) {
                portStates.add(new JsonObject().put("path", port.settings().path()).put("status", port.isOpen() ? "UP" : "DOWN"));
                sources &= port.isOpen();
            }
            for (ModbusPortAdapter port : modbusPorts) {
                portStates.add(new JsonObject().put("path", port.settings().path()).put("modbus", true)
                        .put("status", port.isOpen() ? "UP" : "DOWN"));
                sources &= port.isOpen();
            }
            details.put("serialPorts", portStates);
        } else {
            sources = bridge != null && bridge.isConnected();
            details.put("plantBroker", sources ? "UP" : "DOWN");
        }
        return details.put("status", hono && sources ? "UP" : "DOWN");
    }

    /** The Hono uplink (outbox, publisher). */
    public HonoUplink uplink() {
        return uplink;
    }

    /** Stops everything; the outbox keeps what was not acknowledged. */
    public Future<Void> stop() {
        Future<Void> httpClosed = http == null ? Future.succeededFuture() : http.close();
        return httpClosed.eventually(() -> vertx.executeBlocking(() -> {
            ports.forEach(SerialPortAdapter::close);
            modbusPorts.forEach(ModbusPortAdapter::close);
            if (bridge != null) {
                bridge.close();
            }
            if (uplink != null) {
                uplink.close();
            }
            return null;
        }, false)).mapEmpty();
    }
}
