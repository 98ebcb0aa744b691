package io.twinworks.adapters.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The adapter configuration file as written (YAML or JSON), before validation. Every field may be
 * absent; {@link AdapterConfig#load} applies defaults and checks everything.
 */
public record ConfigFile(Hono hono, Outbox outbox, Http http, Serial serial, Bridge bridge) {

    /** {@code hono:} section. */
    public record Hono(String uri, String tenant, String authId, String password, String deviceId, Boolean gateway,
                       String protocol, Integer telemetryQos, Integer maxInFlight, Integer maxPayloadBytes,
                       Long reconnectMinMillis, Long reconnectMaxMillis) {
    }

    /** {@code outbox:} section. */
    public record Outbox(String file, Integer maxMessages, String overflow, String sync, Integer deadLetterAfter) {
    }

    /** {@code http:} section. */
    public record Http(String host, Integer port) {
    }

    /** {@code serial:} section. */
    public record Serial(List<Port> ports, Long reopenMinMillis, Long reopenMaxMillis) {
    }

    /** One serial port. */
    public record Port(String path, Integer baud, Integer dataBits, String parity, String stopBits, String thingId,
                       Codec codec, Map<String, String> commands, Integer maxLineBytes, Modbus modbus) {
    }

    /** Modbus RTU polling of a port: {@code registers} read every {@code pollMillis}, {@code writes} for commands. */
    public record Modbus(Integer unitId, Long pollMillis, Integer timeoutMillis, List<ModbusRegister> registers,
                         Map<String, ModbusWrite> writes) {
    }

    /** A register read: address, kind (holding/input), type (uint16/int16/float32), target. */
    public record ModbusRegister(Integer address, String kind, String type, Object target) {
    }

    /**
     * A command's write: a register ({@code register}, the JSON payload's {@code field} divided by
     * {@code scale}, {@code type} uint16/int16/uint32/int32/float32) or a coil ({@code coil}, a JSON boolean).
     */
    public record ModbusWrite(Integer register, Integer coil, String field, Double scale, String type) {
    }

    /**
     * A codec: {@code type} csv (with {@code separator}, {@code columns}), kv ({@code keys}) or json
     * ({@code pointers}). Targets are {@code feature/property} strings or {@link Target} objects.
     */
    public record Codec(String type, String separator, List<Object> columns, Map<String, Object> keys,
                        Map<String, Object> pointers) {
    }

    /** A field target written out. */
    public record Target(String feature, String property, String type, Double scale, Double offset) {
    }

    /** {@code bridge:} section (plant MQTT broker). */
    public record Bridge(String uri, String clientId, String username, String password, String sharedGroup,
                         Long sessionExpirySeconds, List<Rule> rules, Map<String, BridgeCommand> commands) {
    }

    /**
     * A mapping rule: topic filter with {@code {name}} captures in single-level segments, the
     * thing ID template using them, and JSON pointer → target mappings (or {@code value} for a
     * plain-number payload).
     */
    public record Rule(String topic, String thingId, @JsonProperty("pointers") Map<String, Object> pointers,
                       Object value, Integer qos, String messageId) {
    }

    /** How a Hono command becomes a plant-broker publish: topic template and QoS. */
    public record BridgeCommand(String topic, Integer qos) {
    }
}
