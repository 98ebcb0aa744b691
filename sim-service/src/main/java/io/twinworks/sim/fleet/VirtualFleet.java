package io.twinworks.sim.fleet;

import io.twinworks.core.ditto.FeaturesMerge;
import io.twinworks.sim.model.PumpModel;
import io.twinworks.sim.model.PumpReading;
import io.twinworks.sim.model.PumpState;
import io.twinworks.hono.device.MqttV5Callbacks;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A fleet of virtual pumps publishing telemetry over the Hono MQTT contract: Ditto Protocol merge
 * commands at {@code /features} ({@code vibration {rms, seq, ts}}, {@code temperature}, {@code flow},
 * {@code pressure} {value, ts}, {@code drive {running, alarmActive, ts}}) on {@code telemetry} at QoS 1,
 * content type {@value #DITTO_PROTOCOL_CONTENT_TYPE}. Each pump's readings come from its own
 * {@link PumpModel}. A pump that trips on its worn-out bearing reports {@code running: false} and is
 * repaired (new bearing) {@value #REPAIR_HOURS} model hours later, so a long-running fleet keeps
 * cycling through degradation, alarm, trip and repair instead of ending with every pump failed.
 *
 * <p>Two ways to connect, both Hono's: every device with its own connection ({@code auth-id@tenant}),
 * or through gateways that publish {@code telemetry/<tenant>/<device-id>} for the devices registered
 * {@code via} them — the way to play thousands of devices without thousands of connections.
 *
 * <p>The pumps take commands as Hono devices do: each connection subscribes to its commands
 * ({@code command///req/#}, a gateway {@code command//+/req/#}, again after a reconnect), and the pacing thread
 * applies them to the pump's model ({@link PumpCommands}: {@code setSpeed}, {@code stop}, {@code resetAlarm}) and
 * answers on {@code command///res/<req-id>/<status>} (content type {@code application/json}), so the next readings
 * follow the new speed. {@code drive} reports {@code speed} (rpm) and {@code alarmActive} (tripped).
 *
 * <p>One pacing thread publishes whatever is due every 10 ms, round-robin over the assets, so the
 * fleet holds its rate as long as the endpoint acknowledges; when the MQTT in-flight window is full
 * the message is retried on the next tick (counted as back-pressure) and the sustained rate shows it.
 */
public final class VirtualFleet implements AutoCloseable {

    /** How long {@link #close()} waits for PUBACKs of readings already published (Paho's quiesce is 30 s). */
    static final java.time.Duration SETTLE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(VirtualFleet.class);
    private static final int MAX_INFLIGHT = 10_000;
    /** Model hours a tripped pump stands still before its bearing is changed. */
    public static final double REPAIR_HOURS = 1.0;
    private static final double WARM_UP_STEP_HOURS = 0.05;

    /**
     * A gateway's credentials.
     *
     * @param authId   auth-id of the gateway's credentials
     * @param password its password
     */
    public record Gateway(String authId, String password) {
    }

    private final String serverUri;
    private final String tenant;
    private final List<FleetAsset> assets;
    private final List<Gateway> gateways;
    private final double messagesPerAssetPerSecond;
    private final double modelHoursPerSecond;
    private final PumpModel[] models;
    private final long[] sequence;
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "virtual-fleet");
        thread.setDaemon(true);
        return thread;
    });
    private final PublishOutcomes outcomes = new PublishOutcomes("virtual fleet");
    private final AtomicLong backPressure = new AtomicLong();
    private final AtomicLong commandsAnswered = new AtomicLong();
    /** Commands received on MQTT threads, applied on the pacing thread (the models are single-threaded). */
    private final Queue<ReceivedCommand> commands = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> assetIndexByDevice = new HashMap<>();

    /** A command for one pump, as it arrived. */
    private record ReceivedCommand(MqttAsyncClient client, int assetIndex, String deviceSegment, String requestId,
                                   String name, byte[] payload) {
    }
    private volatile long startedNanos;
    private int cursor;

    /**
     * @param serverUri                 the Hono MQTT endpoint, e.g. {@code tcp://127.0.0.1:1883}
     * @param tenant                    the devices' tenant
     * @param assets                    the devices to play
     * @param gateways                  gateways to publish through; empty: every device connects itself
     * @param messagesPerAssetPerSecond telemetry rate of each device
     * @param timeScale                 model seconds per wall-clock second (1 = real time)
     */
    public VirtualFleet(String serverUri, String tenant, List<FleetAsset> assets, List<Gateway> gateways,
                        double messagesPerAssetPerSecond, double timeScale) {
        this(serverUri, tenant, assets, gateways, messagesPerAssetPerSecond, timeScale, 0);
    }

    /**
     * As {@link #VirtualFleet(String, String, List, List, double, double)}, with every pump starting
     * warm: at the casing temperature its model reaches after {@code warmUpHours} of fault-free
     * operation (pumps of a running plant are at operating temperature, and a detector that learns its
     * baseline from the first readings must not learn a cold start). Operating hours and wear still
     * start at 0, so fault times and wear are as given.
     *
     * @param warmUpHours model hours of thermal warm-up before the first reading, {@code [0, 1000]}
     */
    public VirtualFleet(String serverUri, String tenant, List<FleetAsset> assets, List<Gateway> gateways,
                        double messagesPerAssetPerSecond, double timeScale, double warmUpHours) {
        this.serverUri = Objects.requireNonNull(serverUri, "serverUri");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.assets = List.copyOf(assets);
        this.gateways = List.copyOf(gateways);
        if (this.assets.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs at least one asset");
        }
        if (!(messagesPerAssetPerSecond > 0) || messagesPerAssetPerSecond > 1000) {
            throw new IllegalArgumentException("rate per asset must be within (0, 1000] messages/s: " + messagesPerAssetPerSecond);
        }
        if (!(warmUpHours >= 0) || warmUpHours > 1000) {
            throw new IllegalArgumentException("warm-up must be within [0, 1000] model hours: " + warmUpHours);
        }
        if (!(timeScale > 0) || timeScale > 1e6) {
            throw new IllegalArgumentException("time scale must be within (0, 1e6]: " + timeScale);
        }
        this.messagesPerAssetPerSecond = messagesPerAssetPerSecond;
        for (int i = 0; i < this.assets.size(); i++) {
            assetIndexByDevice.put(this.assets.get(i).deviceId(), i);
        }
        this.modelHoursPerSecond = timeScale / 3600.0;
        this.models = new PumpModel[this.assets.size()];
        this.sequence = new long[this.assets.size()];
        for (int i = 0; i < models.length; i++) {
            FleetAsset asset = this.assets.get(i);
            PumpState start = PumpState.fresh(asset.parameters());
            if (warmUpHours > 0) {
                // a new bearing: wear (and its friction heat) must not pile up during the warm-up
                PumpModel warmUp = new PumpModel(asset.parameters().withWearPerHour(0), start, 1.0, List.of(), asset.seed());
                for (double warmed = 0; warmed < warmUpHours; warmed += WARM_UP_STEP_HOURS) {
                    warmUp.step(Math.min(WARM_UP_STEP_HOURS, warmUpHours - warmed));
                }
                start = new PumpState(start.hours(), start.bearingWear(), warmUp.state().temperatureC());
            }
            models[i] = new PumpModel(asset.parameters(), start, 1.0, asset.faults(), asset.seed());
        }
    }

    /** Connects (blocking, bounded by MQTT's connect timeout) and starts publishing. */
    public void start() throws MqttException {
        if (gateways.isEmpty()) {
            for (int i = 0; i < assets.size(); i++) {
                FleetAsset asset = assets.get(i);
                MqttAsyncClient client = connect("fleet-" + asset.authId(), asset.authId(), asset.password());
                clients.add(client);
                int index = i;
                subscribeToCommands(client, "command///req/#", topic -> index);
            }
        } else {
            for (Gateway gateway : gateways) {
                MqttAsyncClient client = connect("fleet-gw-" + gateway.authId(), gateway.authId(), gateway.password());
                clients.add(client);
                subscribeToCommands(client, "command//+/req/#", topic -> assetIndexByDevice.get(topic[2]));
            }
        }
        startedNanos = System.nanoTime();
        pacer.scheduleAtFixedRate(this::publishDue, 0, 10, TimeUnit.MILLISECONDS);
        LOG.info("virtual fleet: {} assets at {} msg/s each via {} connection(s) to {}", assets.size(),
                messagesPerAssetPerSecond, clients.size(), serverUri);
    }

    private MqttAsyncClient connect(String clientId, String authId, String password) throws MqttException {
        return HonoDeviceMqtt.connect(serverUri, clientId, tenant, authId, password);
    }

    /**
     * Subscribes (now and after every automatic reconnect: Hono keeps no subscriptions) to the commands of
     * the connection; {@code assetOf} finds the pump from the topic's segments ({@code null}: not ours).
     */
    private void subscribeToCommands(MqttAsyncClient client, String filter, Function<String[], Integer> assetOf)
            throws MqttException {
        client.setCallback(new MqttV5Callbacks() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    try {
                        subscribe(client, filter);
                    } catch (MqttException e) {
                        LOG.warn("virtual fleet: cannot subscribe to commands again after reconnecting: {}", e.toString());
                    }
                }
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // command/<tenant>/<device>/req/<req-id>/<name>
                String[] segments = topic.split("/", -1);
                Integer index = segments.length == 6 && segments[3].equals("req") ? assetOf.apply(segments) : null;
                if (index == null) {
                    LOG.warn("virtual fleet: ignoring a message on {}: not a command for a pump of this fleet", topic);
                    return;
                }
                commands.add(new ReceivedCommand(client, index, segments[2], segments[4], segments[5],
                        message.getPayload()));
            }
        });
        subscribe(client, filter);
    }

    private static void subscribe(MqttAsyncClient client, String filter) throws MqttException {
        client.subscribe(new MqttSubscription(filter, 1)).waitForCompletion(15_000);
    }

    /** Applies the commands received since the last tick and answers those that want an answer. */
    private void applyCommands() {
        for (ReceivedCommand command; (command = commands.poll()) != null; ) {
            PumpCommands.Answer answer = PumpCommands.apply(models[command.assetIndex()], command.name(),
                    command.payload());
            LOG.info("virtual pump {}: command {} answered {}", assets.get(command.assetIndex()).deviceId(),
                    command.name(), answer.status());
            if (command.requestId().isEmpty()) {
                continue; // one-way
            }
            MqttMessage response = new MqttMessage(answer.payload());
            response.setQos(1);
            MqttProperties properties = new MqttProperties();
            properties.setContentType("application/json");
            response.setProperties(properties);
            String topic = "command//" + command.deviceSegment() + "/res/" + command.requestId() + "/" + answer.status();
            try {
                command.client().publish(topic, response);
                commandsAnswered.incrementAndGet();
            } catch (MqttException e) {
                LOG.warn("virtual pump {}: cannot answer command {}: {}", assets.get(command.assetIndex()).deviceId(),
                        command.name(), e.toString());
            }
        }
    }

    private void publishDue() {
        try {
            applyCommands();
            double elapsed = (System.nanoTime() - startedNanos) / 1e9;
            long due = (long) (elapsed * messagesPerAssetPerSecond * assets.size()) - outcomes.publishedCount() - outcomes.failedCount();
            for (long i = 0; i < due; i++) {
                if (!publishNext()) {
                    backPressure.incrementAndGet();
                    return;
                }
            }
        } catch (RuntimeException e) {
            // The pacer must survive anything one message does.
            outcomes.failed();
            LOG.warn("virtual fleet: {}", e.toString());
        }
    }

    /** Publishes the next asset's reading; {@code false} when the connection's window is full (retry later). */
    private boolean publishNext() {
        int index = cursor;
        FleetAsset asset = assets.get(index);
        MqttAsyncClient client = gateways.isEmpty() ? clients.get(index) : clients.get(index % clients.size());
        if (!client.isConnected()) {
            outcomes.failed();
            cursor = (index + 1) % assets.size();
            return true;
        }
        // The reading is taken only once the message can go, so a retried message is not a lost step.
        if (client.getInFlightMessageCount() >= MAX_INFLIGHT) {
            return false;
        }
        PumpModel model = models[index];
        if (model.tripped() && model.hours() - model.tripHours() >= REPAIR_HOURS) {
            model.repair();
        }
        PumpReading reading = model.step(modelHoursPerSecond / messagesPerAssetPerSecond);
        MqttMessage message = HonoDeviceMqtt.dittoProtocolMessage(mergeCommand(asset, reading, ++sequence[index], Instant.now()));
        String topic = gateways.isEmpty() ? "telemetry" : "telemetry/" + tenant + "/" + asset.deviceId();
        try {
            client.publish(topic, message, null, outcomes.listener);
            outcomes.published();
        } catch (MqttException e) {
            if (e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            outcomes.failed();
            LOG.warn("virtual device {}: publish refused: {}", asset.deviceId(), e.toString());
        }
        cursor = (index + 1) % assets.size();
        return true;
    }


    /** The Ditto Protocol {@code merge} of a pump's features, as the device sends it (the demo's format). */
    public static String mergeCommand(FleetAsset asset, PumpReading reading, long seq, Instant at) {
        String ts = at.toString();
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        features.put("vibration", properties("rms", round(reading.vibrationRmsMmS(), 1000), "seq", seq, "ts", ts));
        features.put("temperature", properties("value", round(reading.temperatureC(), 100), "ts", ts));
        features.put("flow", properties("value", round(reading.flowM3h(), 10), "ts", ts));
        features.put("pressure", properties("value", round(reading.pressureBar(), 1000), "ts", ts));
        features.put("drive", properties("running", reading.running(),
                "speed", Math.round(reading.truth().loadFactor() * PumpCommands.NOMINAL_RPM),
                "alarmActive", !reading.running() && reading.truth().bearingWear() >= PumpModel.FAILURE_WEAR,
                "ts", ts));
        return new FeaturesMerge(asset.deviceId(), features).encode();
    }

    /** Properties in the given order, from alternating names and values. */
    private static Map<String, Object> properties(Object... namesAndValues) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            properties.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return properties;
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }

    /** Messages handed to MQTT. */
    public long published() {
        return outcomes.publishedCount();
    }

    /** Messages the endpoint acknowledged (PUBACK: accepted downstream). */
    public long acknowledged() {
        return outcomes.acknowledgedCount();
    }

    /** Messages that failed (refused, or device disconnected). */
    public long failed() {
        return outcomes.failedCount();
    }

    /** Ticks cut short because an in-flight window was full. */
    public long backPressureEvents() {
        return backPressure.get();
    }

    /** Commands answered by the pumps. */
    public long commandsAnswered() {
        return commandsAnswered.get();
    }

    /** Target rate of the whole fleet (messages/s). */
    public double targetRate() {
        return messagesPerAssetPerSecond * assets.size();
    }

    /** Seconds since {@link #start()}. */
    public double elapsedSeconds() {
        return startedNanos == 0 ? 0 : (System.nanoTime() - startedNanos) / 1e9;
    }

    /**
     * Stops publishing, gives the readings in flight up to {@link #SETTLE_TIMEOUT} to be acknowledged (as a
     * device's MQTT client quiesces before it disconnects: a PUBACK still on its way is not a lost reading), then
     * disconnects every device.
     */
    @Override
    public void close() {
        HonoDeviceMqtt.stop(pacer);
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (outcomes.inFlightCount() > 0 && System.nanoTime() < deadline && !clients.isEmpty()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (MqttAsyncClient client : clients) {
            HonoDeviceMqtt.disconnectAndClose(client, "virtual device " + client.getClientId());
        }
        clients.clear();
    }
}
