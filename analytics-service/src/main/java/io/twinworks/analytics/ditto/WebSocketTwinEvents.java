package io.twinworks.analytics.ditto;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.twinworks.analytics.model.Reading;
import io.twinworks.core.logging.FirstThenSummaryLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The WebSocket transport's frames to readings, on the analytics context: each frame is mapped by
 * {@link ProtocolEventReadings} (the Kafka transport's mapping too) and its readings handed on in arrival order.
 * A frame that is not a twin event (Ditto's error answer, garbage) is counted and passed over, and so is one whose
 * reading fails (a bug: logged with its stack trace); each kind is logged in full the first time, then counted in
 * a summary every interval. Nothing a frame contains is thrown at the stream. Confined to one thread.
 */
public final class WebSocketTwinEvents {

    /** Counter of twin event frames received over the WebSocket, by outcome ({@code used}, {@code refused}). */
    public static final String EVENTS_METER = "twinworks_analytics_websocket_events_total";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTwinEvents.class);
    private static final int LOGGED_CHARACTERS = 500;

    private final ProtocolEventReadings mapping = new ProtocolEventReadings();
    private final Supplier<ThingChangeReadings> extractor;
    private final Consumer<List<Reading>> onReadings;
    private final Timer lag;
    private final Counter used;
    private final Counter refused;
    private final FirstThenSummaryLog refusals;

    /**
     * @param extractor        the current monitored-signal extractor (changes when a RUL model is reloaded)
     * @param onReadings       receives each event's readings (possibly none), in arrival order
     * @param lagMeterName     the timer of event age on arrival (Ditto's event timestamp), shared with the Kafka transport
     * @param summaryIntervalNanos how often suppressed refusals are summarized
     * @param nanoClock        the time source of the summaries
     */
    public WebSocketTwinEvents(Supplier<ThingChangeReadings> extractor, Consumer<List<Reading>> onReadings, MeterRegistry meters,
                               String lagMeterName, long summaryIntervalNanos, LongSupplier nanoClock) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.onReadings = Objects.requireNonNull(onReadings, "onReadings");
        this.lag = Timer.builder(lagMeterName).description("age of a twin event when the analytics service takes it").register(meters);
        this.used = meters.counter(EVENTS_METER, "outcome", "used");
        this.refused = meters.counter(EVENTS_METER, "outcome", "refused");
        this.refusals = new FirstThenSummaryLog(summaryIntervalNanos, nanoClock, (seconds, counts) -> LOG.warn(
                "refused {} more WebSocket frame(s) in the last {} s (the first of each kind was logged before): {}",
                FirstThenSummaryLog.total(counts), seconds, counts));
    }

    /** One text frame of the event stream. */
    public void onFrame(String frame) {
        Optional<ProtocolEventReadings.Event> event;
        try {
            event = mapping.read(frame, extractor.get());
        } catch (RuntimeException e) {
            // a bug in reading a valid event: loud (stack trace), but one frame must not stop the stream
            refused.increment();
            if (refusals.first("failed " + e.getClass().getName(), "failed")) {
                LOG.error("cannot read WebSocket frame {} (further failures like it are only counted in a periodic summary)",
                        abbreviate(frame), e);
            }
            return;
        }
        if (event.isEmpty()) {
            refused.increment();
            if (refusals.first("refused", "not a Ditto Protocol thing event")) {
                LOG.warn("ignored WebSocket frame, not a Ditto Protocol thing event (further ones are only counted in a"
                        + " periodic summary): {}", abbreviate(frame));
            }
            return;
        }
        used.increment();
        event.get().timestamp().ifPresent(at ->
                lag.record(Math.max(0, System.currentTimeMillis() - at.toEpochMilli()), TimeUnit.MILLISECONDS));
        onReadings.accept(event.get().readings());
    }

    /** Writes the summary of suppressed refusals if its interval has passed (call it on a timer). */
    public void summarizeIfDue() {
        refusals.summarizeIfDue();
    }

    private static String abbreviate(String text) {
        return text.length() <= LOGGED_CHARACTERS ? text
                : text.substring(0, LOGGED_CHARACTERS) + "... (" + text.length() + " characters)";
    }
}
