package io.twinworks.sim.fleet;

import org.jspecify.annotations.Nullable;
import io.twinworks.analytics.ml.CmapssData;
import io.twinworks.core.ditto.FeaturesMerge;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A virtual turbofan engine that replays a recorded run-to-failure unit of NASA's C-MAPSS data (real
 * recorded trajectories, not a model) at an accelerated cycle rate, over the Hono MQTT contract like
 * the {@link VirtualFleet}'s pumps: per cycle one Ditto Protocol merge at {@code /features} with the
 * turbofan Thing Model's {@code operatingSettings} (setting1..3, cycle) and {@code sensors} (the 21
 * sensors by their physical names T2..W32, cycle). After the last recorded cycle (the failure) the
 * replay starts over: a new engine of the same history.
 */
public final class ReplayedEngine implements AutoCloseable {

    /** The recorded data on the classpath: C-MAPSS {@code train_FD001.txt} (see its README). */
    public static final String FD001_RESOURCE = "/cmapss/train_FD001.txt";

    private static final Logger LOG = LoggerFactory.getLogger(ReplayedEngine.class);
    private static final int COLUMNS = CmapssData.COLUMNS.size();

    private final String serverUri;
    private final String tenant;
    private final FleetDevice device;
    private final List<double[]> cycles;
    private final double cyclesPerSecond;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "replayed-engine");
        thread.setDaemon(true);
        return thread;
    });
    private final PublishOutcomes outcomes = new PublishOutcomes("replayed engine");
    /** Connected by {@code start}; {@code null} before. */
    private @Nullable MqttAsyncClient client;
    private int next;

    /**
     * A device's identity and credentials.
     *
     * @param deviceId Hono device ID = Ditto thing ID ({@code namespace:name})
     * @param authId   auth-id of its credentials
     * @param password its password
     */
    public record FleetDevice(String deviceId, String authId, String password) {
        public FleetDevice {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(authId, "authId");
            Objects.requireNonNull(password, "password");
            int colon = deviceId.indexOf(':');
            if (colon <= 0 || colon == deviceId.length() - 1) {
                throw new IllegalArgumentException("device ID must be a Ditto thing ID <namespace>:<name>: " + deviceId);
            }
        }
    }

    /**
     * @param serverUri       the Hono MQTT endpoint, e.g. {@code tcp://127.0.0.1:1883}
     * @param tenant          the device's tenant
     * @param device          the engine's device
     * @param cycles          the recorded cycles to replay, each the 26 C-MAPSS columns
     * @param cyclesPerSecond replay rate, (0, 100]
     */
    public ReplayedEngine(String serverUri, String tenant, FleetDevice device, List<double[]> cycles, double cyclesPerSecond) {
        this.serverUri = Objects.requireNonNull(serverUri, "serverUri");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.device = Objects.requireNonNull(device, "device");
        this.cycles = List.copyOf(cycles);
        if (this.cycles.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay: no cycles");
        }
        for (double[] cycle : this.cycles) {
            if (cycle.length != COLUMNS) {
                throw new IllegalArgumentException("a C-MAPSS cycle has " + COLUMNS + " columns, got " + cycle.length);
            }
        }
        if (!(cyclesPerSecond > 0) || cyclesPerSecond > 100) {
            throw new IllegalArgumentException("replay rate must be within (0, 100] cycles/s: " + cyclesPerSecond);
        }
        this.cyclesPerSecond = cyclesPerSecond;
    }

    /**
     * The rows of one unit of a C-MAPSS file on the classpath (columns unit, cycle, setting1..3,
     * s1..s21, whitespace separated), read with {@link CmapssData}.
     *
     * @throws IOException when the resource is missing, a row is malformed, or the file has no such unit
     */
    public static List<double[]> recordedUnit(String resource, int unit) throws IOException {
        return CmapssData.readResource(resource).stream().filter(recorded -> recorded.id() == unit)
                .findFirst().map(recorded -> List.of(recorded.rows()))
                .orElseThrow(() -> new IOException(resource + " has no unit " + unit));
    }

    /** Connects (blocking, bounded by MQTT's connect timeout) and starts replaying. */
    public void start() throws MqttException {
        client = HonoDeviceMqtt.connect(serverUri, "replay-" + device.authId(), tenant, device.authId(), device.password());
        long periodMicros = Math.round(1_000_000 / cyclesPerSecond);
        pacer.scheduleAtFixedRate(this::publishNext, 0, periodMicros, TimeUnit.MICROSECONDS);
        LOG.info("replayed engine {}: {} recorded cycles of C-MAPSS unit {} at {} cycles/s to {}", device.deviceId(),
                cycles.size(), (int) cycles.get(0)[0], cyclesPerSecond, serverUri);
    }

    private void publishNext() {
        try {
            MqttAsyncClient connected = client;
            if (connected == null || !connected.isConnected()) {
                outcomes.failed();
                return;
            }
            double[] cycle = cycles.get(next);
            next = (next + 1) % cycles.size();
            connected.publish("telemetry", HonoDeviceMqtt.dittoProtocolMessage(mergeCommand(device.deviceId(), cycle, Instant.now())),
                    null, outcomes.listener);
            outcomes.published();
        } catch (MqttException | RuntimeException e) {
            // the pacer must survive anything one message does
            outcomes.failed();
            LOG.warn("replayed engine {}: {}", device.deviceId(), e.toString());
        }
    }


    /** The Ditto Protocol merge of one recorded cycle at {@code /features}, as the engine sends it. */
    public static String mergeCommand(String thingId, double[] cycle, Instant at) {
        String ts = at.toString();
        long number = Math.round(cycle[1]);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("setting1", number(cycle[2]));
        settings.put("setting2", number(cycle[3]));
        settings.put("setting3", number(cycle[4]));
        settings.put("cycle", number);
        settings.put("ts", ts);
        Map<String, Object> sensors = new LinkedHashMap<>();
        for (int s = 0; s < CmapssData.SENSOR_NAMES.size(); s++) {
            sensors.put(CmapssData.SENSOR_NAMES.get(s), number(cycle[5 + s]));
        }
        sensors.put("cycle", number);
        sensors.put("ts", ts);
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        features.put("operatingSettings", settings);
        features.put("sensors", sensors);
        return new FeaturesMerge(thingId, features).encode();
    }

    /** The recorded value to six significant digits, as the data set has it (no binary noise digits on the wire). */
    private static double number(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.6g", value));
    }

    /** Cycles handed to MQTT. */
    public long published() {
        return outcomes.publishedCount();
    }

    /** Cycles the endpoint acknowledged. */
    public long acknowledged() {
        return outcomes.acknowledgedCount();
    }

    /** Cycles that failed (refused, or disconnected). */
    public long failed() {
        return outcomes.failedCount();
    }

    @Override
    public void close() {
        HonoDeviceMqtt.stop(pacer);
        if (client != null) {
            HonoDeviceMqtt.disconnectAndClose(client, "replayed engine " + device.deviceId());
        }
    }
}
