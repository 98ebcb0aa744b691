package io.twinworks.adapters.modbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.codec.FrameException;
import io.twinworks.adapters.hono.CommandHandler;
import io.twinworks.adapters.hono.CommandResult;
import io.twinworks.adapters.hono.HonoCommand;
import io.twinworks.adapters.hono.ReadingPublisher;
import io.twinworks.adapters.model.Reading;
import io.twinworks.adapters.serial.PortMeters;
import io.twinworks.adapters.serial.ReopeningPort;
import io.twinworks.adapters.serial.SerialPortSettings;
import io.twinworks.core.retry.Backoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Polls a Modbus RTU slave on a serial port (j2mod over jSerialComm) and writes its registers for
 * commands. Each poll reads every configured register and publishes one reading; a slave that does
 * not answer or answers with an exception is counted in {@code adapter.frames.invalid{reason=modbus_*}}
 * and the poll continues; a port that cannot be opened is retried with backoff like a line port
 * ({@code adapter.serial.open{outcome}}).
 */
public final class ModbusPortAdapter implements CommandHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusPortAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SerialPortSettings port;
    private final ModbusSettings modbus;
    private final ReadingPublisher publisher;
    private final MeterRegistry meters;
    private final ReopeningPort<ModbusSerialMaster> loop;
    private final PortMeters portMeters;
    private final Counter polls;
    private long errors;

    public ModbusPortAdapter(SerialPortSettings port, ModbusSettings modbus, ReadingPublisher publisher,
                             Backoff reopenBackoff, MeterRegistry meters) {
        this.port = Objects.requireNonNull(port, "port");
        this.modbus = Objects.requireNonNull(modbus, "modbus");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.loop = new ReopeningPort<>("modbus " + port.path(), new PollSession(), reopenBackoff,
                e -> LOG.warn("Modbus port {} lost: {}; reopening", port.path(), e.toString()), 3_000);
        portMeters = new PortMeters(port.path(), this::isOpen, meters);
        polls = Counter.builder("adapter.modbus.polls").tag("port", port.path()).register(meters);
    }

    /** Starts polling. */
    public void start() {
        loop.start();
    }

    /** The port. */
    public SerialPortSettings settings() {
        return port;
    }

    /** Whether the port is open. */
    public boolean isOpen() {
        return loop.port().isPresent();
    }

    private SerialParameters parameters() {
        SerialParameters parameters = new SerialParameters();
        parameters.setPortName(port.path());
        parameters.setBaudRate(port.baudRate());
        parameters.setDatabits(port.dataBits());
        parameters.setParity(switch (port.parity()) {
            case NONE -> "None";
            case ODD -> "Odd";
            case EVEN -> "Even";
            case MARK -> "Mark";
            case SPACE -> "Space";
        });
        parameters.setStopbits(port.stopBits() == SerialPortSettings.StopBits.TWO ? 2 : 1);
        parameters.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        parameters.setEcho(false);
        return parameters;
    }

    /** Modbus RTU on the port: poll the registers until the port fails or the adapter stops. */
    private final class PollSession implements ReopeningPort.Session<ModbusSerialMaster> {

        @Override
        public Optional<ModbusSerialMaster> open() {
            ModbusSerialMaster candidate = new ModbusSerialMaster(parameters(), modbus.timeoutMillis());
            try {
                candidate.connect();
            } catch (Exception e) {
                portMeters.openFailed();
                LOG.debug("cannot open Modbus port {}: {}", port.path(), e.toString());
                return Optional.empty();
            }
            portMeters.opened();
            LOG.info("Modbus RTU port {} open (unit {}, poll every {} ms) for {}", port.path(), modbus.unitId(),
                    modbus.pollMillis(), port.thingId());
            return Optional.of(candidate);
        }

        @Override
        public void use(ModbusSerialMaster master, ReopeningPort<ModbusSerialMaster> running) {
            while (running.running()) {
                poll(master);
                running.pause(modbus.pollMillis());
            }
        }

        @Override
        public void close(ModbusSerialMaster master) {
            master.disconnect();
        }
    }

    private void poll(ModbusSerialMaster current) {
        polls.increment();
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        for (ModbusSettings.RegisterRead read : modbus.registers()) {
            try {
                Object value;
                synchronized (this) {
                    value = switch (read.kind()) {
                        case HOLDING -> read.target().convertNumber(decode(read.type(),
                                current.readMultipleRegisters(modbus.unitId(), read.address(), read.count())));
                        case INPUT -> read.target().convertNumber(decode(read.type(),
                                current.readInputRegisters(modbus.unitId(), read.address(), read.count())));
                        case COIL -> bit(current.readCoils(modbus.unitId(), read.address(), 1));
                        case DISCRETE -> bit(current.readInputDiscretes(modbus.unitId(), read.address(), 1));
                    };
                }
                features.computeIfAbsent(read.target().feature(), f -> new LinkedHashMap<>())
                        .put(read.target().property(), value);
            } catch (ModbusException e) {
                invalid("modbus_error", read.kind() + " register " + read.address() + ": " + e.getMessage());
            } catch (FrameException e) {
                invalid(e.reason(), e.getMessage());
            } catch (RuntimeException e) {
                invalid("modbus_error", read.kind() + " register " + read.address() + ": " + e);
            }
        }
        if (!features.isEmpty()) {
            publisher.telemetry(new Reading(port.thingId(), features));
        }
    }

    private static boolean bit(BitVector bits) throws FrameException {
        if (bits == null || bits.size() < 1) {
            throw new FrameException("modbus_short_answer", "the slave answered no bit");
        }
        return bits.getBit(0);
    }

    static Number decode(ModbusSettings.Type type, InputRegister[] registers) throws FrameException {
        if (registers == null || registers.length < type.registers()) {
            throw new FrameException("modbus_short_answer", "the slave answered fewer registers than asked");
        }
        return switch (type) {
            case UINT16 -> (long) registers[0].toUnsignedShort();
            case INT16 -> (long) registers[0].toShort();
            case UINT32 -> ((long) registers[0].toUnsignedShort() << 16) | registers[1].toUnsignedShort();
            case INT32 -> (long) ((registers[0].toUnsignedShort() << 16) | registers[1].toUnsignedShort());
            case BOOL -> throw new FrameException("bad_value", "bool is read from coils or discrete inputs, not registers");
            case FLOAT32 -> {
                float value = Float.intBitsToFloat((registers[0].toUnsignedShort() << 16) | registers[1].toUnsignedShort());
                if (!Float.isFinite(value)) {
                    throw new FrameException("bad_value", "float32 register value is not finite");
                }
                yield (double) value;
            }
        };
    }

    private synchronized void invalid(String reason, @Nullable String detail) {
        Counter.builder("adapter.frames.invalid").description("frames or payloads that could not be decoded")
                .tag("port", port.path()).tag("reason", reason).register(meters).increment();
        errors++;
        if (errors <= 20 || errors % 1000 == 0) {
            LOG.warn("Modbus poll on {} failed ({}; {} so far): {}", port.path(), reason, errors, detail);
        }
    }

    /** Writes the register a command is configured for: 200, or 404/400/503 with the reason. */
    @Override
    public CommandResult handle(HonoCommand command) {
        ModbusSettings.RegisterWrite write = modbus.writes().get(command.name());
        if (write == null) {
            return CommandResult.of(404, "unknown command '" + command.name() + "' for " + command.deviceId()
                    + "; known: " + modbus.writes().keySet());
        }
        JsonNode field;
        try {
            field = JSON.readTree(command.payload()).get(write.field());
        } catch (Exception e) {
            return CommandResult.of(400, "the command needs a JSON object payload with '" + write.field() + "'");
        }
        boolean coil = write.type() == ModbusSettings.Type.BOOL;
        if (field == null || (coil ? !field.isBoolean() : !field.isNumber())) {
            return CommandResult.of(400, "the command payload lacks the " + (coil ? "boolean" : "number") + " field '"
                    + write.field() + "'");
        }
        SimpleRegister[] registers = new SimpleRegister[0];
        if (!coil) {
            try {
                registers = encode(write.type(), field.doubleValue() / write.scale());
            } catch (IllegalArgumentException e) {
                return CommandResult.of(400, e.getMessage());
            }
        }
        Optional<ModbusSerialMaster> open = loop.port();
        if (open.isEmpty()) {
            return CommandResult.of(503, "Modbus port " + port.path() + " is not open");
        }
        ModbusSerialMaster current = open.get();
        try {
            String what;
            synchronized (this) {
                if (coil) {
                    current.writeCoil(modbus.unitId(), write.address(), field.booleanValue());
                    what = "coil " + write.address() + " of unit " + modbus.unitId() + " set to " + field.booleanValue();
                } else if (registers.length == 1) {
                    current.writeSingleRegister(modbus.unitId(), write.address(), registers[0]);
                    what = "register " + write.address() + " of unit " + modbus.unitId() + " set to " + field.numberValue();
                } else {
                    current.writeMultipleRegisters(modbus.unitId(), write.address(), registers);
                    what = "registers " + write.address() + ".." + (write.address() + 1) + " of unit " + modbus.unitId()
                            + " set to " + field.numberValue() + " (" + write.type().name().toLowerCase(java.util.Locale.ROOT) + ")";
                }
            }
            return CommandResult.of(200, what);
        } catch (ModbusException e) {
            return CommandResult.of(503, "the Modbus slave did not accept the write: " + e.getMessage());
        }
    }

    /**
     * The register contents for a value already divided by its scale: integer types are rounded and
     * must fit (16-bit writes accept signed and unsigned values), 32-bit types go high word first.
     *
     * @throws IllegalArgumentException naming why the value does not fit
     */
    static SimpleRegister[] encode(ModbusSettings.Type type, double scaled) {
        if (!Double.isFinite(scaled)) {
            throw new IllegalArgumentException("value " + scaled + " is not a finite number");
        }
        long rounded = Math.round(scaled);
        return switch (type) {
            case UINT16, INT16 -> {
                if (rounded < Short.MIN_VALUE || rounded > 0xFFFF) {
                    throw new IllegalArgumentException("value " + rounded + " does not fit a 16-bit register");
                }
                yield new SimpleRegister[]{new SimpleRegister((int) rounded & 0xFFFF)};
            }
            case UINT32, INT32 -> {
                long min = type == ModbusSettings.Type.INT32 ? Integer.MIN_VALUE : 0;
                long max = type == ModbusSettings.Type.INT32 ? Integer.MAX_VALUE : 0xFFFF_FFFFL;
                if (rounded < min || rounded > max) {
                    throw new IllegalArgumentException("value " + rounded + " does not fit " + type.name().toLowerCase(java.util.Locale.ROOT));
                }
                yield words((int) rounded);
            }
            case FLOAT32 -> {
                float value = (float) scaled;
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("value " + scaled + " does not fit float32");
                }
                yield words(Float.floatToIntBits(value));
            }
            case BOOL -> throw new IllegalArgumentException("bool is written to a coil, not a register");
        };
    }

    private static SimpleRegister[] words(int bits) {
        return new SimpleRegister[]{new SimpleRegister(bits >>> 16), new SimpleRegister(bits & 0xFFFF)};
    }

    @Override
    public void close() {
        loop.close();
    }
}
