package io.twinworks.cli.bench;

import io.twinworks.cli.demo.DemoDevice;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The benchmark's device message: a Ditto Protocol merge of {@code /features/bench/properties} with
 * the message's sequence number and its send time, padded to an exact size, as a device sends it to
 * Hono ({@code application/vnd.eclipse.ditto+json}). The baseline broker carries the very same bytes.
 */
public final class BenchMessage {

    /** The feature the benchmark writes. */
    public static final String FEATURE = "bench";
    /** The Ditto Protocol content type devices declare. */
    public static final String CONTENT_TYPE = "application/vnd.eclipse.ditto+json";
    /** The smallest payload size the messages can be padded to (a merge envelope with a long ID fits). */
    public static final int MIN_PAYLOAD_BYTES = 200;

    private static final String PAD_FIELD_OVERHEAD = ",\"pad\":\"\"";

    private BenchMessage() {
    }

    /**
     * The encoded merge command of one message, exactly {@code payloadBytes} long when its envelope is
     * not longer than that (otherwise the unpadded envelope).
     */
    public static byte[] mergeCommand(DemoDevice device, long seq, long sentAtNanos, int payloadBytes) {
        String properties = "{\"seq\":" + seq + ",\"sentAtNanos\":" + sentAtNanos;
        String head = "{\"topic\":\"" + device.namespace() + "/" + device.name() + "/things/twin/commands/merge\","
                + "\"headers\":{\"content-type\":\"application/merge-patch+json\"},"
                + "\"path\":\"/features/" + FEATURE + "/properties\",\"value\":" + properties;
        String tail = "}}";
        int missing = payloadBytes - head.length() - tail.length();
        StringBuilder json = new StringBuilder(Math.max(payloadBytes, head.length() + tail.length())).append(head);
        if (missing >= PAD_FIELD_OVERHEAD.length()) {
            json.append(",\"pad\":\"").append("x".repeat(missing - PAD_FIELD_OVERHEAD.length())).append('"');
            json.append(tail);
        } else {
            // too little room for a pad field: JSON allows trailing white space
            json.append(tail).append(" ".repeat(Math.max(0, missing)));
        }
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The thing ID, sequence number and send time of a message as the baseline subscriber receives it
     * (the Ditto Protocol envelope), or empty if it is not a benchmark message.
     */
    public static Optional<Received> fromEnvelope(byte[] payload) {
        try {
            JsonObject envelope = new JsonObject(new String(payload, StandardCharsets.UTF_8));
            String[] topic = envelope.getString("topic", "").split("/");
            if (topic.length < 2 || !("/features/" + FEATURE + "/properties").equals(envelope.getString("path"))) {
                return Optional.empty();
            }
            return fromProperties(topic[0] + ":" + topic[1], envelope.getJsonObject("value"));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The message carried by the {@code bench} feature's properties of a thing, or empty if they are not one. */
    public static Optional<Received> fromProperties(String thingId, JsonObject properties) {
        if (properties == null || !(properties.getValue("seq") instanceof Number seq)
                || !(properties.getValue("sentAtNanos") instanceof Number sentAt)) {
            return Optional.empty();
        }
        return Optional.of(new Received(thingId, seq.longValue(), sentAt.longValue()));
    }

    /**
     * One received benchmark message.
     *
     * @param thingId     the device's thing ID
     * @param seq         its sequence number
     * @param sentAtNanos {@link System#nanoTime()} when it was published
     */
    public record Received(String thingId, long seq, long sentAtNanos) {
    }
}
