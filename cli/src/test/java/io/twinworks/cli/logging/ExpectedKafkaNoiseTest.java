package io.twinworks.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectedKafkaNoiseTest {

    private final ExpectedKafkaNoise filter = new ExpectedKafkaNoise();
    private final LoggerContext context = new LoggerContext();

    @Test
    void dropsTheUnknownTopicWarningOfATopicBeingAutoCreated() {
        assertThat(filter.decide(event("org.apache.kafka.clients.NetworkClient",
                "[Producer clientId=twinworks-hono-mqtt-northbound] The metadata response from the cluster reported a"
                        + " recoverable issue with correlation id 7 : {hono.telemetry.plant.a=UNKNOWN_TOPIC_OR_PARTITION}")))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void dropsTheControllerActivationWarningOfAFreshStateDirectory() {
        assertThat(filter.decide(event("org.apache.kafka.controller.QuorumController",
                "[QuorumController id=1] Performing controller activation. The metadata log appears to be empty.")))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void dropsTheOffsetsTopicAlreadyExistsWarningOfTwoGroupsStartingTogether() {
        assertThat(filter.decide(event("kafka.server.DefaultAutoTopicCreationManager",
                "Auto topic creation failed for __consumer_offsets with error 'TOPIC_ALREADY_EXISTS': Topic"
                        + " '__consumer_offsets' already exists.")))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void keepsAFailedAutoCreationOfAnyOtherTopic() {
        assertThat(filter.decide(event("kafka.server.DefaultAutoTopicCreationManager",
                "Auto topic creation failed for hono.telemetry.plant.a with error 'POLICY_VIOLATION': not allowed")))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void keepsAnUnreachableBrokerWarning() {
        assertThat(filter.decide(event("org.apache.kafka.clients.NetworkClient",
                "[Consumer clientId=x] Connection to node -1 (localhost/127.0.0.1:9092) could not be established.")))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void keepsTheSameTextFromAnotherLogger() {
        assertThat(filter.decide(event("io.twinworks.localstack.LocalStack", "UNKNOWN_TOPIC_OR_PARTITION")))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    private LoggingEvent event(String logger, String message) {
        return new LoggingEvent(getClass().getName(), context.getLogger(logger), Level.WARN, message, null, null);
    }
}
