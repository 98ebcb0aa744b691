package io.twinworks.cli.bench;

import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.hono.device.HonoMqttOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's devices: one Paho MQTT 5 connection per device (each authenticates as itself,
 * {@code auth-id@tenant}), driven by a number of publisher threads that each own a share of the
 * devices and publish QoS 1 {@code telemetry} as fast as the PUBACKs allow (at most
 * {@value #WINDOW_PER_DEVICE} unacknowledged messages per connection).
 *
 * <p>Device {@code d} sends sequence numbers 1..{@code expectedPerDevice[d]} in order on its own
 * connection, so the receiving side can check per-device order and completeness.
 */
public final class MqttLoad implements AutoCloseable {

    /** Unacknowledged QoS 1 messages per connection (below mosquitto's default receive maximum of 20). */
    static final int WINDOW_PER_DEVICE = 16;

    private static final Logger LOG = LoggerFactory.getLogger(MqttLoad.class);
    private static final String TOPIC = "telemetry";
    /** How long a device's CONNECT may take (the benchmark's brokers answer on loopback). */
    static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final List<DemoDevice> devices;
    private final int[] expectedPerDevice;
    private final int publishers;
    private final int payloadBytes;
    private final Duration ackTimeout;
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final List<Semaphore> windows = new ArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastAckAtNanos = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private long[] ackLatencyNanos;
    private int[] firstIndexOfDevice;

    /**
     * @param devices           the devices (one connection each)
     * @param expectedPerDevice messages per device, same order as {@code devices}
     * @param publishers        publisher threads (1..devices)
     * @param payloadBytes      size of each message
     * @param ackTimeout        how long a publisher waits for a free slot (a PUBACK) before it gives up
     */
    public MqttLoad(List<DemoDevice> devices, int[] expectedPerDevice, int publishers, int payloadBytes, Duration ackTimeout) {
        this.devices = List.copyOf(devices);
        this.expectedPerDevice = expectedPerDevice.clone();
        if (this.devices.size() != this.expectedPerDevice.length) {
            throw new IllegalArgumentException("one message count per device needed");
        }
        if (publishers < 1 || publishers > this.devices.size()) {
            throw new IllegalArgumentException("publishers must be within [1, devices]: " + publishers);
        }
        this.publishers = publishers;
        this.payloadBytes = payloadBytes;
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
    }

    /**
     * Connects every device to the broker.
     *
     * @param serverUri    {@code tcp://host:port}
     * @param clientPrefix prefix of the MQTT client IDs
     */
    public void connect(String serverUri, String clientPrefix) throws MqttException {
        for (DemoDevice device : devices) {
            MqttAsyncClient client = new MqttAsyncClient(serverUri, clientPrefix + "-" + device.authId(), new MemoryPersistence());
            client.connect(HonoMqttOptions.v5(device.login(), CONNECT_TIMEOUT_MILLIS)).waitForCompletion(15_000);
            clients.add(client);
            windows.add(new Semaphore(WINDOW_PER_DEVICE));
        }
    }

    /**
     * Publishes every device's messages from the publisher threads and returns once each was
     * acknowledged or failed (or a publisher gave up waiting for PUBACKs).
     *
     * @return {@link System#nanoTime()} just before the first message was published
     */
    public long publishAll() throws InterruptedException {
        return publishAll(0);
    }

    /**
     * As {@link #publishAll()}, paced: the publishers together start at most {@code ratePerSecond}
     * messages per second, each on a fixed schedule from the start (so a late message does not delay
     * the schedule of the next ones); {@code 0} publishes as fast as the PUBACKs allow.
     *
     * @return {@link System#nanoTime()} just before the first message was published
     */
    public long publishAll(double ratePerSecond) throws InterruptedException {
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be >= 0: " + ratePerSecond);
        }
        // each publisher thread takes its share of the rate
        long intervalNanos = ratePerSecond == 0 ? 0 : (long) (publishers * 1e9 / ratePerSecond);
        int total = 0;
        firstIndexOfDevice = new int[expectedPerDevice.length];
        for (int device = 0; device < expectedPerDevice.length; device++) {
            firstIndexOfDevice[device] = total;
            total += expectedPerDevice[device];
        }
        ackLatencyNanos = new long[total];
        List<Thread> threads = new ArrayList<>();
        long startedAt = System.nanoTime();
        for (int publisher = 0; publisher < publishers; publisher++) {
            List<Integer> share = new ArrayList<>();
            for (int device = publisher; device < devices.size(); device += publishers) {
                share.add(device);
            }
            Thread thread = new Thread(() -> publishShare(share, startedAt, intervalNanos), "bench-publisher-" + publisher);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // every slot back = every message acknowledged or failed
        for (int device = 0; device < windows.size(); device++) {
            if (!windows.get(device).tryAcquire(WINDOW_PER_DEVICE, ackTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("device " + devices.get(device).deviceId() + ": no PUBACK within " + ackTimeout.toSeconds() + " s");
            } else {
                windows.get(device).release(WINDOW_PER_DEVICE);
            }
        }
        return startedAt;
    }

    private void publishShare(List<Integer> share, long startedAt, long intervalNanos) {
        int[] nextSeq = new int[share.size()];
        boolean progress = true;
        long sent = 0;
        try {
            // round robin over the publisher's devices, one message each turn
            while (progress) {
                progress = false;
                for (int slot = 0; slot < share.size(); slot++) {
                    int device = share.get(slot);
                    if (nextSeq[slot] < expectedPerDevice[device]) {
                        if (intervalNanos > 0) {
                            waitUntil(startedAt + sent++ * intervalNanos);
                        }
                        publish(device, ++nextSeq[slot]);
                        progress = true;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (GiveUp e) {
            LOG.warn("publisher stopped: {}", e.getMessage());
        }
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void publish(int device, int seq) throws InterruptedException {
        Semaphore window = windows.get(device);
        if (!window.tryAcquire(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String reason = "device " + devices.get(device).deviceId() + ": no PUBACK within " + ackTimeout.toSeconds() + " s";
            fail(reason);
            throw new GiveUp(reason);
        }
        long sentAt = System.nanoTime();
        MqttMessage message = new MqttMessage(BenchMessage.mergeCommand(devices.get(device), seq, sentAt, payloadBytes));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(BenchMessage.CONTENT_TYPE);
        message.setProperties(properties);
        int index = firstIndexOfDevice[device] + seq - 1;
        try {
            clients.get(device).publish(TOPIC, message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    long now = System.nanoTime();
                    ackLatencyNanos[index] = now - sentAt;
                    lastAckAtNanos.accumulateAndGet(now, Math::max);
                    acknowledged.incrementAndGet();
                    window.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    fail(devices.get(device).deviceId() + " seq " + seq + ": " + cause);
                    window.release();
                }
            });
            published.incrementAndGet();
        } catch (MqttException e) {
            window.release();
            fail(devices.get(device).deviceId() + " seq " + seq + ": publish refused: " + e);
        }
    }

    private void fail(String reason) {
        failed.incrementAndGet();
        if (firstFailure.compareAndSet(null, reason)) {
            LOG.warn("publish failed: {}", reason);
        }
    }

    /** What the publishers did. */
    public Publishing result(long startedAtNanos) {
        long[] acked = new long[(int) Math.min(Integer.MAX_VALUE, acknowledged.get())];
        int next = 0;
        for (long latency : ackLatencyNanos == null ? new long[0] : ackLatencyNanos) {
            if (latency > 0 && next < acked.length) {
                acked[next++] = latency;
            }
        }
        return new Publishing(published.get(), acknowledged.get(), failed.get(), startedAtNanos, lastAckAtNanos.get(),
                LatencySummary.of(java.util.Arrays.copyOf(acked, next)), firstFailure.get());
    }

    @Override
    public void close() {
        for (MqttAsyncClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(2_000);
                }
                client.close();
            } catch (MqttException e) {
                LOG.debug("disconnect: {}", e.toString());
            }
        }
        clients.clear();
    }

    /**
     * What the publishers did.
     *
     * @param published      messages handed to the clients
     * @param acknowledged   messages the broker acknowledged (PUBACK)
     * @param failed         messages refused or never acknowledged
     * @param startedAtNanos {@link System#nanoTime()} before the first publish
     * @param lastAckAtNanos {@link System#nanoTime()} of the last PUBACK (0 if none)
     * @param ackLatency     publish → PUBACK
     * @param firstFailure   the first failure's description, or {@code null}
     */
    public record Publishing(long published, long acknowledged, long failed, long startedAtNanos, long lastAckAtNanos,
                             LatencySummary ackLatency, String firstFailure) {

        /** PUBACKs per second from the first publish to the last PUBACK. */
        public double ackRate() {
            return rate(acknowledged, startedAtNanos, lastAckAtNanos);
        }
    }

    /** {@code count} per second over [from, to] nanoseconds (0 when the interval is empty). */
    static double rate(long count, long fromNanos, long toNanos) {
        return toNanos > fromNanos ? count * 1e9 / (toNanos - fromNanos) : 0.0;
    }

    /** A publisher stops when PUBACKs stopped coming. */
    private static final class GiveUp extends RuntimeException {
        GiveUp(String message) {
            super(message, null, false, false);
        }
    }
}
