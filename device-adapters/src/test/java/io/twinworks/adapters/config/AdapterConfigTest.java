package io.twinworks.adapters.config;

import io.twinworks.adapters.hono.HonoSettings;
import io.twinworks.adapters.outbox.OverflowPolicy;
import io.twinworks.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdapterConfigTest {

    @TempDir
    Path dir;

    private static final String HONO = """
            hono:
              tenant: plant.a
              authId: gw-1
              password: secret
              deviceId: plant.a:gw-1
              gateway: true
            """;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("adapter.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aMinimalSerialConfigGetsTheDefaults() throws Exception {
        AdapterConfig config = AdapterConfig.load(write(HONO + """
                serial:
                  ports:
                    - path: /dev/ttyUSB0
                      thingId: plant.a:pump-1
                      codec: {type: csv, columns: [temperature/value, null, counter/n]}
                """), AdapterConfig.Kind.SERIAL, Map.of());

        assertThat(config.hono().serverUri()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(config.hono().protocol()).isEqualTo(HonoSettings.MqttProtocol.MQTT_3_1_1);
        assertThat(config.hono().telemetryQos()).isEqualTo(1);
        assertThat(config.outbox().overflowPolicy()).isEqualTo(OverflowPolicy.REJECT_NEW);
        assertThat(config.outbox().maxPayloadBytes()).isEqualTo(2048);
        assertThat(config.serialPorts()).singleElement().satisfies(port -> {
            assertThat(port.baudRate()).isEqualTo(9600);
            assertThat(port.dataBits()).isEqualTo(8);
        });
        assertThat(config.httpPort()).isEqualTo(8090);
    }

    @Test
    void environmentVariablesOverrideTheFile() throws Exception {
        AdapterConfig config = AdapterConfig.load(write(HONO + """
                serial:
                  ports: [{path: /dev/x, thingId: "plant.a:p", codec: {type: kv, keys: {T: t/v}}}]
                """), AdapterConfig.Kind.SERIAL, Map.of("TWINWORKS_ADAPTER_HONO_URI", "tcp://hono:8883",
                "TWINWORKS_ADAPTER_HONO_PASSWORD", "from-env", "TWINWORKS_ADAPTER_HTTP_PORT", "9999"));

        assertThat(config.hono().serverUri()).isEqualTo("tcp://hono:8883");
        assertThat(config.hono().password()).isEqualTo("from-env");
        assertThat(config.httpPort()).isEqualTo(9999);
    }

    @Test
    void thePlantBrokerPasswordComesFromTheEnvironmentWhenSet() throws Exception {
        Path file = write(HONO + """
                bridge:
                  uri: tcp://plant-broker:1883
                  username: twinworks
                  password: from-file
                  rules:
                    - {topic: "plant/{machine}/rpm", thingId: "plant.a:{machine}", value: speed/rpm}
                """);

        assertThat(AdapterConfig.load(file, AdapterConfig.Kind.MQTT, Map.of("TWINWORKS_ADAPTER_BRIDGE_PASSWORD", "from-env"))
                .bridge().password()).isEqualTo("from-env");
        assertThat(AdapterConfig.load(file, AdapterConfig.Kind.MQTT, Map.of("TWINWORKS_ADAPTER_BRIDGE_PASSWORD", " "))
                .bridge().password()).as("a blank variable (an empty Secret key) keeps the file's").isEqualTo("from-file");
    }

    @Test
    void everyProblemIsListedAtOnceWithItsKey() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write("""
                hono:
                  uri: http://wrong
                  protocol: "4"
                  telemetryQos: 2
                  deviceId: not-a-thing-id
                outbox:
                  overflow: explode
                serial:
                  ports:
                    - path: /dev/a
                      thingId: plant.a:p
                      baud: 7
                      parity: sideways
                      stopBits: "3"
                      codec: {type: xml}
                    - path: /dev/a
                      thingId: plant.a:q
                      codec: {type: csv, columns: [not-a-target]}
                """), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p).contains("hono.uri"))
                        .anySatisfy(p -> assertThat(p).contains("hono.protocol '4'"))
                        .anySatisfy(p -> assertThat(p).contains("hono.telemetryQos"))
                        .anySatisfy(p -> assertThat(p).contains("hono.tenant must be set"))
                        .anySatisfy(p -> assertThat(p).contains("hono.deviceId 'not-a-thing-id'"))
                        .anySatisfy(p -> assertThat(p).contains("outbox.overflow 'explode'"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[0].baud"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[0].parity 'sideways'"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[0].stopBits '3'"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[0].codec: type 'xml'"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[1].codec").contains("not feature/property")));
    }

    @Test
    void anUnknownKeyIsNamedWithItsPathAndTheKnownKeys() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write(HONO + """
                serial:
                  ports:
                    - path: /dev/a
                      thingID: plant.a:p
                """), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'thingID'").hasMessageContaining("serial.ports[0]")
                .hasMessageContaining("thingId");
    }

    @Test
    void malformedYamlAndMissingFilesAreReportedNotThrownRaw() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write("hono: [unclosed"), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("adapter.yaml");
        assertThatThrownBy(() -> AdapterConfig.load(dir.resolve("missing.yaml"), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read config file");
        assertThatThrownBy(() -> AdapterConfig.load(write(""), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is empty");
    }

    @Test
    void aDeviceAdapterCannotBindPortsToOtherThings() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write("""
                hono: {tenant: plant.a, authId: p1, password: s, deviceId: "plant.a:pump-1"}
                serial:
                  ports: [{path: /dev/a, thingId: "plant.a:pump-2", codec: {type: kv, keys: {T: t/v}}}]
                """), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set gateway: true");
    }

    @Test
    void modbusPortsAreValidatedWithTheirKeys() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write(HONO + """
                serial:
                  ports:
                    - path: /dev/a
                      thingId: plant.a:p
                      codec: {type: kv, keys: {T: t/v}}
                      modbus: {registers: [{address: 0, target: t/v}]}
                    - path: /dev/b
                      thingId: plant.a:q
                      modbus:
                        unitId: 300
                        registers: [{address: 0, type: double, target: t/v}, {target: t/v}]
                        writes: {stop: {field: x}}
                """), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[0]").contains("not codec or commands"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[1].modbus.registers[0]")
                                .contains("type 'double' is not one of [uint16, int16, uint32, int32, float32, bool]"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[1].modbus.registers[1]").contains("address"))
                        .anySatisfy(p -> assertThat(p).contains("serial.ports[1].modbus.writes.stop"))
                        .anySatisfy(p -> assertThat(p).contains("unitId")));
    }

    @Test
    void modbusBitTablesAndWritesAreCheckedForTheirTypes() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write(HONO + """
                serial:
                  ports:
                    - path: /dev/b
                      thingId: plant.a:q
                      modbus:
                        registers:
                          - {address: 0, kind: coils, target: s/on}
                          - {address: 1, kind: coil, type: float32, target: s/on}
                          - {address: 2, type: bool, target: s/on}
                        writes:
                          both: {register: 1, coil: 2, field: x}
                          bitRegister: {register: 1, type: bool, field: x}
                """), AdapterConfig.Kind.SERIAL, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("registers[0]").contains("kind 'coils' is not one of"))
                        .anySatisfy(p -> assertThat(p).contains("registers[1]").contains("type must be bool"))
                        .anySatisfy(p -> assertThat(p).contains("registers[2]").contains("coil or discrete"))
                        .anySatisfy(p -> assertThat(p).contains("writes.both").contains("either register or coil"))
                        .anySatisfy(p -> assertThat(p).contains("writes.bitRegister").contains("use coil")));
    }

    @Test
    void aCoilReadDefaultsToBoolAndACoilWriteNeedsNoType() throws Exception {
        AdapterConfig config = AdapterConfig.load(write(HONO + """
                serial:
                  ports:
                    - path: /dev/b
                      thingId: plant.a:q
                      modbus:
                        registers: [{address: 3, kind: coil, target: s/on}]
                        writes: {valve: {coil: 4, field: open}}
                """), AdapterConfig.Kind.SERIAL, Map.of());
        var modbus = config.serialPorts().get(0).modbus();
        assertThat(modbus.registers().get(0).type()).isEqualTo(io.twinworks.adapters.modbus.ModbusSettings.Type.BOOL);
        assertThat(modbus.writes().get("valve").type()).isEqualTo(io.twinworks.adapters.modbus.ModbusSettings.Type.BOOL);
        assertThat(modbus.writes().get("valve").address()).isEqualTo(4);
    }

    @Test
    void theMqttAdapterNeedsABridgeWithValidRules() throws Exception {
        assertThatThrownBy(() -> AdapterConfig.load(write(HONO), AdapterConfig.Kind.MQTT, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bridge section is required");
        assertThatThrownBy(() -> AdapterConfig.load(write(HONO + """
                bridge:
                  uri: tcp://plant:1883
                  rules:
                    - {topic: "plant/+/x", thingId: "a:{m}", value: t/v}
                    - {topic: "plant/{m}/x", thingId: "a:{other}", value: t/v}
                    - {topic: "plant/{m}/x", thingId: "a:{m}"}
                  commands:
                    stop: {qos: 1}
                """), AdapterConfig.Kind.MQTT, Map.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("bridge.rules[0]").contains("{name} captures"))
                        .anySatisfy(p -> assertThat(p).contains("bridge.rules[1]").contains("{other}"))
                        .anySatisfy(p -> assertThat(p).contains("bridge.rules[2]").contains("either pointers"))
                        .anySatisfy(p -> assertThat(p).contains("bridge.commands.stop.topic")));
    }
}
