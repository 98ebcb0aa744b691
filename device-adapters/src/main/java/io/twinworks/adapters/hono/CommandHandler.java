package io.twinworks.adapters.hono;

/**
 * Carries a command to a device (serial write, Modbus register write, plant-broker publish) and
 * says how it went. Called on the adapter's command thread; it may block briefly on device I/O.
 */
@FunctionalInterface
public interface CommandHandler {

    /** Executes the command; unknown commands and devices answer with an error status, never throw. */
    CommandResult handle(HonoCommand command);
}
