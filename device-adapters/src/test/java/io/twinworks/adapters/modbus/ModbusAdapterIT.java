package io.twinworks.adapters.modbus;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.Socat;
import io.twinworks.adapters.StackFixture;
import io.twinworks.adapters.config.AdapterConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.twinworks.adapters.StackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Modbus RTU polling end to end: a j2mod slave on one end of a socat pty pair plays the device. */
class ModbusAdapterIT {

    static final String PUMP = "plant.a:pump-1";

    @TempDir
    Path dir;

    private StackFixture stack;
    private Socat port;
    private ModbusSlave slave;
    private SimpleProcessImage image;
    private AdapterRuntime adapter;
    private PrometheusMeterRegistry meters;

    @BeforeEach
    void start() throws Exception {
        Socat.requireSocat();
        stack = new StackFixture(dir, List.of(PUMP));
        port = new Socat(Files.createDirectories(dir.resolve("pty"))).start();
        image = new SimpleProcessImage(7);
        for (int i = 0; i < 16; i++) {
            image.addRegister(new SimpleRegister(0));
        }
        image.setRegister(0, new SimpleRegister(215));          // temperature × 10
        image.setRegister(1, new SimpleRegister(0xFFFE));       // int16 -2
        int bits = Float.floatToIntBits(3.75f);
        image.setRegister(2, new SimpleRegister(bits >>> 16));  // float32, high word first
        image.setRegister(3, new SimpleRegister(bits & 0xFFFF));
        image.addInputRegister(new SimpleInputRegister(1013));
        image.setRegister(12, new SimpleRegister(0x0001));      // uint32 100000, high word first
        image.setRegister(13, new SimpleRegister(0x86A0));
        image.addDigitalOut(new SimpleDigitalOut(true));        // coil 0: running
        image.addDigitalOut(new SimpleDigitalOut(false));       // coil 1: written by a command
        image.addDigitalIn(new SimpleDigitalIn(true));          // discrete input 0: door open
        SerialParameters parameters = new SerialParameters();
        parameters.setPortName(port.deviceEnd().toString());
        parameters.setBaudRate(19200);
        parameters.setDatabits(8);
        parameters.setParity("None");
        parameters.setStopbits(1);
        parameters.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        parameters.setEcho(false);
        slave = ModbusSlaveFactory.createSerialSlave(parameters);
        slave.addProcessImage(7, image);
        slave.open();
        Path config = dir.resolve("adapter.yaml");
        Files.writeString(config, """
                hono: {uri: "%s", tenant: plant.a, authId: gw-1, password: gw-secret, deviceId: "plant.a:gw-1", gateway: true}
                outbox: {file: %s}
                http: {host: 127.0.0.1, port: 0}
                serial:
                  ports:
                    - path: %s
                      baud: 19200
                      thingId: plant.a:pump-1
                      modbus:
                        unitId: 7
                        pollMillis: 200
                        registers:
                          - {address: 0, type: uint16, target: {feature: temperature, property: value, scale: 0.1}}
                          - {address: 1, type: int16, target: flow/trend}
                          - {address: 2, type: float32, target: vibration/rms}
                          - {address: 0, kind: input, target: pressure/value}
                          - {address: 40, target: missing/value}
                          - {address: 12, type: uint32, target: counter/operatingSeconds}
                          - {address: 0, kind: coil, target: state/running}
                          - {address: 0, kind: discrete, target: state/doorOpen}
                        writes:
                          setSpeed: {register: 10, field: rpm}
                          setTemperature: {register: 11, field: celsius, scale: 0.1}
                          setFlowLimit: {register: 14, field: m3h, type: float32}
                          setValve: {coil: 1, field: open}
                """.formatted(stack.mqttUri(), dir.resolve("outbox.db"), port.adapterEnd()));
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        adapter = new AdapterRuntime(stack.vertx, AdapterConfig.load(config, AdapterConfig.Kind.SERIAL, Map.of()),
                AdapterConfig.Kind.SERIAL, meters);
        await(adapter.start());
        await().atMost(Duration.ofSeconds(20)).until(() -> adapter.health().getString("status").equals("UP"));
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            await(adapter.stop());
        }
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
        }
        if (port != null) {
            port.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void polledRegistersAreScaledDecodedAndReachTheTwin() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(stack.property(PUMP, "temperature", "value")).isEqualTo(21.5);
            assertThat(stack.property(PUMP, "flow", "trend")).isEqualTo(-2);
            assertThat(stack.property(PUMP, "vibration", "rms")).isEqualTo(3.75);
            assertThat(stack.property(PUMP, "pressure", "value")).isEqualTo(1013);
            assertThat(stack.property(PUMP, "counter", "operatingSeconds")).isEqualTo(100_000);
            assertThat(stack.property(PUMP, "state", "running")).isEqualTo(true);
            assertThat(stack.property(PUMP, "state", "doorOpen")).isEqualTo(true);
        });
        var tally = stack.readNorthbound(Map.of(PUMP, 3), Duration.ofSeconds(30));
        assertThat(tally.seqs(PUMP)).hasSizeGreaterThanOrEqualTo(3);
        // poll after poll on one connection: Kafka holds the readings in the order they were polled
        assertThat(tally.telemetryArrivalOrder(PUMP)).as("arrival order in Kafka").containsExactlyElementsOf(tally.seqs(PUMP));
        // register 40 does not exist on the slave: counted as an error on every poll, the other values still flow
        assertThat(meters.get("adapter.frames.invalid").tag("reason", "modbus_error").counter().count()).isPositive();
    }

    @Test
    void commandsWriteRegistersAndUnknownCommandsOrBadPayloadsAreRefused() throws Exception {
        var speed = stack.sendCommand(PUMP, "setSpeed", "{\"rpm\":1450}", Duration.ofSeconds(30));
        var temperature = stack.sendCommand(PUMP, "setTemperature", "{\"celsius\":42.5}", Duration.ofSeconds(30));
        var unknown = stack.sendCommand(PUMP, "explode", "{}", Duration.ofSeconds(30));
        var missing = stack.sendCommand(PUMP, "setSpeed", "{\"speed\":1}", Duration.ofSeconds(30));
        var tooBig = stack.sendCommand(PUMP, "setSpeed", "{\"rpm\":70000}", Duration.ofSeconds(30));

        assertThat(speed.status()).isEqualTo(200);
        assertThat(temperature.status()).isEqualTo(200);
        assertThat(image.getRegister(10).getValue()).isEqualTo(1450);
        assertThat(image.getRegister(11).getValue()).isEqualTo(425);
        var flowLimit = stack.sendCommand(PUMP, "setFlowLimit", "{\"m3h\":42.5}", Duration.ofSeconds(30));
        var valve = stack.sendCommand(PUMP, "setValve", "{\"open\":true}", Duration.ofSeconds(30));
        var valveNotBoolean = stack.sendCommand(PUMP, "setValve", "{\"open\":1}", Duration.ofSeconds(30));
        assertThat(flowLimit.status()).isEqualTo(200);
        int bits = Float.floatToIntBits(42.5f);
        assertThat(image.getRegister(14).getValue()).isEqualTo(bits >>> 16);
        assertThat(image.getRegister(15).getValue()).isEqualTo(bits & 0xFFFF);
        assertThat(valve.status()).isEqualTo(200);
        assertThat(image.getDigitalOut(1).isSet()).isTrue();
        assertThat(valveNotBoolean.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(tooBig.status()).isEqualTo(400);
    }
}
