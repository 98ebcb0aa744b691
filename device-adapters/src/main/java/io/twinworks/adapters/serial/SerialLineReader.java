package io.twinworks.adapters.serial;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.codec.FrameException;
import io.twinworks.adapters.hono.ReadingPublisher;
import io.twinworks.adapters.model.Reading;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Splits a port's byte stream into lines ({@code \n}, an optional {@code \r} before it is dropped),
 * decodes each with the port's codec and hands the reading to the {@link ReadingPublisher}.
 * Garbage (not UTF-8, too long, not matching the codec) is counted in
 * {@code adapter.frames.invalid{port,reason}} and logged, never thrown. Not thread-safe: one per port.
 */
public final class SerialLineReader {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLineReader.class);
    /** Log every invalid frame up to this many per port, then every 1000th (a noisy line must not flood the log). */
    private static final int LOGGED_ERRORS = 20;

    private final SerialPortSettings port;
    private final ReadingPublisher publisher;
    private final MeterRegistry meters;
    private final Counter decoded;
    private final Map<String, Counter> invalid = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean discarding;
    private long errors;

    public SerialLineReader(SerialPortSettings port, ReadingPublisher publisher, MeterRegistry meters) {
        this.port = Objects.requireNonNull(port, "port");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.meters = Objects.requireNonNull(meters, "meters");
        decoded = Counter.builder("adapter.frames.decoded").tag("port", port.path()).register(meters);
    }

    /** Feeds bytes read from the port. */
    public void accept(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                if (discarding) {
                    discarding = false;
                } else {
                    frame(line.toByteArray());
                }
                line.reset();
            } else if (!discarding) {
                if (line.size() >= port.maxLineBytes()) {
                    invalid("line_too_long", "line longer than " + port.maxLineBytes() + " bytes discarded");
                    line.reset();
                    discarding = true;
                } else {
                    line.write(b);
                }
            }
        }
    }

    /** Drops a partial line (the port was closed in the middle of it). */
    public void reset() {
        if (line.size() > 0) {
            invalid("partial_line", "partial line of " + line.size() + " bytes dropped when the port closed");
        }
        line.reset();
        discarding = false;
    }

    private void frame(byte[] bytes) {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        if (length == 0) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            invalid("not_utf8", "line of " + length + " bytes is not UTF-8 text");
            return;
        }
        try {
            Reading reading = new Reading(port.thingId(), port.codec().decode(text));
            decoded.increment();
            publisher.telemetry(reading);
        } catch (FrameException e) {
            invalid(e.reason(), e.getMessage());
        } catch (IllegalArgumentException e) {
            invalid("invalid_reading", e.getMessage());
        }
    }

    private void invalid(String reason, @Nullable String detail) {
        invalid.computeIfAbsent(reason, r -> Counter.builder("adapter.frames.invalid")
                .description("frames or payloads that could not be decoded").tag("port", port.path()).tag("reason", r)
                .register(meters)).increment();
        errors++;
        if (errors <= LOGGED_ERRORS || errors % 1000 == 0) {
            LOG.warn("invalid frame on {} ({}; {} so far): {}", port.path(), reason, errors, detail);
        }
    }
}
