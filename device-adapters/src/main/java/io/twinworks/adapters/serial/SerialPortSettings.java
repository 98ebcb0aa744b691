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
 */
public record SerialPortSettings(String path, int baudRate, int dataBits, Parity parity, StopBits stopBits,
                                 String thingId, LineCodec codec, Map<String, String> commands, int maxLineBytes) {

    /** Parity setting. */
    public enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    /** Stop bits setting. */
    public enum StopBits { ONE, ONE_POINT_FIVE, TWO }

    public SerialPortSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(stopBits, "stopBits");
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(codec, "codec");
        commands = Map.copyOf(commands == null ? Map.of() : commands);
    }
}
