package io.twinworks.cli.demo;

import io.vertx.core.json.JsonObject;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's virtual pumps: each is a real MQTT 5 client (Paho) logging in to the Hono MQTT
 * endpoint as {@code auth-id@tenant} and publishing Ditto Protocol merge commands on
 * {@code telemetry} at QoS 1 — exactly what a device publishes to real Hono for Ditto's Hono
 * connection with the Ditto mapping.
 */
public final class DemoFleet implements AutoCloseable {

    /** The content type of Ditto Protocol messages; Ditto's Hono connection maps them as they are. */
    public static final String DITTO_PROTOCOL_CONTENT_TYPE = "application/vnd.eclipse.ditto+json";

    private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);

    private final String serverUri;
    private final List<DemoDevice> devices;
    private final Duration period;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-fleet");
        thread.setDaemon(true);
        return thread;
    });
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param serverUri the Hono MQTT endpoint, e.g. {@code tcp://127.0.0.1:1883}
     * @param devices   the registered devices to play
     * @param period    time between two readings of one device
     */
    public DemoFleet(String serverUri, List<DemoDevice> devices, Duration period) {
        this.serverUri = Objects.requireNonNull(serverUri, "serverUri");
        this.devices = List.copyOf(devices);
        this.period = Objects.requireNonNull(period, "period");
    }

    /** Connects every device (blocking, at most a few seconds each) and starts publishing. */
    public void start() throws MqttException {
        for (int index = 0; index < devices.size(); index++) {
            DemoDevice device = devices.get(index);
            MqttAsyncClient client = new MqttAsyncClient(serverUri, "demo-" + device.authId(), new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(device.username());
            options.setPassword(device.password().getBytes(StandardCharsets.UTF_8));
            // Hono keeps no session state: a clean start, and reconnect after a stack restart.
            options.setCleanStart(true);
            options.setAutomaticReconnect(true);
            options.setConnectionTimeout(10);
            client.connect(options).waitForCompletion(15_000);
            clients.add(client);
            PumpSignal signal = new PumpSignal(index + 1L, device.wearPerMinute());
            scheduler.scheduleAtFixedRate(() -> publish(client, device, signal),
                    period.toMillis() * index / Math.max(1, devices.size()), period.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("demo fleet: {} devices publishing every {} ms to {}", devices.size(), period.toMillis(), serverUri);
    }

    private void publish(MqttAsyncClient client, DemoDevice device, PumpSignal signal) {
        if (!client.isConnected()) {
            return;
        }
        PumpSignal.PumpReading reading = signal.next(period.toMillis() / 1000.0);
        MqttMessage message = new MqttMessage(mergeCommand(device, reading, Instant.now()).getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(DITTO_PROTOCOL_CONTENT_TYPE);
        message.setProperties(properties);
        try {
            published.incrementAndGet();
            client.publish("telemetry", message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acknowledged.incrementAndGet();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    failed.incrementAndGet();
                    LOG.warn("demo device {}: publish failed: {}", device.deviceId(), cause.toString());
                }
            });
        } catch (MqttException e) {
            failed.incrementAndGet();
            LOG.warn("demo device {}: publish refused: {}", device.deviceId(), e.toString());
        }
    }

    /** A Ditto Protocol {@code merge} of the pump's features, as the device sends it. */
    static String mergeCommand(DemoDevice device, PumpSignal.PumpReading reading, Instant at) {
        String ts = at.toString();
        JsonObject features = new JsonObject()
                .put("vibration", feature(new JsonObject().put("rms", reading.vibrationRms()).put("seq", reading.seq()).put("ts", ts)))
                .put("temperature", feature(new JsonObject().put("value", reading.temperature()).put("ts", ts)))
                .put("flow", feature(new JsonObject().put("value", reading.flow()).put("ts", ts)))
                .put("pressure", feature(new JsonObject().put("value", reading.pressure()).put("ts", ts)));
        return new JsonObject()
                .put("topic", device.namespace() + "/" + device.name() + "/things/twin/commands/merge")
                .put("headers", new JsonObject().put("content-type", "application/merge-patch+json"))
                .put("path", "/features")
                .put("value", features)
                .encode();
    }

    private static JsonObject feature(JsonObject properties) {
        return new JsonObject().put("properties", properties);
    }

    /** Readings handed to the MQTT client. */
    public long published() {
        return published.get();
    }

    /** Readings the endpoint acknowledged (PUBACK: accepted downstream). */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Readings that failed. */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        for (MqttAsyncClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(2_000);
                }
                client.close();
            } catch (MqttException e) {
                LOG.debug("demo device disconnect: {}", e.toString());
            }
        }
        clients.clear();
    }
}
