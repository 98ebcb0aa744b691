package io.twinworks.cli.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * What one ingest benchmark run does (the same for the Twinworks and the baseline row).
 *
 * @param messages      messages in total, spread evenly over the devices
 * @param devices       devices (one MQTT connection each)
 * @param publishers    publisher threads driving the connections (1..devices)
 * @param payloadBytes  size of each MQTT payload
 * @param drain         how long the receiver may stay without progress after the last PUBACK before
 *                      the messages not received are counted as lost
 * @param mosquitto     the baseline broker's executable ({@code mosquitto} or a path)
 * @param pacedMessages messages of the paced latency phase that follows the throughput phase on the same
 *                      stack or broker (0: no paced phase)
 * @param pacedRate     messages per second of the paced phase (all publishers together)
 * @param warmupMessages messages of a warm-up phase run first on the same stack or broker, checked for loss but
 *                      left out of every figure (the JVM compiles the hot path meanwhile; a run without it
 *                      measures the interpreter as much as the product), 0 for none
 */
public record IngestBenchOptions(int messages, int devices, int publishers, int payloadBytes, Duration drain,
                                 String mosquitto, int pacedMessages, int pacedRate, int warmupMessages) {

    /** The paced phase's rate unless told otherwise: the rate the latency target is stated for. */
    public static final int DEFAULT_PACED_RATE = 1_000;
    /** The largest paced rate accepted. */
    public static final int MAX_PACED_RATE = 100_000;

    /** The largest run accepted: a benchmark is bounded in count and time. */
    public static final int MAX_MESSAGES = 5_000_000;
    /** The largest payload accepted (the local stack is configured to take it). */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    public IngestBenchOptions {
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(mosquitto, "mosquitto");
        if (devices < 1 || devices > 10_000) {
            throw new IllegalArgumentException("--devices must be within [1, 10000]: " + devices);
        }
        if (messages < devices || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("--messages must be within [devices (" + devices + "), " + MAX_MESSAGES
                    + "]: " + messages);
        }
        if (publishers < 1 || publishers > devices) {
            throw new IllegalArgumentException("--publishers must be within [1, devices (" + devices + ")]: " + publishers);
        }
        if (payloadBytes < BenchMessage.MIN_PAYLOAD_BYTES || payloadBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("--payload-bytes must be within [" + BenchMessage.MIN_PAYLOAD_BYTES + ", "
                    + MAX_PAYLOAD_BYTES + "]: " + payloadBytes);
        }
        if (pacedMessages != 0 && (pacedMessages < devices || pacedMessages > MAX_MESSAGES)) {
            throw new IllegalArgumentException("--paced-messages must be 0 or within [devices (" + devices + "), "
                    + MAX_MESSAGES + "]: " + pacedMessages);
        }
        if (pacedRate < 1 || pacedRate > MAX_PACED_RATE) {
            throw new IllegalArgumentException("--paced-rate must be within [1, " + MAX_PACED_RATE + "]: " + pacedRate);
        }
        if (warmupMessages != 0 && (warmupMessages < devices || warmupMessages > MAX_MESSAGES)) {
            throw new IllegalArgumentException("--warmup-messages must be 0 or within [devices (" + devices + "), "
                    + MAX_MESSAGES + "]: " + warmupMessages);
        }
        if (drain.isNegative() || drain.isZero() || drain.toSeconds() > 600) {
            throw new IllegalArgumentException("--drain-seconds must be within [1, 600]: " + drain.toSeconds());
        }
    }

    /** Messages per device: the total spread evenly, the first devices taking the remainder. */
    public int[] messagesPerDevice() {
        return spread(messages);
    }

    /** Messages per device of the paced phase, spread as {@link #messagesPerDevice()}. */
    public int[] pacedMessagesPerDevice() {
        return spread(pacedMessages);
    }

    /** Messages per device of the warm-up phase, spread as {@link #messagesPerDevice()}. */
    public int[] warmupMessagesPerDevice() {
        return spread(warmupMessages);
    }

    private int[] spread(int total) {
        int[] perDevice = new int[devices];
        for (int device = 0; device < devices; device++) {
            perDevice[device] = total / devices + (device < total % devices ? 1 : 0);
        }
        return perDevice;
    }
}
