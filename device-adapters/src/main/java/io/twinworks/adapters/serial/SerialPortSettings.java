package io.twinworks.adapters.serial;

import io.twinworks.adapters.codec.LineCodec;

import java.util.Map;
import java.util.Objects;

/**
 * One serial port bound to one thing.
 *
 * @param path     the device path, e.g. {@code /dev/ttyUSB0} (or a {@code /dev/pts/N} pty)
 * @param baudRate e.g. 9600
 * @param dataBits 5..8
 * @param parity   none, even, odd, mark, space
 * @param stopBits 1, 1.5 or 2
 * @param thingId  the twin the port's readings belong to
 * @param codec    decodes the port's lines
 * @param commands command name → line template written to the port ({@code {name}} placeholders are
 *                 filled from the command's JSON payload, {@code {payload}} with the payload text)
 * @param maxLineBytes longest accepted line; longer ones are discarded and counted
 * @param modbus   Modbus RTU polling instead of a line codec ({@code codec} is then {@code null})
 */
public record SerialPortSettings(String path, int baudRate, int dataBits, Parity parity, StopBits stopBits,
                                 String thingId, LineCodec codec, Map<String, String> commands, int maxLineBytes,
                                 io.twinworks.adapters.modbus.ModbusSettings modbus) {

    /** Parity setting. */
    public enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    /** Stop bits setting. */
    public enum StopBits { ONE, ONE_POINT_FIVE, TWO }

    public SerialPortSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(stopBits, "stopBits");
        Objects.requireNonNull(thingId, "thingId");
        if ((codec == null) == (modbus == null)) {
            throw new IllegalArgumentException("a port has either a line codec or Modbus polling");
        }
        commands = Map.copyOf(commands == null ? Map.of() : commands);
    }
}
