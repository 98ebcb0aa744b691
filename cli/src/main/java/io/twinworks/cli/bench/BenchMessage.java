package io.twinworks.cli.bench;

import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.core.ditto.FeaturesMerge;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's device message: a Ditto Protocol merge of the pump's own
 * {@code /features/vibration/properties} ({@code rms}, {@code seq}, {@code ts}, all modelled by the
 * vibration sensor's Thing Model, so the twin service's WoT validation accepts it as it accepts a real
 * pump's reading), padded with trailing white space to an exact size, as a device sends it to Hono
 * ({@code application/vnd.eclipse.ditto+json}). The baseline broker carries the very same bytes.
 *
 * <p>The send time travels in {@code ts}: the publishing JVM's {@link System#nanoTime()} mapped onto
 * the wall clock through one anchor taken when this class loads, at nanosecond precision, so a
 * receiver in the same JVM maps it back exactly ({@link #nanosOf(Instant)}).
 */
public final class BenchMessage {

    /** The feature the benchmark writes: the pump Thing Model's vibration sensor. */
    public static final String FEATURE = "vibration";
    /** The Ditto Protocol content type devices declare. */
    public static final String CONTENT_TYPE = "application/vnd.eclipse.ditto+json";
    /** The smallest payload size the messages can be padded to (a merge envelope with a long ID fits). */
    public static final int MIN_PAYLOAD_BYTES = 256;
    /** The path the benchmark's merges write. */
    public static final String PROPERTIES_PATH = "/features/" + FEATURE + "/properties";

    private static final long ANCHOR_NANOS = System.nanoTime();
    private static final Instant ANCHOR_WALL = Instant.now();

    private BenchMessage() {
    }

    /**
     * The encoded merge command of one message, exactly {@code payloadBytes} long when its envelope is
     * not longer than that (otherwise the unpadded envelope).
     *
     * @param rms the vibration reading (mm/s; the model allows 0..100)
     */
    public static byte[] mergeCommand(DemoDevice device, long seq, long sentAtNanos, double rms, int payloadBytes) {
        // built as text (not FeaturesMerge's JSON object) so that the envelope's length is known for the padding;
        // the topic and content type are FeaturesMerge's, the path is the vibration feature's properties
        String json = "{\"topic\":\"" + FeaturesMerge.topic(device.deviceId()) + "\","
                + "\"headers\":{\"content-type\":\"" + FeaturesMerge.MERGE_PATCH_CONTENT_TYPE + "\"},"
                + "\"path\":\"" + PROPERTIES_PATH + "\",\"value\":{\"rms\":" + String.format(Locale.ROOT, "%.3f", rms)
                + ",\"seq\":" + seq + ",\"ts\":\"" + instantOf(sentAtNanos) + "\"}}";
        // JSON allows trailing white space: padding that adds no property the Thing Model does not know
        return (json + " ".repeat(Math.max(0, payloadBytes - json.length()))).getBytes(StandardCharsets.US_ASCII);
    }

    /** The encoded merge command of one message with an ordinary reading. */
    public static byte[] mergeCommand(DemoDevice device, long seq, long sentAtNanos, int payloadBytes) {
        return mergeCommand(device, seq, sentAtNanos, normalRms(seq), payloadBytes);
    }

    /** An in-range vibration reading that varies a little with the sequence number. */
    static double normalRms(long seq) {
        return 2.0 + (seq % 10) * 0.01;
    }

    /** The wall-clock instant standing for a {@link System#nanoTime()} of this JVM. */
    static Instant instantOf(long nanoTime) {
        return ANCHOR_WALL.plusNanos(nanoTime - ANCHOR_NANOS);
    }

    /** The {@link System#nanoTime()} of this JVM an instant made by {@link #instantOf(long)} stands for. */
    static long nanosOf(Instant instant) {
        return ANCHOR_NANOS + (instant.getEpochSecond() - ANCHOR_WALL.getEpochSecond()) * 1_000_000_000L
                + (instant.getNano() - ANCHOR_WALL.getNano());
    }

    /**
     * The thing ID, sequence number and send time of a message as the baseline subscriber receives it
     * (the Ditto Protocol envelope), or empty if it is not a benchmark message.
     */
    public static Optional<Received> fromEnvelope(byte[] payload) {
        try {
            JsonObject envelope = new JsonObject(new String(payload, StandardCharsets.UTF_8));
            String[] topic = envelope.getString("topic", "").split("/");
            if (topic.length < 2 || !PROPERTIES_PATH.equals(envelope.getString("path"))) {
                return Optional.empty();
            }
            return fromProperties(topic[0] + ":" + topic[1], envelope.getJsonObject("value"));
        } catch (io.vertx.core.json.DecodeException | ClassCastException notBenchJson) {
            // not JSON, or a field of another type (getString/getJsonObject): not a benchmark message;
            // anything else is a bug and propagates
            return Optional.empty();
        }
    }

    /** The message carried by the vibration feature's properties of a thing, or empty if they are not one. */
    public static Optional<Received> fromProperties(String thingId, JsonObject properties) {
        if (properties == null || !(properties.getValue("seq") instanceof Number seq)
                || !(properties.getValue("ts") instanceof String ts)) {
            return Optional.empty();
        }
        return sentAt(ts).map(sentAt -> new Received(thingId, seq.longValue(), sentAt));
    }

    /** The send time ({@link System#nanoTime()}) a {@code ts} value stands for, or empty if it is no instant. */
    static Optional<Long> sentAt(String ts) {
        try {
            return Optional.of(nanosOf(Instant.parse(ts)));
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
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
