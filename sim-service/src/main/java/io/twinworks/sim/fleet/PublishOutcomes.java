package io.twinworks.sim.fleet;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of a simulated publisher's messages: handed to MQTT, acknowledged by the endpoint (PUBACK:
 * accepted downstream), or failed (refused — also by a PUBACK with an error reason code — or disconnected). Thread-safe: counted on the pacing thread and
 * on Paho's callback threads.
 */
final class PublishOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(PublishOutcomes.class);

    private final String publisher;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Refusals logged one by one (the first few; the count says the rest). */
    private final AtomicLong refusalsLogged = new AtomicLong();

    /** Counts the PUBACK or the failure of each publish it is given to. */
    final MqttActionListener listener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            // Paho v5 reports a PUBACK carrying an error reason code (>= 0x80) as success: it is a refusal
            int[] codes = token.getReasonCodes();
            int code = codes == null || codes.length == 0 ? 0 : codes[0];
            if (code >= 0x80) {
                failed.incrementAndGet();
                if (refusalsLogged.getAndIncrement() < 5) {
                    LOG.warn("{}: the endpoint refused a message: PUBACK reason code 0x{}{}", publisher,
                            Integer.toHexString(code), reasonString(token));
                }
                return;
            }
            acknowledged.incrementAndGet();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            failed.incrementAndGet();
            LOG.debug("{}: publish failed: {}", publisher, cause.toString());
        }
    };

    private static String reasonString(IMqttToken token) {
        MqttProperties properties = token.getResponseProperties();
        return properties == null || properties.getReasonString() == null ? "" : " (" + properties.getReasonString() + ")";
    }

    /** @param publisher names the publisher in log lines (e.g. {@code virtual fleet}) */
    PublishOutcomes(String publisher) {
        this.publisher = publisher;
    }

    /** A message was handed to MQTT. */
    void published() {
        published.incrementAndGet();
    }

    /** A message could not even be handed to MQTT. */
    void failed() {
        failed.incrementAndGet();
    }

    long publishedCount() {
        return published.get();
    }

    long acknowledgedCount() {
        return acknowledged.get();
    }

    long failedCount() {
        return failed.get();
    }

    /** Messages handed to MQTT and neither acknowledged nor failed yet: their PUBACK is on its way. */
    long inFlightCount() {
        return published.get() - acknowledged.get() - failed.get();
    }
}
