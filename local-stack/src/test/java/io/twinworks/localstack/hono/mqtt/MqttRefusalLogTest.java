package io.twinworks.localstack.hono.mqtt;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static io.twinworks.localstack.hono.mqtt.MqttEndpointTestSupport.SENSOR_AUTH_ID;
import static io.twinworks.localstack.hono.mqtt.MqttEndpointTestSupport.mosquittoBinary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT endpoint logs refusals like the Hono connection does: a device refused again and again for
 * the same reason gets one full log line (the rest go into a 10 s summary), while the refusal
 * counters count every single one.
 */
class MqttRefusalLogTest {

    private static MqttEndpointTestSupport stack;

    @BeforeAll
    static void startStack() throws Exception {
        mosquittoBinary("mosquitto_pub");
        stack = new MqttEndpointTestSupport(3_000);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void repeatedBadCredentialsOfOneDeviceAreLoggedOnceAndCountedExactly() throws Exception {
        String tenant = stack.newTenant();
        String otherTenant = stack.newTenant();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger endpointLog = (Logger) LoggerFactory.getLogger(HonoMqttEndpoint.class);
        logs.setContext(endpointLog.getLoggerContext());
        logs.start();
        endpointLog.addAppender(logs);
        double refusedBefore = stack.counter("connections.refused", "reason", "bad_credentials");
        try {
            int attempts = 12;
            for (int i = 0; i < attempts; i++) {
                var result = stack.mosquittoPub("mqttv311", SENSOR_AUTH_ID + "@" + tenant, "wrong-password",
                        "telemetry", 1, "-m", "x");
                assertThat(result.exitCode()).isNotZero();
            }
            var other = stack.mosquittoPub("mqttv311", SENSOR_AUTH_ID + "@" + otherTenant, "wrong-password",
                    "telemetry", 1, "-m", "x");
            assertThat(other.exitCode()).isNotZero();

            assertThat(stack.counter("connections.refused", "reason", "bad_credentials") - refusedBefore)
                    .isEqualTo(attempts + 1.0);
            assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.startsWith("refused MQTT connection")).toList())
                    .as("one full line per user and reason")
                    .hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains(SENSOR_AUTH_ID + "@" + tenant, "bad_credentials"))
                    .anySatisfy(line -> assertThat(line).contains(SENSOR_AUTH_ID + "@" + otherTenant));
        } finally {
            endpointLog.detachAppender(logs);
        }
    }
}
