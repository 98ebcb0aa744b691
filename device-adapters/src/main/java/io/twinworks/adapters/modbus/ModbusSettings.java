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

    /** Register table. */
    public enum Kind { HOLDING, INPUT }

    /** Register content. */
    public enum Type { UINT16, INT16, FLOAT32 }

    /**
     * One value read each poll.
     *
     * @param address first register (0-based)
     * @param kind    holding (function 3) or input (function 4) registers
     * @param type    uint16, int16 or float32 (two registers, big-endian word order)
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
        }

        /** Registers this value spans. */
        public int count() {
            return type == Type.FLOAT32 ? 2 : 1;
        }
    }

    /**
     * A command writing one holding register (function 6): the command payload's JSON field divided by
     * {@code scale}, rounded, must fit a signed or unsigned 16-bit register.
     *
     * @param address the register
     * @param field   the JSON field of the command payload
     * @param scale   engineering unit per register count (e.g. 0.1)
     */
    public record RegisterWrite(int address, String field, double scale) {
        public RegisterWrite {
            Objects.requireNonNull(field, "field");
            if (address < 0 || address > 65_535) {
                throw new IllegalArgumentException("address must be in [0, 65535]");
            }
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("scale must be a positive number");
            }
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
