package io.twinworks.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

import java.util.List;

/**
 * Drops the Kafka warnings that every local-stack run prints and that mean nothing is wrong, so a
 * user's first {@code up} shows no warnings unless something is: the controller activating on an
 * empty metadata log (a fresh state directory), the first metadata answer for a topic the broker is
 * still auto-creating ({@code UNKNOWN_TOPIC_OR_PARTITION}: Hono's northbound topics are created on
 * first use), the broker's answer to two consumer groups asking for the offsets topic at the same
 * moment on a fresh state directory ({@code TOPIC_ALREADY_EXISTS}: one of them created it) and a second close of the broker's own controller channel on shutdown. Every other
 * Kafka warning (an unreachable broker, a refused connection, a controller problem) still shows.
 */
public final class ExpectedKafkaNoise extends Filter<ILoggingEvent> {

    private record Expected(String logger, String text) {
    }

    private static final List<Expected> EXPECTED = List.of(
            new Expected("org.apache.kafka.controller.QuorumController", "The metadata log appears to be empty"),
            new Expected("org.apache.kafka.clients.NetworkClient", "UNKNOWN_TOPIC_OR_PARTITION"),
            new Expected("org.apache.kafka.clients.NetworkClient", "Attempting to close NetworkClient that has already been closed"),
            new Expected("kafka.server.DefaultAutoTopicCreationManager",
                    "with error 'TOPIC_ALREADY_EXISTS': Topic '__consumer_offsets' already exists"));

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String logger = event.getLoggerName();
        if (logger == null || !(logger.startsWith("org.apache.kafka.") || logger.startsWith("kafka."))) {
            return FilterReply.NEUTRAL;
        }
        String message = event.getFormattedMessage();
        if (message == null) {
            return FilterReply.NEUTRAL;
        }
        return EXPECTED.stream().anyMatch(e -> e.logger().equals(logger) && message.contains(e.text()))
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
