package io.twinworks.adapters.serial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.twinworks.adapters.hono.CommandHandler;
import io.twinworks.adapters.hono.CommandResult;
import io.twinworks.adapters.hono.HonoCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes Hono commands to serial ports: the port bound to the command's device writes the line
 * its configuration defines for the command name, with {@code {field}} placeholders filled from
 * the command's JSON payload object and {@code {payload}} replaced by the payload text. Answers 200
 * once written; 404 for an unknown device or command, 400 for a payload missing a placeholder's
 * field, 503 when the port is not open or the write failed.
 */
public final class SerialCommandHandler implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SerialCommandHandler.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SerialPortAdapter> portsByThing = new LinkedHashMap<>();
    private final MeterRegistry meters;

    public SerialCommandHandler(List<SerialPortAdapter> ports, MeterRegistry meters) {
        ports.forEach(port -> portsByThing.put(port.settings().thingId(), port));
        this.meters = meters;
    }

    @Override
    public CommandResult handle(HonoCommand command) {
        CommandResult result = execute(command);
        Counter.builder("adapter.commands.handled").tag("status", String.valueOf(result.status())).register(meters).increment();
        LOG.info("command {} for {} answered {}", command.name(), command.deviceId(), result.status());
        return result;
    }

    private CommandResult execute(HonoCommand command) {
        SerialPortAdapter port = portsByThing.get(command.deviceId());
        if (port == null) {
            return CommandResult.of(404, "no serial port is bound to device " + command.deviceId());
        }
        String template = port.settings().commands().get(command.name());
        if (template == null) {
            return CommandResult.of(404, "unknown command '" + command.name() + "' for " + command.deviceId()
                    + "; known: " + port.settings().commands().keySet());
        }
        String line;
        try {
            line = fill(template, command.payload());
        } catch (IllegalArgumentException e) {
            return CommandResult.of(400, e.getMessage());
        }
        if (!port.write(line)) {
            return CommandResult.of(503, "serial port " + port.settings().path() + " is not open or the write failed");
        }
        return CommandResult.of(200, "written to " + port.settings().path());
    }

    /** Fills a command template from a payload. */
    static String fill(String template, byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        JsonNode json = null;
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder line = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value;
            if (name.equals("payload")) {
                value = text;
            } else {
                if (json == null) {
                    try {
                        json = JSON.readTree(text);
                    } catch (Exception e) {
                        throw new IllegalArgumentException("the command needs a JSON object payload with '" + name + "'");
                    }
                }
                JsonNode field = json == null ? null : json.get(name);
                if (field == null || !field.isValueNode()) {
                    throw new IllegalArgumentException("the command payload lacks the field '" + name + "'");
                }
                value = field.asText();
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a command value must not contain line breaks");
            }
            matcher.appendReplacement(line, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(line);
        return line.toString();
    }
}
