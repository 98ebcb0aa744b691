package io.twinworks.adapters.modbus;

import io.twinworks.adapters.codec.FieldTarget;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Modbus RTU polling of one serial port (one slave).
 *
 * @param unitId     the slave address (1..247)
 * @param pollMillis time between two polls of all registers
 * @param timeoutMillis how long to wait for the slave's answer
 * @param registers  what to read each poll
 * @param writes     command name → register write
 */
public record ModbusSettings(int unitId, long pollMillis, int timeoutMillis, List<RegisterRead> registers,
                             Map<String, RegisterWrite> writes) {

    /** Data table: holding registers (function 3), input registers (4), coils (1), discrete inputs (2). */
    public enum Kind {
        HOLDING, INPUT, COIL, DISCRETE;

        /** Whether the table holds single bits rather than 16-bit registers. */
        public boolean isBit() {
            return this == COIL || this == DISCRETE;
        }
    }

    /** Register content; 32-bit values span two registers, high word first (the common Modbus order). */
    public enum Type {
        UINT16, INT16, UINT32, INT32, FLOAT32, BOOL;

        /** Registers a value of this type spans. */
        public int registers() {
            return switch (this) {
                case UINT32, INT32, FLOAT32 -> 2;
                default -> 1;
            };
        }
    }

    /**
     * One value read each poll.
     *
     * @param address first register (0-based)
     * @param kind    holding (function 3) or input (function 4) registers, coils (1) or discrete inputs (2)
     * @param type    uint16, int16, uint32, int32, float32 (two registers, high word first); bool for coils
     *                and discrete inputs
     * @param target  where the (scaled) value goes
     */
    public record RegisterRead(int address, Kind kind, Type type, FieldTarget target) {
        public RegisterRead {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(target, "target");
            if (address < 0 || address > 65_535) {
                throw new IllegalArgumentException("address must be in [0, 65535]");
            }
            if (kind.isBit() != (type == Type.BOOL)) {
                throw new IllegalArgumentException(kind.isBit()
                        ? kind.name().toLowerCase(java.util.Locale.ROOT) + "s hold single bits: type must be bool"
                        : "type bool needs kind coil or discrete");
            }
        }

        /** Registers (or bits) this value spans. */
        public int count() {
            return type.registers();
        }
    }

    /**
     * A command writing a holding register or a coil: 16-bit types with function 6, 32-bit types (two
     * registers, high word first) with function 16, a coil (type {@code bool}, from a JSON boolean) with
     * function 5. Numbers are the command payload's JSON field divided by {@code scale}; integer types
     * are rounded and must fit the type.
     *
     * @param address the register or coil
     * @param field   the JSON field of the command payload
     * @param scale   engineering unit per register count (e.g. 0.1)
     * @param type    what the register holds; {@code bool} means a coil
     */
    public record RegisterWrite(int address, String field, double scale, Type type) {
        public RegisterWrite {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(type, "type");
            if (address < 0 || address > 65_535) {
                throw new IllegalArgumentException("address must be in [0, 65535]");
            }
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("scale must be a positive number");
            }
        }

        /** A 16-bit register write (function 6), signed or unsigned by value. */
        public RegisterWrite(int address, String field, double scale) {
            this(address, field, scale, Type.UINT16);
        }
    }

    public ModbusSettings {
        if (unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("unitId must be in [1, 247]");
        }
        if (pollMillis < 10) {
            throw new IllegalArgumentException("pollMillis must be at least 10");
        }
        registers = List.copyOf(registers);
        writes = Map.copyOf(writes == null ? Map.of() : writes);
        if (registers.isEmpty()) {
            throw new IllegalArgumentException("registers must list at least one register");
        }
    }
}
