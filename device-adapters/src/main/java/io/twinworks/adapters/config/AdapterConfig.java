package io.twinworks.adapters.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.twinworks.adapters.codec.CsvLineCodec;
import io.twinworks.adapters.codec.FieldTarget;
import io.twinworks.adapters.codec.JsonLineCodec;
import io.twinworks.adapters.codec.KeyValueLineCodec;
import io.twinworks.adapters.codec.LineCodec;
import io.twinworks.adapters.hono.HonoSettings;
import io.twinworks.adapters.hono.OutboxSettings;
import io.twinworks.adapters.model.ThingIds;
import io.twinworks.adapters.modbus.ModbusSettings;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OverflowPolicy;
import io.twinworks.adapters.serial.SerialPortSettings;
import io.twinworks.core.config.ConfigException;
import io.twinworks.core.config.EnvConfig;
import io.twinworks.core.retry.Backoff;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one validated configuration of an adapter ({@code twinworks adapter serial|mqtt --config FILE}):
 * read from a YAML or JSON file, a few keys overridable by environment variables
 * ({@code TWINWORKS_ADAPTER_HONO_URI}, {@code _HONO_PASSWORD}, {@code _HTTP_PORT}, {@code _OUTBOX_FILE},
 * {@code _BRIDGE_PASSWORD}): the URI, port and file follow the deployment, the passwords can come from a secret store,
 * every problem collected and reported at once with its key path.
 *
 * @param hono      the Hono connection
 * @param outbox    the outbox
 * @param httpHost  bind address of /health and /metrics
 * @param httpPort  port of /health and /metrics (0 = any free port)
 * @param serialPorts the serial ports (serial adapter)
 * @param reopenMinMillis first serial reopen delay
 * @param reopenMaxMillis largest serial reopen delay
 * @param bridge    the plant-broker bridge (mqtt adapter), {@code null} if absent
 */
public record AdapterConfig(HonoSettings hono, OutboxSettings outbox, String httpHost, int httpPort,
                            List<SerialPortSettings> serialPorts, long reopenMinMillis, long reopenMaxMillis,
                            @Nullable BridgeSettings bridge) {

    /** Which adapter runs. */
    public enum Kind { SERIAL, MQTT }

    /**
     * The plant-broker bridge of an mqtt adapter's configuration ({@link #validate} requires the section for it).
     *
     * @throws IllegalStateException for a configuration without a bridge section (a serial adapter's)
     */
    public BridgeSettings requireBridge() {
        if (bridge == null) {
            throw new IllegalStateException("this configuration has no bridge section (it is not an mqtt adapter's)");
        }
        return bridge;
    }

    /**
     * Delays between attempts to open a serial port: doubling, no jitter (a port is local to this adapter,
     * no fleet reconnects to it in lock-step).
     */
    public Backoff reopenBackoff() {
        return Backoff.exponential(reopenMinMillis, reopenMaxMillis);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Reads and validates a configuration file.
     *
     * @param file        YAML or JSON (JSON is YAML)
     * @param kind        the adapter that will run: its section is required
     * @param environment overrides (usually {@code System.getenv()})
     * @throws ConfigException listing every problem
     */
    public static AdapterConfig load(Path file, Kind kind, Map<String, String> environment) {
        return validate(parse(file), kind, environment);
    }

    /**
     * Reads and validates a configuration file for the adapter it configures: serial when it has a
     * {@code serial} section, otherwise mqtt (e.g. for tools that only need the outbox settings).
     */
    public static AdapterConfig load(Path file, Map<String, String> environment) {
        ConfigFile raw = parse(file);
        return validate(raw, raw.serial() != null ? Kind.SERIAL : Kind.MQTT, environment);
    }

    private static ConfigFile parse(Path file) {
        ConfigFile raw;
        try {
            byte[] content = Files.readAllBytes(file);
            if (new String(content, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                throw new ConfigException(List.of(file + " is empty"));
            }
            raw = YAML.readValue(content, ConfigFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(List.of(file + ": unknown key '" + e.getPropertyName() + "' at "
                    + path(e) + " (known: " + e.getKnownPropertyIds() + ")"));
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(file + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
        } catch (IOException e) {
            throw new ConfigException(List.of("cannot read config file " + file + ": " + e));
        }
        if (raw == null) {
            throw new ConfigException(List.of(file + " is empty"));
        }
        return raw;
    }

    private static String path(UnrecognizedPropertyException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Validates an already parsed file. */
    public static AdapterConfig validate(ConfigFile raw, Kind kind, Map<String, String> environment) {
        EnvConfig env = EnvConfig.of(environment);
        List<String> problems = new ArrayList<>();
        ConfigFile.Hono h = raw.hono() == null ? new ConfigFile.Hono(null, null, null, null, null, null, null, null,
                null, null, null, null) : raw.hono();
        String uri = env.string("TWINWORKS_ADAPTER_HONO_URI", h.uri() == null ? "tcp://127.0.0.1:1883" : h.uri());
        if (!uri.matches("(tcp|ssl)://[^/]+:\\d+")) {
            problems.add("hono.uri '" + uri + "' is not tcp://host:port or ssl://host:port");
        }
        String password = env.string("TWINWORKS_ADAPTER_HONO_PASSWORD", h.password());
        require(problems, "hono.tenant", h.tenant());
        require(problems, "hono.authId", h.authId());
        require(problems, "hono.password (or TWINWORKS_ADAPTER_HONO_PASSWORD)", password);
        require(problems, "hono.deviceId", h.deviceId());
        if (h.deviceId() != null && !ThingIds.isValid(h.deviceId())) {
            problems.add("hono.deviceId '" + h.deviceId() + "' is not a thing ID <namespace>:<name>");
        }
        HonoSettings.MqttProtocol protocol = HonoSettings.MqttProtocol.MQTT_3_1_1;
        if (h.protocol() != null) {
            switch (h.protocol().trim()) {
                case "3.1.1", "mqttv3", "3" -> protocol = HonoSettings.MqttProtocol.MQTT_3_1_1;
                case "5", "mqttv5" -> protocol = HonoSettings.MqttProtocol.MQTT_5;
                default -> problems.add("hono.protocol '" + h.protocol() + "' is neither 3.1.1 nor 5");
            }
        }
        int qos = orDefault(h.telemetryQos(), 1);
        if (qos != 0 && qos != 1) {
            problems.add("hono.telemetryQos must be 0 or 1, was " + qos);
        }
        int maxInFlight = orDefault(h.maxInFlight(), 32);
        if (maxInFlight < 1 || maxInFlight > 65_535) {
            problems.add("hono.maxInFlight must be in [1, 65535], was " + maxInFlight);
        }
        int maxPayload = orDefault(h.maxPayloadBytes(), 2048);
        if (maxPayload < 128) {
            problems.add("hono.maxPayloadBytes must be at least 128, was " + maxPayload);
        }
        long reconnectMin = orDefault(h.reconnectMinMillis(), 250L);
        long reconnectMax = orDefault(h.reconnectMaxMillis(), 10_000L);
        if (reconnectMin < 10 || reconnectMax < reconnectMin) {
            problems.add("hono.reconnectMinMillis must be >= 10 and <= hono.reconnectMaxMillis");
        }

        ConfigFile.Outbox o = raw.outbox() == null ? new ConfigFile.Outbox(null, null, null, null, null) : raw.outbox();
        Path outboxFile = env.path("TWINWORKS_ADAPTER_OUTBOX_FILE", o.file() == null ? "adapter-outbox.db" : o.file());
        int maxMessages = orDefault(o.maxMessages(), 1_000_000);
        if (maxMessages < 1) {
            problems.add("outbox.maxMessages must be positive, was " + maxMessages);
        }
        OverflowPolicy overflow = OverflowPolicy.REJECT_NEW;
        if (o.overflow() != null) {
            switch (o.overflow().trim().toLowerCase(Locale.ROOT)) {
                case "reject-new" -> overflow = OverflowPolicy.REJECT_NEW;
                case "drop-oldest" -> overflow = OverflowPolicy.DROP_OLDEST;
                default -> problems.add("outbox.overflow '" + o.overflow() + "' is neither reject-new nor drop-oldest");
            }
        }
        int deadLetterAfter = orDefault(o.deadLetterAfter(), 0);
        if (deadLetterAfter < 0) {
            problems.add("outbox.deadLetterAfter must be 0 (never) or positive, was " + deadLetterAfter);
        }
        Outbox.SyncMode sync = Outbox.SyncMode.NORMAL;
        if (o.sync() != null) {
            switch (o.sync().trim().toLowerCase(Locale.ROOT)) {
                case "normal" -> sync = Outbox.SyncMode.NORMAL;
                case "full" -> sync = Outbox.SyncMode.FULL;
                default -> problems.add("outbox.sync '" + o.sync() + "' is neither normal nor full");
            }
        }

        ConfigFile.Http http = raw.http() == null ? new ConfigFile.Http(null, null) : raw.http();
        int httpPort = env.port("TWINWORKS_ADAPTER_HTTP_PORT", orDefault(http.port(), 8090));
        String httpHost = http.host() == null ? "0.0.0.0" : http.host();

        List<SerialPortSettings> ports = new ArrayList<>();
        long reopenMin = 200;
        long reopenMax = 5_000;
        if (kind == Kind.SERIAL) {
            if (raw.serial() == null || raw.serial().ports() == null || raw.serial().ports().isEmpty()) {
                problems.add("serial.ports must list at least one port");
            } else {
                reopenMin = orDefault(raw.serial().reopenMinMillis(), reopenMin);
                reopenMax = orDefault(raw.serial().reopenMaxMillis(), reopenMax);
                if (reopenMin < 10 || reopenMax < reopenMin) {
                    problems.add("serial.reopenMinMillis must be >= 10 and <= serial.reopenMaxMillis");
                }
                Set<String> paths = new HashSet<>();
                for (int i = 0; i < raw.serial().ports().size(); i++) {
                    SerialPortSettings port = port("serial.ports[" + i + "]", raw.serial().ports().get(i), problems);
                    if (port != null && !paths.add(port.path())) {
                        problems.add("serial.ports[" + i + "].path " + port.path() + " is listed twice");
                    }
                    if (port != null) {
                        ports.add(port);
                    }
                }
            }
        }
        BridgeSettings bridge = null;
        if (kind == Kind.MQTT) {
            if (raw.bridge() == null) {
                problems.add("bridge section is required for the mqtt adapter");
            } else {
                // the plant broker's password may come from the environment (a Kubernetes Secret), so the file
                // itself can live in a ConfigMap
                ConfigFile.Bridge b = raw.bridge();
                String bridgePassword = env.string("TWINWORKS_ADAPTER_BRIDGE_PASSWORD", b.password());
                bridge = BridgeSettings.validate(new ConfigFile.Bridge(b.uri(), b.clientId(), b.username(), bridgePassword,
                        b.sharedGroup(), b.sessionExpirySeconds(), b.rules(), b.commands()), problems);
            }
        }
        boolean gateway = Boolean.TRUE.equals(h.gateway());
        if (!gateway && h.deviceId() != null) {
            for (SerialPortSettings port : ports) {
                if (!port.thingId().equals(h.deviceId())) {
                    problems.add("serial port " + port.path() + " is bound to " + port.thingId() + " but hono.deviceId is "
                            + h.deviceId() + " and hono.gateway is false: set gateway: true to publish for several devices");
                }
            }
        }
        try {
            env.validate();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        HonoSettings hono = new HonoSettings(uri, h.tenant(), h.authId(), password, protocol, h.deviceId(), gateway, qos,
                "twinworks-" + kind.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID(), maxInFlight);
        OutboxSettings outbox = new OutboxSettings(outboxFile, maxMessages, overflow, sync, maxPayload, reconnectMin,
                reconnectMax, deadLetterAfter);
        return new AdapterConfig(hono, outbox, httpHost, httpPort, List.copyOf(ports), reopenMin, reopenMax, bridge);
    }

    private static SerialPortSettings port(String key, ConfigFile.Port port, List<String> problems) {
        int before = problems.size();
        require(problems, key + ".path", port.path());
        require(problems, key + ".thingId", port.thingId());
        if (port.thingId() != null && !ThingIds.isValid(port.thingId())) {
            problems.add(key + ".thingId '" + port.thingId() + "' is not a thing ID <namespace>:<name>");
        }
        int baud = orDefault(port.baud(), 9600);
        if (baud < 50 || baud > 4_000_000) {
            problems.add(key + ".baud " + baud + " is outside [50, 4000000]");
        }
        int dataBits = orDefault(port.dataBits(), 8);
        if (dataBits < 5 || dataBits > 8) {
            problems.add(key + ".dataBits " + dataBits + " is outside [5, 8]");
        }
        SerialPortSettings.Parity parity = SerialPortSettings.Parity.NONE;
        if (port.parity() != null) {
            try {
                parity = SerialPortSettings.Parity.valueOf(port.parity().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(key + ".parity '" + port.parity() + "' is not one of none, odd, even, mark, space");
            }
        }
        SerialPortSettings.StopBits stopBits = SerialPortSettings.StopBits.ONE;
        if (port.stopBits() != null) {
            switch (port.stopBits().trim()) {
                case "1" -> stopBits = SerialPortSettings.StopBits.ONE;
                case "1.5" -> stopBits = SerialPortSettings.StopBits.ONE_POINT_FIVE;
                case "2" -> stopBits = SerialPortSettings.StopBits.TWO;
                default -> problems.add(key + ".stopBits '" + port.stopBits() + "' is not 1, 1.5 or 2");
            }
        }
        int maxLine = orDefault(port.maxLineBytes(), 4096);
        if (maxLine < 16) {
            problems.add(key + ".maxLineBytes must be at least 16");
        }
        LineCodec codec = null;
        ModbusSettings modbus = null;
        if (port.modbus() != null) {
            if (port.codec() != null || port.commands() != null) {
                problems.add(key + ": a Modbus port has modbus.registers and modbus.writes, not codec or commands");
            }
            modbus = modbus(key + ".modbus", port.modbus(), problems);
        } else {
            codec = codec(key + ".codec", port.codec(), problems);
        }
        if (problems.size() > before) {
            return null;
        }
        return new SerialPortSettings(port.path(), baud, dataBits, parity, stopBits, port.thingId(), codec,
                port.commands(), maxLine, modbus);
    }

    private static ModbusSettings modbus(String key, ConfigFile.Modbus raw, List<String> problems) {
        try {
            List<ModbusSettings.RegisterRead> reads = new ArrayList<>();
            if (raw.registers() != null) {
                for (int i = 0; i < raw.registers().size(); i++) {
                    ConfigFile.ModbusRegister register = raw.registers().get(i);
                    String registerKey = key + ".registers[" + i + "]";
                    try {
                        if (register.address() == null) {
                            throw new IllegalArgumentException("address must be set");
                        }
                        ModbusSettings.Kind kind = oneOf("kind", orDefault(register.kind(), "holding"), ModbusSettings.Kind.class);
                        reads.add(new ModbusSettings.RegisterRead(register.address(), kind,
                                oneOf("type", orDefault(register.type(), kind.isBit() ? "bool" : "uint16"), ModbusSettings.Type.class),
                                target(registerKey + ".target", register.target())));
                    } catch (IllegalArgumentException e) {
                        problems.add(registerKey + ": " + e.getMessage());
                    }
                }
            }
            Map<String, ModbusSettings.RegisterWrite> writes = new LinkedHashMap<>();
            if (raw.writes() != null) {
                raw.writes().forEach((name, write) -> {
                    try {
                        if (write == null || write.field() == null || (write.register() == null) == (write.coil() == null)) {
                            throw new IllegalArgumentException("field and either register or coil must be set");
                        }
                        ModbusSettings.Type type = write.coil() != null ? ModbusSettings.Type.BOOL
                                : oneOf("type", orDefault(write.type(), "uint16"), ModbusSettings.Type.class);
                        if (write.register() != null && type == ModbusSettings.Type.BOOL) {
                            throw new IllegalArgumentException("a register write needs a numeric type; use coil for a bit");
                        }
                        writes.put(name, new ModbusSettings.RegisterWrite(write.coil() != null ? write.coil() : write.register(),
                                write.field(), write.scale() == null ? 1 : write.scale(), type));
                    } catch (IllegalArgumentException e) {
                        problems.add(key + ".writes." + name + ": " + e.getMessage());
                    }
                });
            }
            return new ModbusSettings(orDefault(raw.unitId(), 1), orDefault(raw.pollMillis(), 1_000L),
                    orDefault(raw.timeoutMillis(), 1_000), reads, writes);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return null;
        }
    }

    /** The enum constant named by {@code text} (case-insensitive), or a message listing the allowed names. */
    private static <E extends Enum<E>> E oneOf(String what, String text, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    /** Builds a line codec from its section; records problems and returns {@code null} when invalid. */
    static LineCodec codec(String key, ConfigFile.Codec codec, List<String> problems) {
        if (codec == null || codec.type() == null) {
            problems.add(key + ".type must be csv, kv or json");
            return null;
        }
        try {
            return switch (codec.type().trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> {
                    if (codec.columns() == null || codec.columns().isEmpty()) {
                        throw new IllegalArgumentException("columns must list the target of each column (null skips one)");
                    }
                    List<FieldTarget> columns = new ArrayList<>();
                    for (int i = 0; i < codec.columns().size(); i++) {
                        Object column = codec.columns().get(i);
                        columns.add(column == null ? null : target(key + ".columns[" + i + "]", column));
                    }
                    yield new CsvLineCodec(codec.separator() == null ? "," : codec.separator(), columns);
                }
                case "kv" -> new KeyValueLineCodec(targets(key + ".keys", codec.keys()));
                case "json" -> new JsonLineCodec(targets(key + ".pointers", codec.pointers()));
                default -> throw new IllegalArgumentException("type '" + codec.type() + "' is not csv, kv or json");
            };
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return null;
        }
    }

    /** Parses a map of source → target. */
    static Map<String, FieldTarget> targets(String key, Map<String, Object> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("must map at least one field");
        }
        Map<String, FieldTarget> targets = new LinkedHashMap<>();
        raw.forEach((source, target) -> targets.put(source, target(key + "." + source, target)));
        return targets;
    }

    /** A target: {@code feature/property} or {feature, property, type, scale, offset}. */
    @SuppressWarnings("unchecked")
    static FieldTarget target(String key, Object raw) {
        try {
            if (raw instanceof String path) {
                return FieldTarget.parse(path);
            }
            if (raw instanceof Map<?, ?> map) {
                ConfigFile.Target target = YAML.convertValue(map, ConfigFile.Target.class);
                FieldTarget.Type type = target.type() == null ? FieldTarget.Type.NUMBER
                        : FieldTarget.Type.valueOf(target.type().trim().toUpperCase(Locale.ROOT));
                return new FieldTarget(target.feature(), target.property(), type,
                        target.scale() == null ? 1 : target.scale(), target.offset() == null ? 0 : target.offset());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
        throw new IllegalArgumentException(key + " must be feature/property or {feature, property, type, scale, offset}");
    }

    private static void require(List<String> problems, String key, String value) {
        if (value == null || value.isBlank()) {
            problems.add(key + " must be set");
        }
    }

    private static <T> T orDefault(T value, T defaultValue) {
        return value == null ? defaultValue : value;
    }
}
