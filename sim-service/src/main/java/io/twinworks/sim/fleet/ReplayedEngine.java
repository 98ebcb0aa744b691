package io.twinworks.sim.fleet;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

    /** The physical names of sensors s1..s21 (Saxena et al. 2008, table 2), as the turbofan Thing Model names them. */
    public static final List<String> SENSOR_NAMES = List.of("T2", "T24", "T30", "T50", "P2", "P15", "P30", "Nf", "Nc",
            "epr", "Ps30", "phi", "NRf", "NRc", "BPR", "farB", "htBleed", "Nf_dmd", "PCNfR_dmd", "W31", "W32");

    private static final Logger LOG = LoggerFactory.getLogger(ReplayedEngine.class);
    private static final int COLUMNS = 5 + SENSOR_NAMES.size();

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
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private MqttAsyncClient client;
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
     * s1..s21, whitespace separated).
     *
     * @throws IOException when the resource is missing, a row is malformed, or the unit has no rows
     */
    public static List<double[]> recordedUnit(String resource, int unit) throws IOException {
        List<double[]> rows = recordedUnits(resource).stream().filter(row -> (int) row[0] == unit).toList();
        if (rows.isEmpty()) {
            throw new IOException(resource + " has no unit " + unit);
        }
        return rows;
    }

    /** Every row of a C-MAPSS file on the classpath. */
    public static List<double[]> recordedUnits(String resource) throws IOException {
        InputStream in = ReplayedEngine.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("no resource " + resource + " on the classpath");
        }
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\\s+");
                if (fields.length != COLUMNS) {
                    throw new IOException(resource + ":" + lineNumber + ": expected " + COLUMNS + " columns, got " + fields.length);
                }
                double[] row = new double[COLUMNS];
                try {
                    for (int i = 0; i < COLUMNS; i++) {
                        row[i] = Double.parseDouble(fields[i]);
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(resource + ":" + lineNumber + ": not a number: " + e.getMessage(), e);
                }
                rows.add(row);
            }
        }
        return rows;
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
            if (!client.isConnected()) {
                failed.incrementAndGet();
                return;
            }
            double[] cycle = cycles.get(next);
            next = (next + 1) % cycles.size();
            client.publish("telemetry", HonoDeviceMqtt.dittoProtocolMessage(mergeCommand(device.deviceId(), cycle, Instant.now())),
                    null, listener);
            published.incrementAndGet();
        } catch (MqttException | RuntimeException e) {
            // the pacer must survive anything one message does
            failed.incrementAndGet();
            LOG.warn("replayed engine {}: {}", device.deviceId(), e.toString());
        }
    }

    private final MqttActionListener listener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            acknowledged.incrementAndGet();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            failed.incrementAndGet();
            LOG.debug("replayed engine: publish failed: {}", cause.toString());
        }
    };

    /** The Ditto Protocol merge of one recorded cycle at {@code /features}, as the engine sends it. */
    public static String mergeCommand(String thingId, double[] cycle, Instant at) {
        int colon = thingId.indexOf(':');
        String ts = at.toString();
        long number = Math.round(cycle[1]);
        StringBuilder json = new StringBuilder(700)
                .append("{\"topic\":\"").append(thingId, 0, colon).append('/').append(thingId.substring(colon + 1))
                .append("/things/twin/commands/merge\",\"headers\":{\"content-type\":\"application/merge-patch+json\"},")
                .append("\"path\":\"/features\",\"value\":{\"operatingSettings\":{\"properties\":{")
                .append("\"setting1\":").append(number(cycle[2])).append(",\"setting2\":").append(number(cycle[3]))
                .append(",\"setting3\":").append(number(cycle[4])).append(",\"cycle\":").append(number)
                .append(",\"ts\":\"").append(ts).append("\"}},\"sensors\":{\"properties\":{");
        for (int s = 0; s < SENSOR_NAMES.size(); s++) {
            json.append('"').append(SENSOR_NAMES.get(s)).append("\":").append(number(cycle[5 + s])).append(',');
        }
        return json.append("\"cycle\":").append(number).append(",\"ts\":\"").append(ts).append("\"}}}}").toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value).replaceFirst("(\\.\\d*?)0+$", "$1").replaceFirst("\\.$", "");
    }

    /** Cycles handed to MQTT. */
    public long published() {
        return published.get();
    }

    /** Cycles the endpoint acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Cycles that failed (refused, or disconnected). */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        try {
            pacer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(2_000);
                }
                client.close();
            } catch (MqttException e) {
                LOG.debug("replayed engine disconnect: {}", e.toString());
            }
        }
    }
}
