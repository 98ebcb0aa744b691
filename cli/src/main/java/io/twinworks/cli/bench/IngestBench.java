package io.twinworks.cli.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.cli.demo.DemoTwins;
import io.twinworks.hono.device.MqttV5Callbacks;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The end-to-end ingest benchmark behind {@code twinworks bench ingest}. In one run on this machine:
 *
 * <ol>
 *   <li><b>Twinworks</b>: a local stack on free ports in a temporary state directory; N devices
 *       provisioned by the {@code Provisioner} (Hono registry, Ditto policies from the role templates,
 *       twins from the pump's Thing Model, WoT validation on as by default); a Ditto client
 *       (ditto-client over {@code /ws/2}) subscribed to twin changes; then M Ditto Protocol merges of
 *       the pump's vibration reading published by P publishers over MQTT (QoS 1, as the devices) —
 *       measured from the first publish to the last change event, latency publish → change event, and
 *       loss. Every twin's vibration feature must then hold its device's last sequence number. A paced
 *       phase follows on the same stack (the devices publish at a fixed total rate) for the latency at
 *       a steady load. The JVM's heap after GC and RSS are sampled meanwhile. A warm-up phase (the same
 *       publishing, checked for loss, in no figure) comes first, so the figures are of compiled code.</li>
 *   <li><b>Baseline</b>: Debian's mosquitto as a child process, the same publishers and payloads, a
 *       Paho subscriber measuring the same figures, in every phase (warm-up included).</li>
 * </ol>
 *
 * <p>Publisher and receivers run in this JVM, so {@link System#nanoTime()} stamped into a message at
 * publish is comparable with the reception time.
 */
public final class IngestBench {

    private static final Logger LOG = LoggerFactory.getLogger(IngestBench.class);
    private static final String OPERATOR = "ditto";
    private static final String OPERATOR_PASSWORD = "ditto";
    /** The demo policy's analytics entry; no analytics runs in the benchmark. */
    private static final String ANALYTICS_SUBJECT = "nginx:analytics";
    private static final String SIMULATION_SUBJECT = "nginx:simulation";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MEMORY_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** The name prefix of the twin service's command thread (its worker executor). */

    private final IngestBenchOptions options;
    private final Consumer<String> progress;

    /**
     * @param options  what to run
     * @param progress where progress lines go (stage by stage)
     */
    public IngestBench(IngestBenchOptions options, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs both rows (Twinworks first, then the baseline, so the baseline profits from a warmed-up
     * publisher JVM rather than Twinworks) and returns the report. Blocking: call it from a plain thread.
     *
     * @throws IllegalStateException when mosquitto is missing or a stack or broker cannot start
     */
    public IngestBenchReport run() throws Exception {
        List<DemoDevice> devices = DemoPlant.pumps(options.devices());
        // fail early, before the long Twinworks row, when the baseline cannot run at all
        MosquittoBroker.requireInstalled(options.mosquitto());
        IngestRunResult twinworks = runTwinworks(devices);
        IngestRunResult baseline = runMosquitto(devices);
        return new IngestBenchReport(options, twinworks, baseline);
    }

    /** The Twinworks row: MQTT → Hono endpoint → Kafka → Hono connection → twin → change event over /ws/2. */
    IngestRunResult runTwinworks(List<DemoDevice> devices) throws Exception {
        Path stateDir = Files.createTempDirectory("twinworks-bench-state");
        // the configuration users run: WoT validation on (the default), the twins made from the pump's Thing Model
        LocalStackConfig config = BenchStackConfig.fromEnvironment(Map.of(
                        // hashing the devices' passwords is set-up, not what is measured
                        "TWINWORKS_HONO_BCRYPT_COST", "4",
                        "TWINWORKS_HONO_MAX_PAYLOAD_BYTES", String.valueOf(Math.max(2048, options.payloadBytes()))))
                .withStateDir(stateDir)
                .withPorts(0, 0, 0)
                .withDitto(0, Map.of(OPERATOR, OPERATOR_PASSWORD));
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        DemoTwins twins = null;
        // the subscriber is a client of its own (own event loop), as the mosquitto row's Paho subscriber is
        Vertx subscriberVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        TwinEventSubscriber subscriber = null;
        try {
            progress.accept("twinworks: starting the local stack in " + stateDir
                    + (config.dittoWotValidation() ? " (WoT validation on)" : " (WoT validation OFF)"));
            LocalStackEndpoints endpoints = await(stack.start());
            await(Demo.provision(vertx, endpoints, OPERATOR, OPERATOR_PASSWORD, devices, Demo.subjects(config.dittoHonoSubjects(),
                    ANALYTICS_SUBJECT, SIMULATION_SUBJECT, "nginx:" + OPERATOR)));
            twins = new DemoTwins(vertx, URI.create(endpoints.dittoUrl()), OPERATOR, OPERATOR_PASSWORD);
            progress.accept("twinworks: " + devices.size() + " devices provisioned, twins created; subscribing over /ws/2");

            AtomicReference<DeliveryRecorder> receiving = new AtomicReference<>();
            Map<String, Integer> deviceIndex = indexByThingId(devices);
            subscriber = new TwinEventSubscriber(subscriberVertx, new TwinEventSubscriber.Listener() {
                @Override
                public void onEvent(TwinEventSubscriber.TwinEvent event) {
                    DeliveryRecorder recorder = receiving.get();
                    Optional<BenchMessage.Received> message = fromEvent(event);
                    if (message.isPresent() && recorder != null) {
                        record(recorder, deviceIndex, message.get(), event.receivedAtNanos());
                    }
                }

                @Override
                public void onUndecodable(String text) {
                    DeliveryRecorder recorder = receiving.get();
                    if (recorder != null) {
                        recorder.unexpected();
                    }
                }
            });
            await(subscriber.start(URI.create(endpoints.dittoUrl()), OPERATOR, OPERATOR_PASSWORD, null));

            IngestRunResult.Phase warmup = options.warmupMessages() == 0 ? null
                    : publishPhase("twinworks warm-up", devices, options.warmupMessagesPerDevice(), 0,
                    endpoints.mqttUri(), "bench-twinworks-warmup", receiving, () -> 0L, false);
            IngestRunResult.Phase throughput = publishPhase("twinworks", devices, options.messagesPerDevice(), 0,
                    endpoints.mqttUri(), "bench-twinworks", receiving, () -> 0L, true);
            List<String> stateProblems = checkFinalState(twins, devices);
            IngestRunResult.Phase paced = options.pacedMessages() == 0 ? null
                    : publishPhase("twinworks", devices, options.pacedMessagesPerDevice(), options.pacedRate(),
                    endpoints.mqttUri(), "bench-twinworks-paced", receiving, () -> 0L, true);
            return new IngestRunResult("twinworks (MQTT -> twin -> /ws/2)", throughput, true, stateProblems, paced, warmup);
        } finally {
            if (subscriber != null) {
                awaitQuietly(subscriber.stop());
            }
            awaitQuietly(subscriberVertx.close());
            if (twins != null) {
                twins.close();
            }
            awaitQuietly(stack.stop());
            awaitQuietly(vertx.close());
            deleteRecursively(stateDir);
        }
    }

    /** The baseline row: the same publishers and payloads through mosquitto to a Paho subscriber. */
    IngestRunResult runMosquitto(List<DemoDevice> devices) throws Exception {
        progress.accept("mosquitto: starting the baseline broker");
        try (MosquittoBroker broker = MosquittoBroker.start(options.mosquitto())) {
            AtomicReference<DeliveryRecorder> receiving = new AtomicReference<>();
            Map<String, Integer> deviceIndex = indexByThingId(devices);
            MqttAsyncClient subscriber = new MqttAsyncClient(broker.uri(), "bench-subscriber", new MemoryPersistence());
            try {
                subscriber.setCallback(new ReceivingCallback(payload -> {
                    long receivedAt = System.nanoTime();
                    DeliveryRecorder recorder = receiving.get();
                    Optional<BenchMessage.Received> message = BenchMessage.fromEnvelope(payload);
                    if (recorder == null) {
                        return;
                    }
                    if (message.isPresent()) {
                        record(recorder, deviceIndex, message.get(), receivedAt);
                    } else {
                        recorder.unexpected();
                    }
                }));
                MqttConnectionOptions connectOptions = new MqttConnectionOptions();
                connectOptions.setCleanStart(true);
                subscriber.connect(connectOptions).waitForCompletion(15_000);
                subscriber.subscribe("telemetry", 1).waitForCompletion(15_000);

                IngestRunResult.Phase warmup = options.warmupMessages() == 0 ? null
                        : publishPhase("mosquitto warm-up", devices, options.warmupMessagesPerDevice(), 0,
                        broker.uri(), "bench-mosquitto-warmup", receiving, broker::cpuNanos, false);
                IngestRunResult.Phase throughput = publishPhase("mosquitto", devices, options.messagesPerDevice(), 0,
                        broker.uri(), "bench-mosquitto", receiving, broker::cpuNanos, false);
                IngestRunResult.Phase paced = options.pacedMessages() == 0 ? null
                        : publishPhase("mosquitto", devices, options.pacedMessagesPerDevice(), options.pacedRate(),
                        broker.uri(), "bench-mosquitto-paced", receiving, broker::cpuNanos, false);
                return new IngestRunResult("mosquitto 2 (MQTT pub -> sub)", throughput, false, List.of(), paced, warmup);
            } finally {
                if (subscriber.isConnected()) {
                    subscriber.disconnect().waitForCompletion(2_000);
                }
                subscriber.close();
            }
        }
    }

    /**
     * One publishing phase: the devices connect afresh, publish their messages (sequence numbers from 1)
     * as fast as PUBACKs allow ({@code ratePerSecond} 0) or paced, and the receiver's recorder for the
     * phase is drained. The CPU time of this JVM plus {@code otherProcessCpuNanos} (a broker in another
     * process) over the phase, and that of the twin service's command thread, give a cost per message
     * beside the rates (idle threads count in the first; contention inflates both). With {@code sampleMemory}
     * (the server runs in this JVM) heap after GC and RSS are sampled from the first publish to the end of the drain.
     */
    private IngestRunResult.Phase publishPhase(String row, List<DemoDevice> devices, int[] perDevice, int ratePerSecond,
                                               String serverUri, String clientPrefix,
                                               AtomicReference<DeliveryRecorder> receiving,
                                               LongSupplier otherProcessCpuNanos, boolean sampleMemory) throws Exception {
        DeliveryRecorder recorder = new DeliveryRecorder(perDevice);
        receiving.set(recorder);
        MemorySampler memory = null;
        try (MqttLoad load = new MqttLoad(devices, perDevice, options.publishers(), options.payloadBytes(), ACK_TIMEOUT)) {
            load.connect(serverUri, clientPrefix);
            memory = sampleMemory ? new MemorySampler(MEMORY_SAMPLE_INTERVAL) : null;
            long cpuBefore = JvmCpu.processNanos() + otherProcessCpuNanos.getAsLong();
            long applyCpuBefore = JvmCpu.threadsNanos(TwinService.THREAD_NAME);
            long jitBefore = JvmCpu.jitNanos();
            progress.accept(row + ": publishing " + recorder.expected() + " messages"
                    + (ratePerSecond == 0 ? "" : " paced at " + ratePerSecond + " msg/s"));
            long startedAt = load.publishAll(ratePerSecond);
            progress.accept(row + ": all published; draining (" + recorder.delivered() + "/" + recorder.expected()
                    + " received so far)");
            drain(recorder);
            long cpuUsed = JvmCpu.processNanos() + otherProcessCpuNanos.getAsLong() - cpuBefore;
            long applyCpuUsed = JvmCpu.threadsNanos(TwinService.THREAD_NAME) - applyCpuBefore;
            long jitUsed = JvmCpu.jitNanos() - jitBefore;
            return new IngestRunResult.Phase(load.result(startedAt), recorder.snapshot(), cpuUsed, applyCpuUsed, jitUsed,
                    memory == null ? null : memory.stop());
        } finally {
            if (memory != null) {
                memory.close();
            }
        }
    }

    private static void record(DeliveryRecorder recorder, Map<String, Integer> deviceIndex,
                               BenchMessage.Received message, long receivedAt) {
        Integer device = deviceIndex.get(message.thingId());
        if (device == null) {
            recorder.unexpected();
        } else {
            recorder.received(device, message.seq(), message.sentAtNanos(), receivedAt);
        }
    }

    /** Waits until every message arrived, or the receiver made no progress for the drain time. */
    private void drain(DeliveryRecorder recorder) throws InterruptedException {
        long publishedAt = System.nanoTime();
        long drainNanos = options.drain().toNanos();
        while (!recorder.complete()
                && System.nanoTime() - Math.max(publishedAt, recorder.lastProgressAtNanos()) < drainNanos) {
            Thread.sleep(20);
        }
        if (!recorder.complete()) {
            LOG.warn("no progress for {} s: {} of {} messages received", options.drain().toSeconds(),
                    recorder.delivered(), recorder.expected());
        }
    }

    /** Every device's twin must hold its last sequence number (its messages are applied in order). */
    private List<String> checkFinalState(DemoTwins twins, List<DemoDevice> devices) {
        int[] expected = options.messagesPerDevice();
        List<String> problems = new ArrayList<>();
        for (int device = 0; device < devices.size(); device++) {
            try {
                JsonObject properties = await(twins.readFeatureProperties(devices.get(device), BenchMessage.FEATURE));
                Object seq = properties.getValue("seq");
                if (!(seq instanceof Number number) || number.longValue() != expected[device]) {
                    problems.add(devices.get(device).deviceId() + " holds seq " + seq + ", last sent " + expected[device]);
                }
            } catch (RuntimeException e) {
                problems.add(devices.get(device).deviceId() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * The benchmark message of a twin change, or empty.
     */
    /** The benchmark message a twin change event carries, or empty (another change, e.g. of the twin's other features). */
    static Optional<BenchMessage.Received> fromEvent(TwinEventSubscriber.TwinEvent event) {
        return event.valueAt(BenchMessage.PROPERTIES_PATH) instanceof JsonObject properties
                ? BenchMessage.fromProperties(event.thingId(), properties)
                : Optional.empty();
    }

    private static Map<String, Integer> indexByThingId(List<DemoDevice> devices) {
        Map<String, Integer> index = new HashMap<>();
        for (int device = 0; device < devices.size(); device++) {
            index.put(devices.get(device).deviceId(), device);
        }
        return index;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + SETUP_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            await(future);
        } catch (RuntimeException e) {
            LOG.warn("shutting down: {}", e.getMessage());
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", directory, e.toString());
        }
    }

    /** Hands each received payload to a consumer; connection loss is logged (the loss count shows its effect). */
    private static final class ReceivingCallback extends MqttV5Callbacks {

        private final Consumer<byte[]> onPayload;

        ReceivingCallback(Consumer<byte[]> onPayload) {
            this.onPayload = onPayload;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onPayload.accept(message.getPayload());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("baseline subscriber disconnected: {}", response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("baseline subscriber error: {}", exception.toString());
        }
    }
}
